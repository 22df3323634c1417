/** The h2mux HTTP/2 server: h2c, HTTP/1.1 with Upgrade, and TLS with ALPN on one port. */
module dev.h2mux.server {
  requires transitive dev.h2mux.core;

  exports dev.h2mux.server;
}
