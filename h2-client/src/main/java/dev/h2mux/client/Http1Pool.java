package dev.h2mux.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The HTTP/1.1 keep-alive connections to one origin: at most {@code maxHttp1ConnectionsPerOrigin}
 * of them, busy or idle; a request takes an idle one (the most recently used) or opens one while
 * there are free slots, and otherwise waits for a release. Idle connections close after the idle
 * timeout.
 */
final class Http1Pool {
  private static final List<String> ALPN = List.of("http/1.1");

  private final Http2Client client;
  private final ClientConfig config;
  private final Origin origin;
  private final Dialer dialer;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition freed = lock.newCondition();

  // Guarded by lock.
  private final ArrayDeque<Http1Connection> idle = new ArrayDeque<>();
  private final Set<Http1Connection> all = new HashSet<>();
  private int count;
  private boolean closed;

  Http1Pool(Http2Client client, Origin origin, Dialer dialer) {
    this.client = client;
    this.config = client.settings;
    this.origin = origin;
    this.dialer = dialer;
  }

  /**
   * A pooled idle connection, or a new one if the origin has fewer than its maximum; otherwise
   * waits for one to be released, until the request's deadline. Cancelling the request interrupts
   * the wait.
   */
  Http1Connection acquire(Deadline deadline, Exchange exchange) throws IOException {
    lock.lock();
    try {
      long nanos = deadline.remainingNanos();
      long idleNanos = config.idleTimeout().toNanos();
      while (true) {
        if (closed) throw new IOException("client closed");
        for (Http1Connection c; (c = idle.pollLast()) != null; ) {
          if (!c.isClosed() && System.nanoTime() - c.idleSince < idleNanos) return c;
          discardLocked(c);
        }
        if (count < config.maxHttp1ConnectionsPerOrigin()) {
          count++;
          break;
        }
        if (nanos <= 0) {
          throw deadline.exceeded(
              "none of the "
                  + config.maxHttp1ConnectionsPerOrigin()
                  + " HTTP/1.1 connections to "
                  + origin
                  + " became free");
        }
        nanos = freed.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for a connection");
    } finally {
      lock.unlock();
    }
    Dialed dialed = null;
    try {
      String name = origin.host() + ":" + origin.port() + "#" + client.nextConnectionNumber();
      dialed = dialer.dial(ALPN, name, exchange);
      Http1Connection connection = new Http1Connection(dialed);
      lock.lock();
      try {
        if (closed) throw new IOException("client closed");
        all.add(connection);
      } finally {
        lock.unlock();
      }
      dialed.settled();
      return connection;
    } catch (IOException | RuntimeException e) {
      if (dialed != null) dialed.close();
      lock.lock();
      try {
        count--;
        freed.signalAll();
      } finally {
        lock.unlock();
      }
      throw e;
    }
  }

  /** Takes a connection opened elsewhere (by ALPN or a declined h2c Upgrade) into the pool. */
  void adopt(Http1Connection connection) throws IOException {
    lock.lock();
    try {
      if (closed) {
        connection.close();
        throw new IOException("client closed");
      }
      count++;
      all.add(connection);
    } finally {
      lock.unlock();
    }
  }

  /** Gives a connection back: idle for the next request if {@code reusable}, else closed. */
  void release(Http1Connection connection, boolean reusable) {
    lock.lock();
    try {
      if (reusable && !closed && !connection.isClosed()) {
        connection.idleSince = System.nanoTime();
        idle.addLast(connection);
      } else {
        discardLocked(connection);
      }
      // All: a waiter woken by signal() may be timing out at that moment and take the
      // wake-up with it, leaving another waiter asleep beside a free slot.
      freed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void discardLocked(Http1Connection connection) {
    connection.close();
    if (all.remove(connection)) count--;
  }

  /** Closes connections idle for the idle timeout; called by the client's timer. */
  void maintain(long now) {
    List<Http1Connection> expired = new ArrayList<>();
    lock.lock();
    try {
      long idleNanos = config.idleTimeout().toNanos();
      for (Iterator<Http1Connection> it = idle.iterator(); it.hasNext(); ) {
        Http1Connection c = it.next();
        if (now - c.idleSince >= idleNanos || c.isClosed()) {
          it.remove();
          expired.add(c);
          if (all.remove(c)) count--;
        }
      }
      // Their slots are free: requests waiting for a connection may open one.
      if (!expired.isEmpty()) freed.signalAll();
    } finally {
      lock.unlock();
    }
    TraceListener trace = config.trace();
    for (Http1Connection c : expired) {
      if (trace != null) {
        Tracer.info(
            trace,
            c.name,
            "closing the connection, idle for " + config.idleTimeout().toMillis() + " ms");
      }
      c.close();
    }
  }

  /** Closes every connection at once; requests in flight fail. */
  void close() {
    List<Http1Connection> connections;
    lock.lock();
    try {
      closed = true;
      connections = new ArrayList<>(all);
      idle.clear();
      freed.signalAll();
    } finally {
      lock.unlock();
    }
    for (Http1Connection c : connections) c.close();
  }
}
