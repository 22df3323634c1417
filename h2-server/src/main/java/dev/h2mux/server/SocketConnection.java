package dev.h2mux.server;

import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;

/**
 * What every {@link Connection} learns from its socket alone, whatever the protocol over it: TLS or
 * not, what ALPN chose, and the two addresses.
 */
abstract class SocketConnection implements Connection {
  /** The connection's socket: an SSLSocket over TLS. */
  final Socket socket;

  SocketConnection(Socket socket) {
    this.socket = socket;
  }

  @Override
  public final boolean isSecure() {
    return socket instanceof SSLSocket;
  }

  @Override
  public final String applicationProtocol() {
    return Sockets.applicationProtocol(socket);
  }

  @Override
  public final InetSocketAddress localAddress() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  @Override
  public final InetSocketAddress remoteAddress() {
    return (InetSocketAddress) socket.getRemoteSocketAddress();
  }

  @Override
  public String toString() {
    return protocol() + " connection from " + remoteAddress();
  }
}
