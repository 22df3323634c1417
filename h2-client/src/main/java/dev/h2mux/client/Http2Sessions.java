package dev.h2mux.client;

import dev.h2mux.core.engine.Http2Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/2 connections to one origin: the current one, which new streams go to, and older ones
 * that finish their streams after a newer one replaced them. Each stays here until its threads
 * ended, so that {@link #close} ends every one.
 */
final class Http2Sessions {
  private static final Logger log = LoggerFactory.getLogger(Http2Sessions.class);

  private final Origin origin;
  private final ReentrantLock lock = new ReentrantLock();

  // Guarded by lock.
  private Http2Session current;
  private final List<Http2Session> all = new ArrayList<>();
  private boolean closed;

  Http2Sessions(Origin origin) {
    this.origin = origin;
  }

  /** Adds a connection being opened, so that {@link #close} ends it. */
  void register(Http2Session session) throws IOException {
    lock.lock();
    try {
      if (closed) throw new IOException("client closed");
      all.add(session);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The connection new streams go to now, if it takes them; else null.
   *
   * @throws IOException if the client is closed
   */
  Http2Session usable() throws IOException {
    lock.lock();
    try {
      if (closed) throw new IOException("client closed");
      return current != null && !current.isShutdown() ? current : null;
    } finally {
      lock.unlock();
    }
  }

  /** The connection new streams go to, or null; for upkeep. */
  Http2Session current() {
    lock.lock();
    try {
      return current;
    } finally {
      lock.unlock();
    }
  }

  /** New streams go to {@code session} from now on. */
  void makeCurrent(Http2Session session) {
    lock.lock();
    try {
      current = session;
    } finally {
      lock.unlock();
    }
  }

  /** No new streams go to {@code session} any more: it ended, or is being closed. */
  void forget(Http2Session session) {
    lock.lock();
    try {
      if (current == session) current = null;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops giving {@code session} to new requests; it closes once its streams are done (it was idle,
   * or it refused a stream and the retry gets a fresh connection).
   */
  void retire(Http2Session session) {
    forget(session);
    session.connection.shutdownGracefully();
  }

  /** Drops connections whose threads have ended; called by the client's timer. */
  void prune() {
    lock.lock();
    try {
      all.removeIf(s -> s.connection.isClosed() && terminated(s.connection));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Fails the body reads that waited for DATA for the idle timeout: each connection leaves that to
   * this, the client's timer ({@link Http2Connection#timeReadsByOwner}).
   */
  void expireStalledReads(long now) {
    List<Http2Session> sessions;
    lock.lock();
    try {
      sessions = new ArrayList<>(all);
    } finally {
      lock.unlock();
    }
    for (Http2Session s : sessions) s.connection.sweep(now);
  }

  private static boolean terminated(Http2Connection c) {
    try {
      return c.awaitTermination(0, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Closes every connection at once; their requests fail. */
  void close() {
    List<Http2Session> sessions;
    lock.lock();
    try {
      closed = true;
      sessions = new ArrayList<>(all);
    } finally {
      lock.unlock();
    }
    for (Http2Session s : sessions) s.closeBecause("client closed");
  }

  /** Waits until every connection's threads ended. */
  void awaitClosed(Duration timeout) {
    List<Http2Session> sessions;
    lock.lock();
    try {
      sessions = new ArrayList<>(all);
    } finally {
      lock.unlock();
    }
    try {
      for (Http2Session s : sessions) {
        if (!s.connection.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("{}: {} did not stop within {}", origin, s, timeout);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
