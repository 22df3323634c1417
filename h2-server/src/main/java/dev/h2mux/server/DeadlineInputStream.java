package dev.h2mux.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A socket's input that can enforce a deadline over many reads: while armed, each read gets only
 * the time left as its socket timeout, so a client trickling one byte at a time cannot stretch a
 * request head past the deadline. While disarmed it leaves the socket timeout alone. Used only by
 * the connection's own thread.
 */
final class DeadlineInputStream extends InputStream {
  private final Socket socket;
  private final InputStream in;
  private long deadlineNanos;
  private boolean armed;

  DeadlineInputStream(Socket socket, InputStream in) {
    this.socket = socket;
    this.in = in;
  }

  /** Every read from now must complete within {@code millis} in total. */
  void arm(int millis) {
    deadlineNanos = System.nanoTime() + millis * 1_000_000L;
    armed = true;
  }

  /** Ends the deadline; each read may then block up to {@code soTimeoutMillis} (0 = forever). */
  void disarm(int soTimeoutMillis) throws IOException {
    armed = false;
    socket.setSoTimeout(soTimeoutMillis);
  }

  private void beforeRead() throws IOException {
    if (armed) {
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0) {
        throw new SocketTimeoutException("deadline passed");
      }
      socket.setSoTimeout(
          (int) Math.max(1, Math.min(Integer.MAX_VALUE, (remaining + 999_999) / 1_000_000)));
    }
  }

  @Override
  public int read() throws IOException {
    beforeRead();
    return in.read();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    beforeRead();
    return in.read(b, off, len);
  }

  @Override
  public int available() throws IOException {
    return in.available();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
