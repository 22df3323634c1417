package dev.h2mux.client;

import dev.h2mux.core.engine.Http2Connection;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/2 connections to one origin: the one new streams go to (a new one replaces it once it
 * takes no new streams), older ones finishing their streams, and one connect attempt at a time that
 * concurrent requests wait for. A connection counts as ready once the server's first SETTINGS were
 * applied, so no request goes out before the server's stream limit is known.
 */
final class Http2Connector {
  private static final Logger log = LoggerFactory.getLogger(Http2Connector.class);
  private static final List<String> ALPN = List.of("h2", "http/1.1");

  private final Http2Client client;
  private final ClientConfig config;
  private final Origin origin;
  private final Dialer dialer;
  private final ClientUpgrade upgrade;
  private final Runnable onHttp1Only;
  private final Http2Sessions sessions;
  private final ReentrantLock lock = new ReentrantLock();

  // Guarded by lock.
  private CompletableFuture<Http2Session> connecting;

  /**
   * @param onHttp1Only told when the origin turned out to speak HTTP/1.1 only, before any request
   *     that waited for this attempt goes on
   */
  Http2Connector(
      Http2Client client,
      Origin origin,
      Dialer dialer,
      Http2Sessions sessions,
      ClientUpgrade upgrade,
      Runnable onHttp1Only) {
    this.client = client;
    this.sessions = sessions;
    this.config = client.settings;
    this.origin = origin;
    this.dialer = dialer;
    this.upgrade = upgrade;
    this.onHttp1Only = onHttp1Only;
  }

  /**
   * The connection for {@code request}: the current one, the one another request is opening, or a
   * new one. Waits no longer than {@code deadline}, since another request's attempt may be an h2c
   * Upgrade waiting for its own response with its own (perhaps no) timeout.
   */
  ConnectResult acquire(
      ClientRequest request, Cancellation cancel, Deadline deadline, Exchange exchange)
      throws IOException {
    while (true) {
      // The common case, a connection in use, takes one lock, not the connect lock as well.
      Http2Session usable = sessions.usable();
      if (usable != null) return usable.asResult;
      CompletableFuture<Http2Session> pending;
      boolean mine = false;
      lock.lock();
      try {
        usable = sessions.usable();
        if (usable != null) return usable.asResult;
        if (connecting == null) {
          connecting = new CompletableFuture<>();
          mine = true;
        }
        pending = connecting;
      } finally {
        lock.unlock();
      }
      if (!mine) {
        Http2Session session = await(pending, deadline);
        if (session == null) return new ConnectResult.Http1Only(null);
        if (!session.isShutdown()) return session.asResult;
        continue;
      }
      try {
        ConnectResult result = connect(request, cancel, deadline, exchange);
        Http2Session session =
            switch (result) {
              case ConnectResult.Http2 h -> h.session();
              case ConnectResult.Upgraded u -> u.session();
              case ConnectResult.Http1Only o -> null;
              case ConnectResult.UpgradeDeclined d -> null;
            };
        lock.lock();
        try {
          connecting = null;
          if (session != null) sessions.makeCurrent(session);
        } finally {
          lock.unlock();
        }
        pending.complete(session);
        return result;
      } catch (Throwable e) {
        // Errors too: a connect attempt left pending would hold every later request forever.
        lock.lock();
        try {
          connecting = null;
        } finally {
          lock.unlock();
        }
        pending.completeExceptionally(e);
        throw e;
      }
    }
  }

