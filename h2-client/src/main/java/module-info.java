/** The h2mux HTTP/2 client: one multiplexed connection per origin, with HTTP/1.1 fallback. */
module dev.h2mux.client {
  requires transitive dev.h2mux.core;

  exports dev.h2mux.client;
}
