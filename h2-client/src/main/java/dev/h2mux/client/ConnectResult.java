package dev.h2mux.client;

/** What an attempt to connect to an origin for HTTP/2 gave ({@link Http2Connector#acquire}). */
sealed interface ConnectResult {
  /** An HTTP/2 connection that takes new streams. */
  record Http2(Http2Session session) implements ConnectResult {}

  /**
   * The origin speaks HTTP/1.1 only. With TLS, ALPN chose {@code http/1.1} on {@code connection},
   * which the request should use; after prior knowledge was refused, {@code connection} is null.
   */
  record Http1Only(Http1Connection connection) implements ConnectResult {}

  /**
   * This request performed an h2c Upgrade: {@code response} came on stream 1 of {@code session}.
   */
  record Upgraded(Http2Session session, ClientResponse response) implements ConnectResult {}

  /** The server declined this request's h2c Upgrade and answered it over HTTP/1.1. */
  record UpgradeDeclined(ClientResponse response) implements ConnectResult {}
}
