package dev.h2mux.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * Opens connections for one origin: looks the host up (or takes the {@code --resolve} override),
 * tries each address in turn within the connect timeout, goes through the proxy if there is one (a
 * {@code CONNECT} tunnel for {@code https}), and runs the TLS handshake with ALPN.
 */
final class Dialer {
  private final ClientConfig config;
  private final Origin origin;
  private final OpeningSockets opening;
  private final TraceListener trace;

  Dialer(ClientConfig config, Origin origin, OpeningSockets opening) {
    this.config = config;
    this.origin = origin;
    this.opening = opening;
    this.trace = config.trace();
  }

  /**
   * Connects, through the proxy if any; for {@code https} also tunnels and shakes hands.
   *
   * @param alpn the protocols to offer over TLS, most preferred first (ignored for {@code http})
   * @param name the connection's name in traces
   */
  Dialed dial(List<String> alpn, String name, Exchange exchange) throws IOException {
    ClientConfig.ProxyConfig proxy = config.proxy();
    String host = proxy != null ? proxy.host() : origin.host();
    int port = proxy != null ? proxy.port() : origin.port();
    Socket plain = connect(host, port, name, exchange);
    InetSocketAddress remote = (InetSocketAddress) plain.getRemoteSocketAddress();
    try {
      if (!origin.tls()) return new Dialed(plain, null, remote, plain, opening, name);
      if (proxy != null) {
        ProxyTunnel.open(plain, origin, proxy, config.connectTimeoutMillis(), config, name);
      }
      SSLSocket ssl =
          Tls.handshake(
              Tls.context(config),
              plain,
              origin,
              config.insecure(),
              alpn,
              config.connectTimeoutMillis());
      exchange.tlsDone();
      String chosen = ssl.getApplicationProtocol();
      if (chosen != null && chosen.isEmpty()) chosen = null;
      info(
          name,
          "TLS "
              + ssl.getSession().getProtocol()
              + ", ALPN "
              + (chosen == null ? "not negotiated" : chosen));
      return new Dialed(ssl, chosen, remote, plain, opening, name);
    } catch (IOException | RuntimeException e) {
      OpeningSockets.closeQuietly(plain);
      opening.remove(plain);
      throw e;
    }
  }

  /** A TCP connection to the first address of {@code host} that answers; tracked in opening. */
  private Socket connect(String host, int port, String name, Exchange exchange) throws IOException {
    List<InetAddress> overridden =
        config.addressOverrides().get(ClientConfig.overrideKey(host, port));
    InetAddress[] addresses =
        overridden != null
            ? overridden.toArray(InetAddress[]::new)
            : InetAddress.getAllByName(host);
    String what = config.proxy() != null ? "the proxy " + host + ":" + port : origin.toString();
    IOException last = null;
    for (InetAddress address : addresses) {
      Socket socket = new Socket();
      opening.add(socket); // before connecting: close() ends a connect in progress
      try {
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(address, port), config.connectTimeoutMillis());
        exchange.connected(socket);
        info(name, "connected to " + address.getHostAddress() + " port " + port);
        return socket;
      } catch (SocketTimeoutException e) {
        last =
            new SocketTimeoutException(
                "connecting to "
                    + what
                    + " timed out after "
                    + config.connectTimeoutMillis()
                    + " ms");
      } catch (IOException e) {
        if (e instanceof InterruptedIOException || Thread.currentThread().isInterrupted()) {
          OpeningSockets.closeQuietly(socket);
          opening.remove(socket);
          throw e;
        }
        // Named with the address, the system's reason kept as the cause (curl prints it).
        IOException failure =
            e instanceof ConnectException
                ? new ConnectException(
                    "cannot connect to "
                        + address.getHostAddress()
                        + " port "
                        + port
                        + ": "
                        + e.getMessage())
                : e;
        if (failure != e) failure.initCause(e);
        if (last != null) failure.addSuppressed(last); // the addresses tried before
        last = failure;
      }
      OpeningSockets.closeQuietly(socket);
      opening.remove(socket);
    }
    throw last;
  }

  private void info(String connection, String event) {
    Tracer.info(trace, connection, event);
  }
}
