package dev.h2mux.client.cli;

import dev.h2mux.core.HttpFields;
import dev.h2mux.server.Http2Server;
import dev.h2mux.server.Request;
import dev.h2mux.server.Response;
import dev.h2mux.server.TlsConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The project's server with the handlers the CLI tests (and curl, for comparison) talk to. Every
 * response carries a fixed {@code date}, so that two clients' outputs can be compared byte for
 * byte.
 */
final class CliServer implements AutoCloseable {
  static final String DATE = "Tue, 01 Dec 2026 00:00:00 GMT";
  private final CountDownLatch release = new CountDownLatch(1);
  final Http2Server server;
  private final boolean tls;

  CliServer() throws IOException {
    this(null);
  }

  CliServer(TlsConfig tls) throws IOException {
    Http2Server.Builder b = Http2Server.builder().host("127.0.0.1").port(0).handler(this::handle);
    if (tls != null) b.tls(tls);
    this.tls = tls != null;
    server = b.build().start();
  }

  String url(String path) {
    return (tls ? "https" : "http") + "://127.0.0.1:" + server.port() + path;
  }

  private void handle(Request request, Response response) throws Exception {
    String path = request.path();
    int query = path.indexOf('?');
    String route = query < 0 ? path : path.substring(0, query);
    response.headers().set("date", DATE);
    if (route.startsWith("/hang")) {
      release.await();
      text(response, "released");
    } else if (route.startsWith("/delay/")) {
      Thread.sleep(Long.parseLong(route.substring("/delay/".length()))); // a slow server
      text(response, "delayed\n");
    } else if (route.startsWith("/status/")) {
      response.status(Integer.parseInt(route.substring("/status/".length())));
      text(response, "status " + response.status() + "\n");
    } else if (route.equals("/hints")) {
      response.sendInformational(103, HttpFields.of("link", "</style.css>; rel=preload"));
      text(response, "hinted\n");
    } else if (route.equals("/headers")) {
      StringBuilder sb = new StringBuilder();
      request.headers().forEach((n, v) -> sb.append(n).append(": ").append(v).append('\n'));
      text(response, sb.toString());
    } else if (route.equals("/echo")) {
      byte[] body = request.body().readAllBytes();
      text(response, request.method() + " " + new String(body, StandardCharsets.UTF_8));
    } else if (route.startsWith("/redirect/")) {
      // /redirect/N redirects N times, relatively then absolutely in turn, then answers; with
      // ?headers (kept on each hop) the answer lists the request's fields.
      int n = Integer.parseInt(route.substring("/redirect/".length()));
      String kept = query < 0 ? "" : path.substring(query);
      if (n == 0 && kept.equals("?headers")) {
        StringBuilder sb = new StringBuilder();
        request.headers().forEach((name, v) -> sb.append(name).append(": ").append(v).append('\n'));
        text(response, sb.toString());
      } else if (n == 0) {
        text(response, "redirected " + request.method() + "\n");
      } else {
        response.status(302);
        String next = "/redirect/" + (n - 1) + kept;
        response
            .headers()
            .set("location", n % 2 == 0 ? next : "http://" + request.authority() + next);
        text(response, "moved\n");
      }
    } else if (route.equals("/see-other")) {
      request.body().readAllBytes();
      response.status(303);
      response.headers().set("location", "/echo");
      text(response, "see other\n");
    } else if (route.equals("/gzip") || route.equals("/deflate")) {
      String accepted = String.valueOf(request.headers().get("accept-encoding"));
      String coding = route.substring(1);
      byte[] plain =
          ("compressed text, " + coding + "\n").repeat(40).getBytes(StandardCharsets.UTF_8);
      if (!accepted.contains(coding)) {
        text(response, new String(plain, StandardCharsets.UTF_8));
        return;
      }
      ByteArrayOutputStream encoded = new ByteArrayOutputStream();
      try (OutputStream z =
          coding.equals("gzip")
              ? new GZIPOutputStream(encoded)
              : new DeflaterOutputStream(encoded)) {
        z.write(plain);
      }
      response.headers().set("content-type", "text/plain");
      response.headers().set("content-encoding", coding);
      response.headers().set("content-length", Integer.toString(encoded.size()));
      try (OutputStream out = response.body()) {
        out.write(encoded.toByteArray());
      }
    } else if (route.equals("/stream-echo")) {
      // Answers while the body still arrives, as a streaming echo (gRPC, proxies) does.
      response.headers().set("content-type", "application/octet-stream");
      try (OutputStream out = response.body()) {
        request.body().transferTo(out);
      }
    } else if (route.equals("/count")) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long count = 0;
      byte[] buffer = new byte[64 * 1024];
      InputStream in = request.body();
      for (int n; (n = in.read(buffer)) >= 0; count += n) sha.update(buffer, 0, n);
      text(response, count + " " + HexFormat.of().formatHex(sha.digest()));
    } else if (route.equals("/authority")) {
      text(
          response,
          request.method()
              + " "
              + request.authority()
              + " "
              + path
              + " over "
              + request.protocol()
              + "\n");
    } else if (route.equals("/empty")) {
      response.headers().set("content-length", "0");
      response.body().close();
    } else if (route.startsWith("/slow-body")) {
      response.headers().set("content-type", "text/plain");
      OutputStream out = response.body();
      out.write("first part\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      release.await();
      out.close();
    } else {
      response.headers().set("x-test", "yes");
      text(response, "path " + path + " over " + request.protocol());
    }
  }

  private static void text(Response response, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    response.headers().set("content-type", "text/plain");
    response.headers().set("content-length", Integer.toString(bytes.length));
    try (OutputStream out = response.body()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    release.countDown();
    server.closeNow();
  }
}
