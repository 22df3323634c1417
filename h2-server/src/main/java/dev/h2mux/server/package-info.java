/**
 * The h2mux server: {@link dev.h2mux.server.Http2Server} serves HTTP/2 (prior knowledge, h2c
 * Upgrade, or TLS with ALPN) and HTTP/1.1 on one port, and calls one {@link
 * dev.h2mux.server.Handler} for every request, whichever protocol carried it.
 *
 * <p>Public API: {@code Http2Server}, {@code Handler}, {@code Request}, {@code Response}, {@code
 * Connection} (the connection a request came on: PING, GOAWAY, the peer's settings), {@code
 * Http2ErrorCode} and {@code TlsConfig}; the connection classes are internal, one concept per file
 * (docs/DESIGN.md, "The server", maps them). Threads: one platform thread accepts; each connection
 * runs on a virtual thread of its own (an HTTP/2 connection adds a writer thread), and so does each
 * HTTP/2 stream's handler; an HTTP/1.1 handler runs on its connection's thread, one request after
 * the other. A handler may block.
 */
package dev.h2mux.server;
