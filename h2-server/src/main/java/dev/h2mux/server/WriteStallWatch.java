package dev.h2mux.server;

import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds how long a write to a client may make no progress. Java has no timeout for a blocking
 * socket write, so a client that stops reading would otherwise hold its connection, its thread and
 * a response half sent for as long as it likes (a "slow read" attack). The acceptor's sweep ({@link
 * Acceptor}) calls {@link #sweep} a few times per idle timeout; it closes the socket under a write
 * that has been blocked longer than the limit (the idle timeout, as Jetty applies its idle timeout
 * to blocked writes), the blocked write then fails, and the connection ends as if the client had
 * gone.
 *
 * <p>The cost on the write path is two clock reads per socket write ({@link WatchedOutputStream}),
 * nothing per request.
 */
final class WriteStallWatch {
  private static final Logger log = LoggerFactory.getLogger(WriteStallWatch.class);

  private final long limitNanos;
  private final Set<WatchedOutputStream> outputs = ConcurrentHashMap.newKeySet();

  /**
   * @param limit how long one write may be blocked
   */
  WriteStallWatch(Duration limit) {
    this.limitNanos = limit.toNanos();
  }

  /** {@code socket}'s output, watched until {@link #forget}. */
  WatchedOutputStream watch(Socket socket, OutputStream out) {
    WatchedOutputStream watched = new WatchedOutputStream(socket, out);
    outputs.add(watched);
    return watched;
  }

  /** Stops watching an output whose connection has ended. */
  void forget(WatchedOutputStream out) {
    outputs.remove(out);
  }

  /** The number of outputs watched; for tests. */
  int watched() {
    return outputs.size();
  }

  /**
   * Closes the connections whose write has been blocked longer than the limit.
   *
   * @param nowNanos {@link System#nanoTime()} at the sweep
   */
  void sweep(long nowNanos) {
    for (WatchedOutputStream out : outputs) {
      if (out.blockedLongerThan(limitNanos, nowNanos)) {
        log.debug(
            "closing {}: a write made no progress for {} ms",
            out.remoteAddress(),
            TimeUnit.NANOSECONDS.toMillis(limitNanos));
        out.abort();
        outputs.remove(out);
      }
    }
  }
}
