package dev.h2mux.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the client holds for one origin: what the origin speaks, the HTTP/2 connections and
 * the HTTP/1.1 pool, and the routing of each request between them, with its retries.
 */
final class OriginPool {
  private static final Logger log = LoggerFactory.getLogger(OriginPool.class);

  private final Http2Client client;
  private final ClientConfig config;
  private final Origin origin;
  private final OpeningSockets opening = new OpeningSockets();
  private final Http1Pool http1Pool;
  private final Http1Call http1;
  private final Http2Sessions sessions;
  private final Http2Connector connector;
  private final Http2Call http2;
  private final KeepAlive keepAlive;

  /** True once the origin is known to speak only HTTP/1.1 (ALPN, or h2c refused). */
  private volatile boolean http1Only;

  OriginPool(Http2Client client, Origin origin) {
    this.client = client;
    this.config = client.settings;
    this.origin = origin;
    Dialer dialer = new Dialer(config, origin, opening, client::newThread);
    this.http1Pool = new Http1Pool(client, origin, dialer);
    this.http1 = new Http1Call(client, origin, http1Pool);
    Runnable speaksHttp1 = () -> http1Only = true;
    this.sessions = new Http2Sessions(origin);
    this.http2 = new Http2Call(client, origin, sessions::retire);
    this.connector =
        new Http2Connector(
            client,
            origin,
            dialer,
            sessions,
            new ClientUpgrade(config, origin, http1, http1Pool, http2, speaksHttp1),
            speaksHttp1);
    this.keepAlive = new KeepAlive(config, origin, sessions);
  }

  /** Sends {@code request}, retrying what {@link RetryPolicy} allows, within one deadline. */
  ClientResponse send(ClientRequest request, Cancellation cancel, Exchange exchange)
      throws IOException {
    // One deadline for every attempt: retries do not extend the caller's wait.
    Duration timeout = request.timeout() != null ? request.timeout() : config.responseTimeout();
    Deadline deadline = Deadline.after(timeout);
    for (int attempt = 1; ; attempt++) {
      cancel.check();
      try {
        return exchange(request, cancel, deadline, exchange);
      } catch (IOException | RuntimeException e) {
        if (cancel.isCancelled()) {
          InterruptedIOException cancelled = new InterruptedIOException("request cancelled");
          cancelled.initCause(e);
          throw cancelled;
        }
        if (e instanceof RuntimeException r) throw r;
        IOException io = (IOException) e;
        if (client.isClosed()) throw new IOException("client closed", e);
        if (io instanceof ExpectationFailedException) {
          request = request.withoutExpectation(); // RFC 9110 §10.1.1: once more, without it
          continue;
        }
        if (RetryPolicy.shouldRetry(io, request, attempt)) {
          log.debug("{}: {} failed ({}), sending it again", origin, request, io.getMessage());
          continue;
        }
        throw Failures.translate(io);
      }
    }
  }

  private ClientResponse exchange(
      ClientRequest request, Cancellation cancel, Deadline deadline, Exchange exchange)
      throws IOException {
    if (usesHttp2()) {
      switch (connector.acquire(request, cancel, deadline, exchange)) {
        case ConnectResult.Http2 h -> {
          return http2.exchange(h.session(), request, cancel, deadline, exchange);
        }
        case ConnectResult.Upgraded u -> {
          return u.response();
        }
        case ConnectResult.UpgradeDeclined d -> {
          return d.response();
        }
        case ConnectResult.Http1Only o -> {
          if (o.connection() != null) {
            // ALPN chose http/1.1 on this connection: it carries this request.
            http1Pool.adopt(o.connection());
            return http1.exchange(o.connection(), request, cancel, deadline, exchange);
          }
        }
      }
    }
    return http1.exchange(
        http1Pool.acquire(deadline, exchange), request, cancel, deadline, exchange);
  }

  /**
   * Whether to try HTTP/2: not when told HTTP/1.1, nor once the origin was found to speak only
   * that. An {@code http} origin through a proxy gets the h2c Upgrade in its absolute-form request
   * (a proxy that passes it on relays HTTP/2), but not prior knowledge: curl does the same.
   */
  private boolean usesHttp2() {
    return config.mode() != ConnectionMode.HTTP_1_1
        && !http1Only
        && (config.proxy() == null || origin.tls() || config.mode() == ConnectionMode.UPGRADE);
  }

  /** Idle closing, keep-alive PINGs and cleanup; called by the client's timer. */
  void maintain(long now) {
    http1Pool.maintain(now);
    sessions.prune();
    sessions.expireStalledReads(now);
    keepAlive.maintain(now);
  }

  /** Closes every connection at once; requests in flight fail. */
  void close() {
    opening.closeAll();
    sessions.close();
    http1Pool.close();
  }

  /** Waits until every HTTP/2 connection's threads ended. */
  void awaitClosed(Duration timeout) {
    sessions.awaitClosed(timeout);
  }
}
