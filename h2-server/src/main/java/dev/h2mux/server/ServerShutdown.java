package dev.h2mux.server;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's shutdown, graceful or at once: stop accepting, ask every connection to finish what is
 * in flight and wait up to the grace period, close what is still busy, wait for every connection
 * thread, and say in one log line how it went. {@link Http2Server#close()} describes what a client
 * sees.
 */
final class ServerShutdown {
  /** The log line is the server's: operators look for it under Http2Server (DEPLOYMENT.md). */
  private static final Logger log = LoggerFactory.getLogger(Http2Server.class);

  /** How long each step past the grace period may take: a closed connection's last words. */
  private static final Duration FORCED_CLOSE_WAIT = Duration.ofSeconds(5);

  private ServerShutdown() {}

  /**
   * Shuts down what {@code acceptor} accepted, within {@code grace}; zero closes at once.
   *
   * @param where the listening address, for the log line
   */
  static void run(Acceptor acceptor, Duration grace, String where) {
    long start = System.nanoTime();
    acceptor.stop(); // new connections are refused from here on
    joinUninterruptibly(acceptor.thread(), FORCED_CLOSE_WAIT);
    int total = acceptor.connectionCount();
    if (!grace.isZero()) {
      for (ServerConnection connection : acceptor.connections()) {
        connection.shutdownGracefully();
      }
      awaitConnections(acceptor, grace);
    }
    List<ServerConnection> busy = acceptor.connections();
    int cut = 0;
    for (ServerConnection connection : busy) {
      cut += connection.closeNow();
    }
    // Each closes within its own bounds: its last frames out, a short linger for the peer.
    awaitConnections(acceptor, FORCED_CLOSE_WAIT);
    List<Thread> stuck = acceptor.connectionThreads();
    for (Thread thread : stuck) {
      thread.interrupt();
    }
    for (Thread thread : stuck) {
      joinUninterruptibly(thread, FORCED_CLOSE_WAIT);
    }
    if (acceptor.connectionCount() > 0) {
      log.warn(
          "{} connection threads did not end within {}",
          acceptor.connectionCount(),
          FORCED_CLOSE_WAIT);
    }
    logShutdown(where, start, grace, total, busy.size(), cut);
  }

  private static void logShutdown(
      String where, long start, Duration grace, int total, int forced, int cut) {
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (grace.isZero()) {
      log.info(
          "{} closed in {} ms: {} connections closed at once, {} requests/streams cut",
          where,
          millis,
          total,
          cut);
    } else if (cut > 0) {
      log.warn(
          "{} shut down in {} ms: {} of {} connections drained, {} still busy after the {} ms"
              + " graceful timeout were closed, {} requests/streams cut",
          where,
          millis,
          total - forced,
          total,
          forced,
          grace.toMillis(),
          cut);
    } else {
      log.info(
          "{} shut down in {} ms: {} of {} connections drained, 0 requests/streams cut",
          where,
          millis,
          total - forced,
          total);
    }
  }

  /** Waits until every connection thread ended, or the timeout passed. */
  private static void awaitConnections(Acceptor acceptor, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread thread : acceptor.connectionThreads()) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return;
      }
      joinUninterruptibly(thread, Duration.ofNanos(remaining));
    }
  }

  /** Joins {@code thread} for up to {@code timeout}; an interrupt is kept for after. */
  private static void joinUninterruptibly(Thread thread, Duration timeout) {
    boolean interrupted = false;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (thread.isAlive()) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        break;
      }
      try {
        thread.join(Duration.ofNanos(remaining));
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
