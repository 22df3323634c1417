package dev.h2mux.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The connection a {@link Request} arrived on, shared by every request on it: what it is, and the
 * HTTP/2 controls a handler may use on it. Thread-safe.
 *
 * <p>Over HTTP/1.1 the HTTP/2-only parts do what HTTP/1.1 can: {@link #ping()} fails, {@link
 * #peerSettings()} is empty, and {@link #goAway} closes the connection after a number of requests.
 */
public interface Connection {
  /** SETTINGS_HEADER_TABLE_SIZE, a key of {@link #peerSettings()} (RFC 9113 §6.5.2). */
  int SETTINGS_HEADER_TABLE_SIZE = 0x1;

  /** SETTINGS_ENABLE_PUSH. */
  int SETTINGS_ENABLE_PUSH = 0x2;

  /** SETTINGS_MAX_CONCURRENT_STREAMS. */
  int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;

  /** SETTINGS_INITIAL_WINDOW_SIZE. */
  int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;

  /** SETTINGS_MAX_FRAME_SIZE. */
  int SETTINGS_MAX_FRAME_SIZE = 0x5;

  /** SETTINGS_MAX_HEADER_LIST_SIZE. */
  int SETTINGS_MAX_HEADER_LIST_SIZE = 0x6;

  /**
   * {@code HTTP/2}, or {@code HTTP/1.1} for a connection serving HTTP/1.x (each request's own
   * version is {@link Request#protocol()}).
   *
   * @return the connection's protocol
   */
  String protocol();

  /**
   * Whether the connection runs over TLS.
   *
   * @return true over TLS
   */
  boolean isSecure();

  /**
   * The protocol TLS negotiated by ALPN (RFC 7301).
   *
   * @return {@code h2} or {@code http/1.1}; null in cleartext, or when the client offered no ALPN
   */
  String applicationProtocol();

  /**
   * Whether this is an HTTP/2 connection that began as HTTP/1.1 and switched with {@code Upgrade:
   * h2c}.
   *
   * @return true after an h2c upgrade; false for prior knowledge, TLS, and HTTP/1.1
   */
  boolean isUpgraded();

  /**
   * Our end of the connection.
   *
   * @return the local address and port
   */
  InetSocketAddress localAddress();

  /**
   * The client's end of the connection.
   *
   * @return the remote address and port
   */
  InetSocketAddress remoteAddress();

  /**
   * The HTTP/2 settings the client has sent (in SETTINGS frames, or an h2c Upgrade's {@code
   * HTTP2-Settings}), the latest value of each, keyed by identifier ({@link
   * #SETTINGS_HEADER_TABLE_SIZE} …). A setting the client never sent is absent and has its RFC 9113
   * §6.5.2 default; for {@link #SETTINGS_MAX_HEADER_LIST_SIZE} that means no announced limit.
   * Identifiers unknown to RFC 9113 are not kept.
   *
   * @return an unmodifiable snapshot, in identifier order; empty over HTTP/1.1
   */
  Map<Integer, Long> peerSettings();

  /**
   * Sends an HTTP/2 PING (RFC 9113 §6.7) and measures the round trip: the future completes with the
   * time from queueing the PING to receiving its ACK. It completes exceptionally if the connection
   * ends first, and with {@link UnsupportedOperationException} over HTTP/1.1. It never times out by
   * itself (use {@link CompletableFuture#orTimeout}); its dependent actions do not run on the
   * connection's reader, so they may block.
   *
   * @return the round trip, once the ACK arrived
   */
  CompletableFuture<Duration> ping();

  /**
   * Closes the connection gracefully once it has accepted {@code afterStreams} more streams
   * (requests): with 0 at once. HTTP/2 then sends GOAWAY (RFC 9113 §6.8) with {@code error} and the
   * last stream accepted; the streams up to it finish, later ones are ignored (the client retries
   * them on a new connection), and the connection closes when none is left. HTTP/1.1 serves {@code
   * afterStreams} more requests, then closes; the last response carries {@code Connection: close}
   * if it was not yet committed, and {@code error} is not sent. A second call can only bring the
   * close nearer.
   *
   * @param error the GOAWAY's code, {@link Http2ErrorCode#NO_ERROR} for a plain goodbye
   * @param afterStreams how many more streams (requests) to accept first, 0 or more
   * @throws IllegalArgumentException if {@code afterStreams} is negative
   */
  void goAway(Http2ErrorCode error, int afterStreams);
}
