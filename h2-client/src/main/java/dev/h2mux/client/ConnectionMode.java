package dev.h2mux.client;

/**
 * How the client reaches an {@code http://} origin. For {@code https://} origins ALPN decides:
 * {@code h2} is offered first and {@code http/1.1} second, except in {@link #HTTP_1_1} mode, which
 * offers only {@code http/1.1}.
 */
public enum ConnectionMode {
  /**
   * HTTP/2 with prior knowledge (RFC 9113 §3.3), the default. If the server answers the connection
   * preface like an HTTP/1.1 server, the client falls back to HTTP/1.1 on a fresh connection and
   * remembers that for the origin.
   */
  PRIOR_KNOWLEDGE,
  /**
   * The first request to an origin goes out as HTTP/1.1 with {@code Upgrade: h2c}; on {@code 101
   * Switching Protocols} the connection becomes HTTP/2, otherwise the origin is served over
   * HTTP/1.1.
   */
  UPGRADE,
  /** HTTP/1.1 only, with a bounded pool of keep-alive connections per origin. */
  HTTP_1_1
}
