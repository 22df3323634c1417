package dev.h2mux.core.engine;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.engine.StreamResetException.Reason;
import dev.h2mux.core.frame.ErrorCode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Opens the streams we initiate (client role): each with the next id of our side, sent in
 * increasing order (RFC 9113 §5.1.1), and no more at once than the peer's
 * SETTINGS_MAX_CONCURRENT_STREAMS (§5.1.2) — a request beyond it waits for a slot. None opens once
 * either side sent GOAWAY (§6.8) or the ids are used up; that refusal is retryable (§8.7).
 */
final class StreamOpener {
  private final Http2Connection connection;
  private final ReentrantLock lock;
  private final StreamTable streams;
  private final ConnectionSettings settings;
  private final GracefulShutdown shutdown;

  StreamOpener(Http2Connection connection) {
    this.connection = connection;
    this.lock = connection.lock;
    this.streams = connection.streams;
    this.settings = connection.settings;
    this.shutdown = connection.shutdown;
  }

  /** See {@link Http2Connection#newStream}. */
  Http2Stream open(HttpFields requestFields, boolean endStream, long timeoutNanos)
      throws IOException {
    lock.lock();
    try {
      long nanos = timeoutNanos;
      while (true) {
        if (connection.isClosedLocked() || shutdown.takesNoNewStreamsLocked()) {
          throw new StreamResetException(
              "connection no longer accepts streams", ErrorCode.REFUSED_STREAM, Reason.REFUSED);
        }
        if (!streams.hasLocalIdsLocked()) {
          throw new StreamResetException(
              "stream ids exhausted", ErrorCode.REFUSED_STREAM, Reason.REFUSED);
        }
        if (hasSlotLocked()) break;
        if (nanos <= 0) throw new SocketTimeoutException("no stream slot within the timeout");
        nanos = streams.slotFreed.awaitNanos(nanos);
      }
      Http2Stream stream =
          new Http2Stream(
              connection,
              streams.takeLocalIdLocked(),
              StreamState.IDLE,
              settings.peerInitialWindowLocked(),
              settings.localInitialWindowLocked());
      if ("HEAD".equals(requestFields.get(":method"))) stream.expectNoContentLocked();
      streams.addLocalLocked(stream);
      // Queued under the lock, so stream ids reach the wire in increasing order (§5.1.1).
      stream.sendHeaders(requestFields, endStream);
      return stream;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for a stream slot");
    } finally {
      lock.unlock();
    }
  }

  /** See {@link Http2Connection#hasCapacity}. */
  boolean hasCapacity() {
    lock.lock();
    try {
      return !connection.isClosedLocked()
          && !shutdown.takesNoNewStreamsLocked()
          && streams.hasLocalIdsLocked()
          && hasSlotLocked();
    } finally {
      lock.unlock();
    }
  }

  private boolean hasSlotLocked() {
    assert lock.isHeldByCurrentThread();
    return streams.activeLocalLocked() < settings.peerMaxConcurrentStreamsLocked();
  }
}
