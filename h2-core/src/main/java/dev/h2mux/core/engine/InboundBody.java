package dev.h2mux.core.engine;

import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameType;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The body a stream receives: the DATA payloads the reader buffered, read by the application. It
 * can never hold more than the window we advertised, and reading gives the bytes back to the peer
 * ({@link FlowControl#consumed}) once half the stream's window was read. Received DATA is checked
 * against the content-length here (RFC 9113 §8.1.1).
 *
 * <p>Guarded by the connection's lock, like the stream it belongs to.
 */
final class InboundBody extends InputStream {
  private final Http2Connection connection;
  private final Http2Stream stream;
  private final ReentrantLock lock;

  // Guarded by the connection's lock.
  // Sized for the common request without a body or with one frame of it; grows as needed.
  private final ArrayDeque<Frame.Data> frames = new ArrayDeque<>(2);
  private int bytes;

  /** The peer's END_STREAM arrived and the body is whole; it stays so after a reset (§8.1). */
  private boolean ended;

  /** The application stopped reading: what arrives is dropped. */
  private boolean closed;

  private long expectedLength = -1;
  private long receivedLength;

  /** A read waits for DATA untimed (see {@link Http2Connection#timeReadsByOwner}) since this. */
  private boolean waiting;

  private long waitingSince;

  /** The owner's timer found the waiting read past the idle timeout: it fails. */
  private boolean stalled;

  InboundBody(Http2Connection connection, Http2Stream stream) {
    this.connection = connection;
    this.stream = stream;
    this.lock = connection.lock;
  }

  /** The content-length the body must match, or -1 for none. */
  void expectLengthLocked(long length) {
    assert lock.isHeldByCurrentThread();
    expectedLength = length;
  }

  /**
   * Takes a DATA frame the stream's window accepted; false if it breaks the content-length (the
   * caller resets the stream). Padding, and the bytes of an input the application closed, are given
   * back to the stream's window with the next read's WINDOW_UPDATE.
   */
  boolean receiveLocked(Frame.Data data) {
    assert lock.isHeldByCurrentThread();
    receivedLength += data.length();
    if (expectedLength >= 0 && receivedLength > expectedLength) return false;
    if (!closed && data.length() > 0) {
      frames.add(data);
      bytes += data.length();
    }
    stream.receiveWindow.consumedLater(
        closed ? data.flowLength() : data.flowLength() - data.length());
    if (data.endStream()) return stream.endRemoteLocked(FrameType.DATA);
    connection.readLoop.wakeLater(stream);
    return true;
  }

  /** True unless a content-length was declared and the body is shorter. */
  boolean lengthCompleteLocked() {
    assert lock.isHeldByCurrentThread();
    return expectedLength < 0 || receivedLength == expectedLength;
  }

  /** The peer's END_STREAM arrived: a read past the buffer is the end of the body. */
  void endLocked() {
    assert lock.isHeldByCurrentThread();
    ended = true;
    stream.changed.signalAll();
  }

  /**
   * Fails a read that has waited untimed for DATA for {@code idleNanos} by {@code now}: the owner's
   * timer enforces the idle timeout for it.
   */
  void expireLocked(long now, long idleNanos) {
    assert lock.isHeldByCurrentThread();
    if (waiting && now - waitingSince >= idleNanos) {
      stalled = true;
      stream.changed.signalAll();
    }
  }

  /** True once the application closed this input. */
  boolean isClosedLocked() {
    assert lock.isHeldByCurrentThread();
    return closed;
  }

  /**
   * The stream was reset: drops what is buffered, unless the body is whole (then the application
   * may still read all of it, §8.1). Returns the bytes dropped.
   */
  int dropLocked() {
    assert lock.isHeldByCurrentThread();
    if (ended && !closed) return 0;
    int dropped = bytes;
    frames.clear();
    bytes = 0;
    stream.changed.signalAll();
    return dropped;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) return 0;
    int n;
    int streamCredit = 0;
    lock.lock();
    try {
      long nanos = connection.config().idleTimeout().toNanos();
      boolean untimed = connection.readsTimedByOwnerLocked();
      while (frames.isEmpty()) {
        if (ended) return -1;
        StreamResetException reset = stream.resetCauseLocked();
        if (reset != null) throw reset.forCaller();
        if (nanos <= 0 || stalled) {
          throw new SocketTimeoutException("no data from the peer within the idle timeout");
        }
        if (untimed) {
          // A timed park of a virtual thread enqueues and cancels a task in the JDK's timer, and
          // wakes that timer's thread: the owner's timer ends this wait instead (expireLocked).
          if (!waiting) {
            waiting = true;
            waitingSince = System.nanoTime();
          }
          stream.changed.await();
        } else {
          nanos = stream.changed.awaitNanos(nanos);
        }
      }
      n = 0;
      while (n < len && !frames.isEmpty()) {
        Frame.Data head = frames.peek();
        int chunk = Math.min(len - n, head.length());
        System.arraycopy(head.data(), head.offset(), b, off + n, chunk);
        n += chunk;
        frames.poll();
        if (chunk < head.length()) {
          frames.addFirst(
              new Frame.Data(
                  head.streamId(),
                  head.data(),
                  head.offset() + chunk,
                  head.length() - chunk,
                  false,
                  0));
        } else {
          connection.chunks.recycle(head.data());
        }
      }
      bytes -= n;
      // Once the peer ended the stream it sends no more: no WINDOW_UPDATE for it.
      if (ended) stream.receiveWindow.consumedLater(n);
      else streamCredit = stream.receiveWindow.consumed(n);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted reading stream " + stream.id());
    } finally {
      waiting = false;
      stalled = false; // also when DATA came after the timer marked the wait, before it woke
      lock.unlock();
    }
    connection.flow.consumed(stream, n, streamCredit);
    return n;
  }

  @Override
  public int available() {
    lock.lock();
    try {
      return bytes;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops reading: what is buffered is dropped and whatever arrives later is discarded, both
   * credited back to the connection window so other streams don't starve.
   */
  @Override
  public void close() throws IOException {
    int dropped;
    lock.lock();
    try {
      if (closed) return;
      closed = true;
      dropped = bytes;
      frames.clear();
      bytes = 0;
    } finally {
      lock.unlock();
    }
    if (dropped > 0) connection.flow.consumed(stream, dropped, 0);
  }
}
