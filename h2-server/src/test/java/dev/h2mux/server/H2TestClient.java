package dev.h2mux.server;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.engine.Http2Config;
import dev.h2mux.core.engine.Http2Connection;
import dev.h2mux.core.engine.Http2Stream;
import dev.h2mux.core.http.ResponseHead;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/** An HTTP/2 prior-knowledge client for server tests: the h2-core engine in the client role. */
final class H2TestClient implements AutoCloseable {
  static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

  final Http2Connection connection;
  private final int port;

  H2TestClient(int port) throws IOException {
    this.port = port;
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    connection =
        new Http2Connection(
            Http2Connection.Role.CLIENT,
            Http2Config.DEFAULTS,
            socket,
            socket.getInputStream(),
            socket.getOutputStream(),
            new Http2Connection.Listener() {});
    connection.start();
  }

  Http2Stream open(String method, String path, boolean endStream, String... headers)
      throws IOException {
    HttpFields fields =
        HttpFields.of(
            ":method", method, ":scheme", "http", ":authority", "127.0.0.1:" + port, ":path", path);
    for (int i = 0; i < headers.length; i += 2) fields.add(headers[i], headers[i + 1]);
    return connection.newStream(fields, endStream, TIMEOUT_NANOS);
  }

  /** A whole exchange: status, headers, body and trailers. */
  record Result(ResponseHead head, byte[] body, HttpFields trailers) {
    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  Result get(String path) throws IOException {
    return finish(open("GET", path, true));
  }

  Result send(String method, String path, byte[] body, String... headers) throws IOException {
    Http2Stream stream = open(method, path, false, headers);
    stream.output().write(body);
    stream.output().close();
    return finish(stream);
  }

  static Result finish(Http2Stream stream) throws IOException {
    ResponseHead head = stream.awaitResponse(TIMEOUT_NANOS);
    byte[] body = stream.input().readAllBytes();
    return new Result(head, body, stream.trailers());
  }

  @Override
  public void close() {
    connection.close();
  }
}
