package dev.h2mux.server;

import dev.h2mux.core.HttpFields;
import java.util.Objects;

/**
 * The HTTP/1.1 request that asked for an h2c upgrade (RFC 7540 §3.2); after the 101 response it
 * becomes HTTP/2 stream 1, half-closed (remote).
 *
 * @param method the request method
 * @param path the request target's path and query (origin-form)
 * @param authority the Host header (or the absolute-form target's authority)
 * @param headers the request's header fields, frozen, without the connection-specific ones HTTP/2
 *     forbids: Host (see {@code authority}), Connection and the fields it names, Upgrade,
 *     HTTP2-Settings, Keep-Alive, Proxy-Connection, Transfer-Encoding, and TE unless it is {@code
 *     trailers}
 * @param body the whole request body, already read (empty if none)
 * @param http2Settings the base64url-decoded HTTP2-Settings header: a SETTINGS frame payload (its
 *     length a multiple of 6, checked)
 */
record UpgradeRequest(
    String method,
    String path,
    String authority,
    HttpFields headers,
    byte[] body,
    byte[] http2Settings) {
  UpgradeRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(http2Settings, "http2Settings");
  }
}
