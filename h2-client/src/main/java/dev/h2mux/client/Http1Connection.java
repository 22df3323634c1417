package dev.h2mux.client;

import dev.h2mux.core.http1.Http1InputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/** One HTTP/1.1 connection: the socket, its buffered input and output, and when it went idle. */
final class Http1Connection {
  final Socket socket;
  final Http1InputStream in;
  final OutputStream out;
  final String name;

  /** True once it carried an exchange: a failure before any response byte may be a stale close. */
  boolean reused;

  long idleSince;

  Http1Connection(Socket socket, String name) throws IOException {
    this.socket = socket;
    this.in = new Http1InputStream(socket.getInputStream());
    this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    this.name = name;
  }

  boolean isClosed() {
    return socket.isClosed();
  }

  void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
