/**
 * The HTTP/2 engine shared by the h2mux server and client: frames, HPACK, the connection and stream
 * state machine, flow control, and the HTTP/1.1 codec.
 *
 * <p>Only {@code dev.h2mux.core} is public API; the engine packages are exported to the server and
 * client modules alone.
 */
module dev.h2mux.core {
  requires transitive org.slf4j;
  requires hpack;

  exports dev.h2mux.core;
  exports dev.h2mux.core.frame to
      dev.h2mux.server,
      dev.h2mux.client;
  exports dev.h2mux.core.hpack to
      dev.h2mux.server,
      dev.h2mux.client;
  exports dev.h2mux.core.http to
      dev.h2mux.server,
      dev.h2mux.client;
  exports dev.h2mux.core.engine to
      dev.h2mux.server,
      dev.h2mux.client;
  exports dev.h2mux.core.http1 to
      dev.h2mux.server,
      dev.h2mux.client;
  exports dev.h2mux.core.io to
      dev.h2mux.server,
      dev.h2mux.client;
}
