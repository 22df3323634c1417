package dev.h2mux.interop;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's built-in {@link HttpServer}: HTTP/1.1 only, no HTTP/2 at all. The h2mux client must
 * fall back to HTTP/1.1 against it.
 */
final class Http1OnlyPeerServer implements AutoCloseable {
  static final String WELCOME = "Hello from the JDK HttpServer\n";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  private Http1OnlyPeerServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
  }

  static Http1OnlyPeerServer start() throws IOException {
    Http1OnlyPeerServer peer = new Http1OnlyPeerServer();
    peer.server.start();
    return peer;
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      byte[] body;
      int status = 200;
      if (path.equals("/") && method.equals("GET")) {
        body = WELCOME.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "text/plain; charset=utf-8");
      } else if (path.startsWith("/bytes/") && method.equals("GET")) {
        body = Bodies.pattern(Integer.parseInt(path.substring("/bytes/".length())));
      } else if (path.equals("/echo") && (method.equals("POST") || method.equals("PUT"))) {
        try (InputStream in = exchange.getRequestBody()) {
          body = in.readAllBytes();
        }
      } else {
        status = 404;
        body = new byte[0];
      }
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }
}
