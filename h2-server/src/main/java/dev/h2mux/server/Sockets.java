package dev.h2mux.server;

import java.io.Closeable;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closing a socket whose failure to close has no one left to tell. */
final class Sockets {
  private static final Logger log = LoggerFactory.getLogger(Sockets.class);

  private Sockets() {}

  /** Closes {@code socket}; a failure is logged at TRACE, since the socket is done with anyway. */
  static void closeQuietly(Closeable socket) {
    try {
      socket.close();
    } catch (IOException e) {
      log.trace("close failed", e);
    }
  }
}
