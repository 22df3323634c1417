package dev.h2mux.core.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection's socket without destroying what was sent: a lingering close.
 *
 * <p>Closing a TCP socket while received bytes are still unread makes the kernel answer with RST,
 * and a peer that gets RST discards whatever it had not read yet, such as the end of our last
 * response or our GOAWAY. So the writer, after its last frame, only shuts down output (FIN; over
 * TLS a close_notify first), and the reader goes on reading and discarding until the peer closes
 * its side. A watchdog bounds both: a writer stuck on a peer that stopped reading gets {@link
 * #WRITE_GRACE_MILLIS}, the lingering reader {@link #LINGER_MILLIS} and {@link #LINGER_BYTES}; then
 * the socket is closed regardless.
 */
final class LingeringClose {
  private static final Logger log = LoggerFactory.getLogger(LingeringClose.class);

  /** How long the last frames may take to leave before the socket is closed anyway. */
  static final long WRITE_GRACE_MILLIS = 2_000;

  /** How long the peer gets to close its side after ours is shut down. */
  static final long LINGER_MILLIS = 2_000;

  /** How much the peer may still send after ours is shut down before we close anyway. */
  static final int LINGER_BYTES = 1 << 20;

  private final Socket socket;
  private final String name;
  private final Runnable onClosed;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param onClosed runs once, right after the socket was closed
   */
  LingeringClose(Socket socket, String name, Runnable onClosed) {
    this.socket = socket;
    this.name = name;
    this.onClosed = onClosed;
  }

  /**
   * The writer wrote its last byte: half-close, so the peer reads everything and then the end of
   * the stream. SSLSocket sends close_notify first (JDK 11+); a socket that can't half-close is
   * closed.
   */
  void outputDone() {
    try {
      if (!socket.isClosed() && !socket.isOutputShutdown()) socket.shutdownOutput();
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("{}: half-close failed, closing: {}", name, e.toString());
      close();
    }
  }

  /**
   * Reads and drops what the peer still sends until it closes its side, at most {@link
   * #LINGER_BYTES}; the watchdog bounds the time by closing the socket under the read.
   */
  void discardInput(InputStream in) {
    if (socket.isClosed()) return;
    byte[] scratch = new byte[2048];
    long left = LINGER_BYTES;
    try {
      // The watchdog's deadline, not the socket timeout, ends the wait; the timeout only keeps a
      // read from outliving a watchdog that was never started.
      socket.setSoTimeout((int) (WRITE_GRACE_MILLIS + LINGER_MILLIS));
      for (int n; left > 0 && (n = in.read(scratch)) >= 0; ) left -= n;
    } catch (IOException e) {
      log.trace("{}: lingering read ended: {}", name, e.toString());
    }
  }

  /**
   * Starts the watchdog: once the writer is done (or after {@link #WRITE_GRACE_MILLIS}), the reader
   * gets {@link #LINGER_MILLIS} to see the peer's end; then the socket is closed.
   */
  void watch(String threadName, CountDownLatch writerDone, CountDownLatch readerDone) {
    Thread.ofVirtual()
        .name(threadName)
        .start(
            () -> {
              try {
                if (writerDone.await(WRITE_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                  readerDone.await(LINGER_MILLIS, TimeUnit.MILLISECONDS);
                } else {
                  log.debug("{}: last frames not written in time, closing", name);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                close();
              }
            });
  }

  /** Closes the socket, once. */
  void close() {
    if (!closed.compareAndSet(false, true)) return;
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("{}: close failed: {}", name, e.getMessage());
    }
    onClosed.run();
  }

  /** True once {@link #close} ran. */
  boolean isClosed() {
    return closed.get();
  }
}