  private Http2Session await(CompletableFuture<Http2Session> pending, Deadline deadline)
      throws IOException {
    try {
      if (!deadline.isSet()) return pending.get();
      return pending.get(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw deadline.exceeded("no connection to " + origin + " was ready");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for a connection");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) throw io;
      throw new IOException("connecting failed: " + e.getCause(), e.getCause());
    }
  }

  private ConnectResult connect(
      ClientRequest request, Cancellation cancel, Deadline deadline, Exchange exchange)
      throws IOException {
    String name = origin.host() + ":" + origin.port() + "#" + client.nextConnectionNumber();
    Dialed dialed = dialer.dial(ALPN, name, exchange);
    try {
      if (origin.tls()) {
        if ("h2".equals(dialed.alpn())) {
          return start(dialed, dialed.socket().getInputStream()).asResult;
        }
        onHttp1Only.run();
        return new ConnectResult.Http1Only(new Http1Connection(dialed));
      }
      if (config.mode() == ConnectionMode.UPGRADE) {
        return upgrade.upgrade(this, dialed, request, cancel, deadline, exchange);
      }
      PrefaceSniffer sniffer = new PrefaceSniffer(dialed.socket().getInputStream());
      Http2Session session = newSession(dialed, sniffer);
      session.connection.start();
      try {
        awaitReady(session, dialed.budget());
        return session.asResult;
      } catch (Http2ClientException e) {
        // It ended before it was ready. The reader judges the server's first bytes on its first
        // read, and the writer may have seen the end first: let the reader finish, then ask.
        awaitTermination(session);
        if (sniffer.sawSettings()) throw e;
        // Python's http.server answers with a bare HTML page, others with a status line or
        // by closing: none of it is HTTP/2, so this origin gets HTTP/1.1 on a new connection.
        info(name, "the server did not answer the HTTP/2 preface with SETTINGS: using HTTP/1.1");
        log.debug("{}: {} does not speak h2c, falling back to HTTP/1.1", name, origin);
        onHttp1Only.run();
        return new ConnectResult.Http1Only(null);
      }
    } catch (IOException | RuntimeException e) {
      dialed.close();
      throw e;
    } finally {
      dialed.settled();
    }
  }

  private Http2Session start(Dialed dialed, InputStream in) throws IOException {
    Http2Session session = newSession(dialed, in);
    session.connection.start();
    awaitReady(session, dialed.budget());
    return session;
  }

  private void awaitTermination(Http2Session session) throws InterruptedIOException {
    try {
      session.connection.awaitTermination(
          config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while connecting");
    }
  }

  /** A connection over {@code dialed}, registered so that {@link #close} ends it; not started. */
  Http2Session newSession(Dialed dialed, InputStream in) throws IOException {
    TraceListener trace = config.trace();
    Socket socket = dialed.socket();
    InputStream input =
        trace == null
            ? in
            : WireTrace.inbound(in, trace, dialed.name(), config.http2().maxFrameSize());
    OutputStream output =
        trace == null
            ? socket.getOutputStream()
            : WireTrace.outbound(socket.getOutputStream(), trace, dialed.name());
    Http2Session[] self = new Http2Session[1];
    Http2Connection connection =
        new Http2Connection(
            Http2Connection.Role.CLIENT,
            config.http2(),
            socket,
            input,
            output,
            new Http2Connection.Listener() {
              @Override
              public void onClose(Http2Connection c) {
                sessions.forget(self[0]);
              }
            });
    connection.timeReadsByOwner(); // the client's timer: Http2Sessions.expireStalledReads
    Http2Session session =
        new Http2Session(connection, dialed.name(), dialed.remote(), dialed.local());
    self[0] = session;
    sessions.register(session);
    return session;
  }

  /**
   * Waits until the server's first SETTINGS were applied: the answer to a PING follows them; for
   * what is left of the connect timeout.
   *
   * @throws Http2ClientException if the connection ended first: the server does not speak HTTP/2,
   *     or broke off (not retried: it did not fail as a connection in use does)
   */
  void awaitReady(Http2Session session, ConnectBudget budget) throws IOException {
    String step = "the HTTP/2 preface of " + origin;
    try {
      session
          .connection
          .ping()
          .get(
              budget.remainingMillis(ConnectTimeoutException.Step.HTTP2_PREFACE, step),
              TimeUnit.MILLISECONDS);
      info(session.name, "HTTP/2 connection ready");
    } catch (TimeoutException e) {
      session.connection.close();
      throw budget.exceeded(ConnectTimeoutException.Step.HTTP2_PREFACE, step);
    } catch (ConnectTimeoutException e) {
      session.connection.close();
      throw e;
    } catch (ExecutionException e) {
      session.connection.close();
      throw new Http2ClientException(
          "the server closed the connection before the HTTP/2 connection was ready",
          null,
          e.getCause());
    } catch (InterruptedException e) {
      session.connection.close();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while connecting");
    }
  }

  private void info(String connection, String event) {
    Tracer.info(config.trace(), connection, event);
  }
}
