package dev.h2mux.core.engine;

import static dev.h2mux.core.frame.ErrorCode.FLOW_CONTROL_ERROR;
import static dev.h2mux.core.frame.Http2Exception.connectionError;
import static dev.h2mux.core.frame.Http2Exception.streamError;

import dev.h2mux.core.frame.Http2Exception;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.Collection;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flow control at both levels (RFC 9113 §5.2, §6.9): the connection's windows, and every stream's,
 * which live on {@link Http2Stream} ({@link Http2Stream#sendWindow}, {@link
 * Http2Stream#receiveWindow}). Sending takes credit from both windows at once, waiting while either
 * is empty; receiving counts DATA against both, and gives the bytes back with WINDOW_UPDATE as the
 * application consumes them, by the half-window rule of {@link InboundWindow}.
 *
 * <p>Guarded by the connection's lock: one DATA frame is accounted at both levels in one
 * acquisition, and a writer waiting for credit waits on {@link #windowOpened}.
 */
final class FlowControl {
  private static final Logger log = LoggerFactory.getLogger(FlowControl.class);

  /** The window of every stream and of the connection before SETTINGS change it (§6.9.2). */
  static final int DEFAULT_WINDOW = 65_535;

  private final Http2Connection connection;
  private final ReentrantLock lock;
  private final ConnectionWriter writer;
  private final int connectionWindowSize;
  private final long idleNanos;

  /** Signalled when credit may have come: a WINDOW_UPDATE, a SETTINGS change, a reset, the end. */
  final Condition windowOpened;

  /** What the peer may still send on the connection, and what was consumed of it. */
  private final InboundWindow receive;

  /** The credit the peer granted us on the connection. */
  private final OutboundWindow send = new OutboundWindow(DEFAULT_WINDOW);

  FlowControl(Http2Connection connection) {
    this.connection = connection;
    this.lock = connection.lock;
    this.writer = connection.writer;
    this.connectionWindowSize = connection.config().connectionWindowSize();
    this.idleNanos = connection.config().idleTimeout().toNanos();
    this.windowOpened = lock.newCondition();
    this.receive = new InboundWindow(DEFAULT_WINDOW, connectionWindowSize);
  }

  // ---------------------------------------------------------------- receiving

  /**
   * Opens the connection's receive window from the RFC's 65,535 to the size we keep, right after
   * our SETTINGS: queues the WINDOW_UPDATE that says so.
   */
  void openConnectionWindow() throws IOException {
    int increment = connectionWindowSize - DEFAULT_WINDOW;
    if (increment <= 0) return;
    lock.lock();
    try {
      receive.grow(increment);
    } finally {
      lock.unlock();
    }
    writer.control((w, e) -> w.windowUpdate(0, increment));
  }

  /**
   * Counts a DATA frame's {@code flowLength} against the connection's window.
   *
   * @throws Http2Exception FLOW_CONTROL_ERROR of the connection if the peer exceeded it (§6.9.1)
   */
  void receivedLocked(int flowLength) throws Http2Exception {
    assert lock.isHeldByCurrentThread();
    if (!receive.take(flowLength)) {
      throw connectionError(FLOW_CONTROL_ERROR, "DATA beyond the connection window");
    }
  }

  /** Counts the body of an h2c Upgrade request, which arrived before any window existed. */
  void receivedBeforeWindowsLocked(int length) {
    assert lock.isHeldByCurrentThread();
    receive.takeUnchecked(length);
  }

  /**
   * Counts {@code flowLength} bytes of DATA against the window of {@code stream}.
   *
   * @return false if the peer exceeded it, a stream error FLOW_CONTROL_ERROR (§6.9.1); the caller
   *     credits the bytes back to the connection, which did accept them
   */
  boolean receivedLocked(Http2Stream stream, int flowLength) {
    assert lock.isHeldByCurrentThread();
    return stream.receiveWindow.take(flowLength);
  }

  /**
   * Counts {@code n} received bytes as consumed on the connection; returns the connection
   * WINDOW_UPDATE increment to send, or 0 (see {@link InboundWindow#consumed}).
   */
  int consumedLocked(int n) {
    assert lock.isHeldByCurrentThread();
    return receive.consumed(n);
  }

  /**
   * The application consumed {@code n} bytes of {@code stream}: credits the connection's window,
   * and sends the WINDOW_UPDATEs that are due ({@code streamCredit} for the stream).
   */
  void consumed(Http2Stream stream, int n, int streamCredit) {
    int connectionCredit;
    lock.lock();
    try {
      connectionCredit = receive.consumed(n);
    } finally {
      lock.unlock();
    }
    if (streamCredit > 0) sendWindowUpdate(stream.id(), streamCredit);
    if (connectionCredit > 0) sendWindowUpdate(0, connectionCredit);
  }

  /** Bytes dropped unread (a reset stream's buffer): the connection's window gets them back. */
  void dropped(int n) {
    int credit;
    lock.lock();
    try {
      credit = receive.consumed(n);
    } finally {
      lock.unlock();
    }
    if (credit > 0) sendWindowUpdate(0, credit);
  }

  /** Queues a WINDOW_UPDATE; a connection already closing needs none. */
  void sendWindowUpdate(int streamId, int increment) {
    try {
      writer.control((w, e) -> w.windowUpdate(streamId, increment));
    } catch (IOException e) {
      log.debug("{}: WINDOW_UPDATE not sent: {}", connection, e.getMessage());
    }
  }

  // ---------------------------------------------------------------- sending

  /**
   * Takes send credit for up to {@code wanted} bytes from the stream's and the connection's
   * windows, waiting while either is empty (§5.2). Returns the bytes granted.
   *
   * @throws SocketTimeoutException if no credit came for the idle timeout
   * @throws StreamResetException if the stream was reset meanwhile
   */
  int acquireCredit(Http2Stream stream, int wanted) throws IOException {
    lock.lock();
    try {
      long nanos = idleNanos;
      while (true) {
        StreamResetException reset = stream.resetCauseLocked();
        if (reset != null) throw reset.forCaller();
        if (connection.isClosedLocked()) throw new IOException("connection closed");
        int available = Math.min(stream.sendWindow.available(), send.available());
        if (available > 0) {
          int n = Math.min(wanted, available);
          stream.sendWindow.take(n);
          send.take(n);
          return n;
        }
        if (nanos <= 0) {
          throw new SocketTimeoutException(
              "flow-control window stayed closed for the idle timeout");
        }
        nanos = windowOpened.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for flow-control credit");
    } finally {
      lock.unlock();
    }
  }

  /**
   * A WINDOW_UPDATE for the connection.
   *
   * @throws Http2Exception FLOW_CONTROL_ERROR of the connection past 2^31-1 (§6.9.1)
   */
  void creditedLocked(int increment) throws Http2Exception {
    assert lock.isHeldByCurrentThread();
    if (!send.add(increment)) {
      throw connectionError(FLOW_CONTROL_ERROR, "connection window above 2^31-1");
    }
    windowOpened.signalAll();
  }

  /**
   * A WINDOW_UPDATE for {@code stream}.
   *
   * @throws Http2Exception FLOW_CONTROL_ERROR of the stream past 2^31-1 (§6.9.1)
   */
  void creditedLocked(Http2Stream stream, int increment) throws Http2Exception {
    assert lock.isHeldByCurrentThread();
    if (!stream.sendWindow.add(increment)) {
      throw streamError(stream.id(), FLOW_CONTROL_ERROR, "stream window above 2^31-1");
    }
    windowOpened.signalAll();
  }

  /**
   * The peer's SETTINGS_INITIAL_WINDOW_SIZE changed by {@code delta}: every stream's send window
   * moves by it, and may go negative (§6.9.2).
   *
   * @throws Http2Exception FLOW_CONTROL_ERROR of the connection if a window passes 2^31-1
   */
  void initialWindowChangedLocked(int delta, Collection<Http2Stream> streams)
      throws Http2Exception {
    assert lock.isHeldByCurrentThread();
    for (Http2Stream stream : streams) {
      if (!stream.sendWindow.shift(delta)) {
        throw connectionError(
            FLOW_CONTROL_ERROR, "initial window change overflows stream %d", stream.id());
      }
    }
    windowOpened.signalAll();
  }

  /** Wakes writers waiting for credit, to see a reset or the connection's end. */
  void wakeWritersLocked() {
    assert lock.isHeldByCurrentThread();
    windowOpened.signalAll();
  }
}
