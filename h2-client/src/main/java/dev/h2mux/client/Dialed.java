package dev.h2mux.client;

import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A connection {@link Dialer} opened: the socket to speak HTTP on (an {@code SSLSocket} for {@code
 * https}), the protocol ALPN chose (null without TLS or without agreement), and the peer's address
 * (the proxy's, through one).
 *
 * @param local the client's end of the connection
 * @param tracked the plain socket, tracked in {@link OpeningSockets} until {@link #settled}
 * @param budget what is left of the connect timeout, for the steps after the dial
 */
record Dialed(
    Socket socket,
    String alpn,
    InetSocketAddress remote,
    InetSocketAddress local,
    Socket tracked,
    OpeningSockets opening,
    String name,
    ConnectBudget budget) {

  /** The connection joined its pool or was closed: the socket needs no tracking any more. */
  void settled() {
    opening.remove(tracked);
  }

  /** Closes the socket and stops tracking it. */
  void close() {
    OpeningSockets.closeQuietly(socket);
    OpeningSockets.closeQuietly(tracked);
    settled();
  }
}
