package dev.h2mux.core.engine;

import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader's waits for the socket on a connection whose owner looks at it often ({@link
 * Http2Connection#sweep}; the server's acceptor does, every 100 ms at most). The reader then waits
 * without a socket timeout and the sweep does what that timeout did: a virtual thread's timed wait
 * sets a timer task on the JDK's scheduler and cancels it when data comes, two wake-ups of the
 * timer's thread per wait, the largest single cost of a server under small requests
 * (docs/BENCHMARKS.md). While the reader waits, the sweep
 *
 * <ul>
 *   <li>shuts down a connection without streams for the idle timeout, by a clock of its own that
 *       runs across waits ({@link IdleClock}), as the reader does before it waits;
 *   <li>once the wait has lasted {@link ReadLoop#SPARE_CHUNK_HOLD_MILLIS}, gives up the spare DATA
 *       chunks ({@link ChunkPool}) and stops the streams answered early ({@link EarlyResponses}),
 *       as the reader's timed wait did; the reader keeps spares again at its next frame.
 * </ul>
 *
 * A wait for the rest of a frame once its first bytes are in keeps its socket timeout.
 */
final class SweptWaits {
  private static final Logger log = LoggerFactory.getLogger(SweptWaits.class);

  private static final long NOT_WAITING = Long.MIN_VALUE;

  private final Http2Connection connection;
  private final ReentrantLock lock;
  private final long holdNanos;

  /** Looked at by the sweep only (one thread at a time). */
  private final IdleClock idleClock;

  private volatile boolean enabled;

  /** {@link System#nanoTime()} when the reader began its current untimed wait, or NOT_WAITING. */
  private volatile long waitingSince = NOT_WAITING;

  /** Set once the sweep gave up the spares in the current wait. */
  private volatile boolean sparesReleased;

  SweptWaits(Http2Connection connection, long idleNanos, long holdNanos) {
    this.connection = connection;
    this.lock = connection.lock;
    this.holdNanos = holdNanos;
    this.idleClock = new IdleClock(idleNanos);
  }

  /** The owner will sweep: from now the reader's waits are untimed. Before the reader starts. */
  void enable() {
    enabled = true;
  }

  boolean enabled() {
    return enabled;
  }

  /** The reader is about to wait for the socket without a timeout. */
  void waiting(long now) {
    sparesReleased = false;
    waitingSince = now;
  }

  /** The reader's wait ended; returns true if the sweep gave up the spare chunks meanwhile. */
  boolean ended() {
    waitingSince = NOT_WAITING;
    return sparesReleased;
  }

  /** One look by the owner's sweep, at {@code now}; any thread, one at a time. */
  void sweep(long now) {
    long since = waitingSince;
    if (since == NOT_WAITING) return;
    boolean open;
    int opened;
    lock.lock();
    try {
      open = !connection.streams.isEmptyLocked();
      opened = connection.streams.streamsOpenedLocked();
    } finally {
      lock.unlock();
    }
    if (idleClock.left(now, open, opened) <= 0) {
      log.debug("{}: idle for {}, closing", connection, connection.config().idleTimeout());
      connection.shutdownGracefully();
      if (isIdle()) connection.terminate(GracefulShutdown.Ending.LOST);
      return;
    }
    if (!sparesReleased && now - since >= holdNanos) {
      sparesReleased = true;
      connection.chunks.release();
      connection.ends.stopEarlyResponses();
    }
  }

  private boolean isIdle() {
    lock.lock();
    try {
      return connection.streams.isEmptyLocked();
    } finally {
      lock.unlock();
    }
  }
}
