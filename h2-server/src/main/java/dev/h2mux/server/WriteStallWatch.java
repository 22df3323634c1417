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
 * a response half sent for as long as it likes (a "slow read" attack). One virtual thread per
 * server, {@code h2mux-write-watch-<port>}, looks at every connection's output a few times per
 * limit and closes the socket under a write that has been blocked longer than the limit (the idle
 * timeout, as Jetty applies its idle timeout to blocked writes); the blocked write then fails and
 * the connection ends as if the client had gone.
 *
 * <p>The cost on the write path is two clock reads per socket write ({@link WatchedOutputStream}),
 * nothing per request.
 */
final class WriteStallWatch {
  private static final Logger log = LoggerFactory.getLogger(WriteStallWatch.class);

  private final long limitNanos;
  private final long periodNanos;
  private final Set<WatchedOutputStream> outputs = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean stopped;

  /**
   * @param limit how long one write may be blocked
   * @param port the listening port, for the thread's name
   */
  WriteStallWatch(Duration limit, int port) {
    this.limitNanos = limit.toNanos();
    // A stalled write is noticed between one and about 1.25 limits after it began.
    this.periodNanos =
        Math.clamp(limitNanos / 4, TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(1));
    this.thread = Thread.ofVirtual().name("h2mux-write-watch-" + port).unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  /**
   * Stops watching; the thread ends at once.
   *
   * @return the watch's thread, to join
   */
  Thread stop() {
    stopped = true;
    thread.interrupt();
    return thread;
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

  private void run() {
    while (!stopped) {
      try {
        TimeUnit.NANOSECONDS.sleep(periodNanos);
      } catch (InterruptedException e) {
        return; // stop()
      }
      long now = System.nanoTime();
      for (WatchedOutputStream out : outputs) {
        if (out.blockedLongerThan(limitNanos, now)) {
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
}
