package dev.h2mux.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upkeep of an origin's current HTTP/2 connection, run by the client's timer: closes it after
 * the idle timeout without streams (GOAWAY, then close once drained), sends a PING at the
 * configured interval, busy or idle, and closes a connection whose PING went unanswered for the
 * PING timeout, failing its requests with that reason.
 */
final class KeepAlive {
  private static final Logger log = LoggerFactory.getLogger(KeepAlive.class);

  private final ClientConfig config;
  private final Origin origin;
  private final Http2Sessions sessions;

  // Timer thread only: the PING state of the connection {@code pinged}.
  private Http2Session pinged;
  private long lastPingSent;
  private CompletableFuture<Void> pendingPing;

  KeepAlive(ClientConfig config, Origin origin, Http2Sessions sessions) {
    this.config = config;
    this.origin = origin;
    this.sessions = sessions;
  }

  void maintain(long now) {
    Http2Session session = sessions.current();
    if (session != pinged) {
      pinged = session;
      lastPingSent = now;
      pendingPing = null;
    }
    if (session == null) return;
    if (session.connection.activeStreams() > 0) {
      session.touch();
    } else if (now - session.lastActive() >= config.idleTimeout().toNanos()) {
      log.debug("{}: closing the idle HTTP/2 connection {}", origin, session);
      sessions.retire(session);
      return;
    }
    Duration interval = config.pingInterval();
    if (interval == null) return;
    if (pendingPing != null && !pendingPing.isDone()) {
      Duration timeout = config.pingTimeout();
      if (now - lastPingSent >= timeout.toNanos()) {
        String reason = "no PING ACK within " + timeout.toMillis() + " ms";
        log.debug("{}: {}, closing {}", origin, reason, session);
        sessions.forget(session);
        session.closeBecause(reason);
        pendingPing = null;
      }
      return;
    }
    if (now - lastPingSent >= interval.toNanos()) {
      lastPingSent = now;
      pendingPing = session.connection.ping();
    }
  }
}
