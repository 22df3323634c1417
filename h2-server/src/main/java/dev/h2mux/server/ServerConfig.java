package dev.h2mux.server;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Everything an {@link Http2Server} was built with, for the connections to read, and the checks
 * {@link Http2Server.Builder} applies to each setting; the builder has the meaning and default of
 * each limit.
 *
 * @param bindAddress the local address to listen on
 * @param port the port to listen on; 0 for an ephemeral one
 * @param handler serves every request
 * @param maxConcurrentStreams SETTINGS_MAX_CONCURRENT_STREAMS we advertise
 * @param initialWindowSize SETTINGS_INITIAL_WINDOW_SIZE we advertise (stream receive window)
 * @param connectionWindowSize the connection receive window we grant
 * @param maxFrameSize SETTINGS_MAX_FRAME_SIZE we advertise
 * @param maxHeaderListSize SETTINGS_MAX_HEADER_LIST_SIZE we advertise; also the limit for an
 *     HTTP/1.1 request head (request line and fields, in bytes) and trailer section
 * @param idleTimeout how long a connection may sit without a request in flight
 * @param headerReadTimeout how long an HTTP/1.1 request head (and a TLS handshake) may take
 * @param http2HandshakeTimeout how long an HTTP/2 connection may take to send the client preface
 *     and its first SETTINGS
 * @param maxRequestBodyBuffered the largest request body read into memory before an h2c upgrade
 * @param gracefulShutdownTimeout how long {@link Http2Server#close()} waits for in-flight work
 * @param http2Only true if every connection must speak HTTP/2 (no HTTP/1.1 on this port)
 * @param sslContext the TLS context, or null for cleartext
 */
record ServerConfig(
    InetAddress bindAddress,
    int port,
    Handler handler,
    int maxConcurrentStreams,
    int initialWindowSize,
    int connectionWindowSize,
    int maxFrameSize,
    int maxHeaderListSize,
    Duration idleTimeout,
    Duration headerReadTimeout,
    Duration http2HandshakeTimeout,
    long maxRequestBodyBuffered,
    Duration gracefulShutdownTimeout,
    boolean http2Only,
    SSLContext sslContext) {

  ServerConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(headerReadTimeout, "headerReadTimeout");
    Objects.requireNonNull(http2HandshakeTimeout, "http2HandshakeTimeout");
    Objects.requireNonNull(gracefulShutdownTimeout, "gracefulShutdownTimeout");
  }

  /** True if connections use TLS (with ALPN); false for cleartext (h2c and HTTP/1.1). */
  boolean tls() {
    return sslContext != null;
  }

  /** {@code https} or {@code http}. */
  String scheme() {
    return tls() ? "https" : "http";
  }

  /** {@link #idleTimeout} as a socket timeout in milliseconds. */
  int idleTimeoutMillis() {
    return toMillis(idleTimeout);
  }

  /** {@link #headerReadTimeout} as a socket timeout in milliseconds. */
  int headerReadTimeoutMillis() {
    return toMillis(headerReadTimeout);
  }

  /** A setting's check: {@code value} in {@code min..max}, or an exception that names it. */
  static long inRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be in " + min + ".." + max + ", got " + value);
    }
    return value;
  }

  /** A setting's check: {@code value} at least {@code min}, or an exception that names it. */
  static long atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  /** A setting's check: a positive duration, or an exception that names it. */
  static Duration positive(String name, Duration timeout) {
    Objects.requireNonNull(timeout, name);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + timeout);
    }
    return timeout;
  }

  /** A setting's check: a duration of zero or more, or an exception that names it. */
  static Duration notNegative(String name, Duration timeout) {
    Objects.requireNonNull(timeout, name);
    if (timeout.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + timeout);
    }
    return timeout;
  }

  private static int toMillis(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }
}
