package dev.h2mux.interop;

import dev.h2mux.core.HttpFields;
import dev.h2mux.server.Handler;
import dev.h2mux.server.Request;
import dev.h2mux.server.Response;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The handler the h2mux server runs for the interop tests. Every response carries {@code
 * x-protocol} (the protocol the server saw) so a test can tell both ends agree.
 *
 * <ul>
 *   <li>{@code GET /} — {@link #WELCOME} as text.
 *   <li>{@code GET /bytes/N} — the first N bytes of the {@link Bodies} pattern, with
 *       content-length.
 *   <li>{@code POST|PUT /echo} — streams the request body back as it arrives; then trailers {@code
 *       x-echo-bytes} (the count) and each request trailer again under {@code x-echo-NAME}.
 *   <li>{@code GET /barrier/N?id=K} — answers only once N requests with the same K are in the
 *       handler at the same time (or 503 after 30 s): proof of N concurrent streams. Each client
 *       address seen for K is recorded, see {@link #barrierClients}.
 * </ul>
 */
final class InteropHandler implements Handler {
  static final String WELCOME = "Welcome to h2mux\n";

  private final Map<String, CountDownLatch> barriers = new ConcurrentHashMap<>();
  private final Map<String, Set<InetSocketAddress>> barrierClients = new ConcurrentHashMap<>();

  @Override
  public void handle(Request request, Response response) throws Exception {
    response.headers().set("x-protocol", request.protocol());
    String target = request.path();
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? "" : target.substring(q + 1);
    String method = request.method();

    if (path.equals("/") && (method.equals("GET") || method.equals("HEAD"))) {
      byte[] body = WELCOME.getBytes(StandardCharsets.UTF_8);
      response.headers().set("content-type", "text/plain; charset=utf-8");
      response.headers().set("content-length", Integer.toString(body.length));
      response.body().write(body);
    } else if (path.startsWith("/bytes/") && method.equals("GET")) {
      long length = Long.parseLong(path.substring("/bytes/".length()));
      response.headers().set("content-type", "application/octet-stream");
      response.headers().set("content-length", Long.toString(length));
      Bodies.writePattern(response.body(), length);
    } else if (path.equals("/echo") && (method.equals("POST") || method.equals("PUT"))) {
      echo(request, response);
    } else if (path.startsWith("/barrier/") && method.equals("GET")) {
      barrier(request, response, Integer.parseInt(path.substring("/barrier/".length())), query);
    } else {
      response.status(404);
      response.headers().set("content-length", "0");
    }
  }

  /** The client addresses that took part in barrier {@code id}. */
  Set<InetSocketAddress> barrierClients(String id) {
    return barrierClients.getOrDefault(id, Set.of());
  }

  private static void echo(Request request, Response response) throws Exception {
    String contentType = request.headers().get("content-type");
    response
        .headers()
        .set("content-type", contentType == null ? "application/octet-stream" : contentType);
    InputStream in = request.body();
    OutputStream out = response.body();
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    for (int n; (n = in.read(buffer)) != -1; ) {
      out.write(buffer, 0, n);
      total += n;
    }
    HttpFields trailers = new HttpFields();
    trailers.add("x-echo-bytes", Long.toString(total));
    request.trailers().forEach((name, value) -> trailers.add("x-echo-" + name, value));
    response.trailers(trailers);
  }

  private void barrier(Request request, Response response, int parties, String query)
      throws Exception {
    String id = query.startsWith("id=") ? query.substring(3) : query;
    barrierClients
        .computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet())
        .add(request.remoteAddress());
    CountDownLatch latch = barriers.computeIfAbsent(id, k -> new CountDownLatch(parties));
    latch.countDown();
    boolean all = latch.await(30, TimeUnit.SECONDS);
    byte[] body =
        (all
                ? "all " + parties + " arrived\n"
                : "only " + (parties - latch.getCount()) + " arrived\n")
            .getBytes(StandardCharsets.US_ASCII);
    response.status(all ? 200 : 503);
    response.headers().set("content-length", Integer.toString(body.length));
    response.body().write(body);
  }
}
