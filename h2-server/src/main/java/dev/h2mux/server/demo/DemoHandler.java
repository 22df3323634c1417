package dev.h2mux.server.demo;

import dev.h2mux.core.HttpFields;
import dev.h2mux.server.Handler;
import dev.h2mux.server.Request;
import dev.h2mux.server.Response;
import dev.h2mux.server.demo.Routes.Route;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The demo server's handler: routes each request by the {@link Routes} table, checks its method,
 * takes a {@link Limits} slot for requests that wait, and turns a {@link BadRequestException} into
 * its status with a text body. Paths no route claims are static files from the {@code --dir}
 * directory, if any; then 404.
 */
final class DemoHandler implements Handler {
  private final StaticFiles staticFiles;
  private final Limits limits;
  private final List<Route> routes;

  /**
   * The routes by the first segment of their path ({@code /bytes} for {@code /bytes/{n}}), so a
   * request is matched against the one or two routes that can claim it rather than the table.
   */
  private final Map<String, List<Route>> routesBySegment;

  private final IndexPage index;

  /**
   * @param dir the directory to serve static files from, or null for none
   * @throws IOException if the directory's real path cannot be resolved
   */
  DemoHandler(Path dir) throws IOException {
    this(dir, new Limits());
  }

  DemoHandler(Path dir, Limits limits) throws IOException {
    this.staticFiles = new StaticFiles(dir);
    this.limits = limits;
    this.routes = Routes.all(new Conditional(Instant.now()), this::index);
    this.routesBySegment =
        routes.stream().collect(Collectors.groupingBy(route -> firstSegment(route.pattern())));
    this.index = new IndexPage(routes);
  }

  /** {@code /bytes} of {@code /bytes/12} and of {@code /bytes/{n}}; {@code /} of {@code /}. */
  private static String firstSegment(String path) {
    int slash = path.indexOf('/', 1);
    return slash < 0 ? path : path.substring(0, slash);
  }

  @Override
  public void handle(Request request, Response response) throws IOException {
    DemoExchange x = DemoExchange.of(request, response);
    for (Route route : routesBySegment.getOrDefault(firstSegment(x.path), List.of())) {
      String tail = route.match(x.path);
      if (tail != null) {
        serve(route, x.withTail(tail));
        return;
      }
    }
    if (!staticFiles.serve(x)) {
      x.text(404, "nothing at " + x.path + "; every endpoint: GET /\n");
    }
  }

  private void serve(Route route, DemoExchange x) throws IOException {
    if (!route.allows(x.request.method())) {
      x.methodNotAllowed(route.methods());
      return;
    }
    if (route.waits() && !limits.tryStartWaiting()) {
      x.response.headers().set("retry-after", "1");
      x.text(503, "too many requests are waiting on this server; try again in a moment\n");
      return;
    }
    try {
      route.endpoint().serve(x);
    } catch (BadRequestException e) {
      if (x.response.isCommitted()) {
        throw new IOException("rejected after the response began: " + e.getMessage(), e);
      }
      HttpFields headers = x.response.headers(); // what the endpoint set is not for the error
      while (!headers.isEmpty()) {
        headers.remove(headers.name(0));
      }
      if (e.status() == 400) {
        x.badRequest(e.getMessage());
      } else {
        x.text(e.status(), e.getMessage() + "\n");
      }
    } finally {
      if (route.waits()) {
        limits.stopWaiting();
      }
    }
  }

  /** {@code /}: DIR/index.html if there is one, else the index of the endpoints. */
  private void index(DemoExchange x) throws IOException, BadRequestException {
    if (!staticFiles.serve(x)) {
      index.serve(x);
    }
  }
}
