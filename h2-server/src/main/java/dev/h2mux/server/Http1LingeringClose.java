package dev.h2mux.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an HTTP/1.x connection closes without destroying its last response (RFC 9112 §9.6): the
 * output is shut down (FIN, over TLS close_notify first) and input is read and dropped until the
 * client closes its side, for at most {@link #LINGER_MILLIS} and {@link #LINGER_BYTES}. Closing
 * with input unread would make the kernel reset the connection, and the client lose what it had not
 * read yet.
 */
final class Http1LingeringClose {
  private static final Logger log = LoggerFactory.getLogger(Http1LingeringClose.class);

  /** Before closing: how long to read and discard (RFC 9112 §9.6). */
  static final int LINGER_MILLIS = 2000;

  /** Before closing: how much to read and discard at most. */
  static final int LINGER_BYTES = 1 << 20;

  private final Socket socket;
  private final DeadlineInputStream deadline;
  private final InputStream in;

  /**
   * @param socket the connection's socket
   * @param deadline the socket input under {@code in}, for the linger's time limit
   * @param in the connection's buffered input
   */
  Http1LingeringClose(Socket socket, DeadlineInputStream deadline, InputStream in) {
    this.socket = socket;
    this.deadline = deadline;
    this.in = in;
  }

  /**
   * After the last response: flushes it, half-closes, and unless the client already ended its side
   * reads what it still sends, within the bounds. The caller then closes the socket.
   */
  void afterLastResponse(OutputStream out, boolean peerClosed) {
    try {
      out.flush();
    } catch (IOException e) {
      log.trace("final flush failed: {}", e.toString());
      return;
    }
    halfClose();
    if (peerClosed) {
      return;
    }
    try {
      deadline.arm(LINGER_MILLIS);
      byte[] scratch = new byte[8192];
      long total = 0;
      while (total < LINGER_BYTES) {
        int n = in.read(scratch);
        if (n < 0) {
          break;
        }
        total += n;
      }
    } catch (IOException e) {
      log.trace("lingering close ended: {}", e.toString());
    }
  }

  /**
   * Between requests, at a graceful shutdown: says so with a FIN at once. {@code serving}, the
   * thread waiting for the next request, sees the client's end and closes; a client that never
   * closes is closed after {@link #LINGER_MILLIS}.
   */
  void closeIdle(Thread serving) {
    halfClose();
    Thread.ofVirtual()
        .name("h2mux-linger-" + socket.getPort())
        .start(
            () -> {
              try {
                if (serving != null) serving.join(Duration.ofMillis(LINGER_MILLIS));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                Sockets.closeQuietly(socket);
              }
            });
  }

  /** Shuts down output: FIN, over TLS a close_notify first (SSLSocket supports it since JDK 11). */
  private void halfClose() {
    try {
      if (!socket.isClosed() && !socket.isOutputShutdown()) socket.shutdownOutput();
    } catch (IOException | UnsupportedOperationException e) {
      log.trace("half-close failed: {}", e.toString());
    }
  }
}
