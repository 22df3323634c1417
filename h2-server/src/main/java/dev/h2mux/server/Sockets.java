package dev.h2mux.server;

import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the server asks of any connection's socket: to close quietly, and what ALPN chose. */
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

  /** The protocol ALPN chose on {@code socket} (RFC 7301), or null: cleartext, or no ALPN. */
  static String applicationProtocol(Socket socket) {
    if (!(socket instanceof SSLSocket ssl)) return null;
    String protocol = ssl.getApplicationProtocol();
    return protocol == null || protocol.isEmpty() ? null : protocol;
  }
}
