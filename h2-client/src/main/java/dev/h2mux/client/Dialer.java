package dev.h2mux.client;

import dev.h2mux.client.ConnectTimeoutException.Step;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import javax.net.ssl.SSLSocket;

/**
 * Opens connections for one origin: looks the host up (or takes the {@code --resolve} override),
 * tries each address in turn, goes through the proxy if there is one (a {@code CONNECT} tunnel for
 * {@code https}), and runs the TLS handshake with ALPN, all within one {@link ConnectBudget}.
 */
final class Dialer {
  private final ClientConfig config;
  private final Origin origin;
  private final OpeningSockets opening;
  private final TraceListener trace;
  private final BiFunction<String, Runnable, Thread> threads;

  /**
   * @param threads makes a thread of the client's (for a name lookup that may outlast its wait)
   */
  Dialer(
      ClientConfig config,
      Origin origin,
      OpeningSockets opening,
      BiFunction<String, Runnable, Thread> threads) {
    this.config = config;
    this.origin = origin;
    this.opening = opening;
    this.trace = config.trace();
    this.threads = threads;
  }

  /**
   * Connects, through the proxy if any; for {@code https} also tunnels and shakes hands. The
   * connect timeout starts now and goes on in the returned connection's budget.
   *
   * @param alpn the protocols to offer over TLS, most preferred first (ignored for {@code http})
   * @param name the connection's name in traces
   */
  Dialed dial(List<String> alpn, String name, Exchange exchange) throws IOException {
    ConnectBudget budget = ConnectBudget.start(config.connectTimeout());
    ClientConfig.ProxyConfig proxy = config.proxy();
    String host = proxy != null ? proxy.host() : origin.host();
    int port = proxy != null ? proxy.port() : origin.port();
    Socket plain = connect(host, port, name, exchange, budget);
    InetSocketAddress remote = (InetSocketAddress) plain.getRemoteSocketAddress();
    InetSocketAddress local = (InetSocketAddress) plain.getLocalSocketAddress();
    try {
      if (!origin.tls())
        return new Dialed(plain, null, remote, local, plain, opening, name, budget);
      if (proxy != null) ProxyTunnel.open(plain, origin, proxy, budget, config, name);
      SSLSocket ssl =
          Tls.handshake(Tls.context(config), plain, origin, config.insecure(), alpn, budget);
      exchange.tlsDone();
      String chosen = ssl.getApplicationProtocol();
      if (chosen != null && chosen.isEmpty()) chosen = null;
      info(
          name,
          "TLS "
              + ssl.getSession().getProtocol()
              + ", ALPN "
              + (chosen == null ? "not negotiated" : chosen));
      return new Dialed(ssl, chosen, remote, local, plain, opening, name, budget);
    } catch (IOException | RuntimeException e) {
      OpeningSockets.closeQuietly(plain);
      opening.remove(plain);
      throw e;
    }
  }

  /** A TCP connection to the first address of {@code host} that answers; tracked in opening. */
  private Socket connect(
      String host, int port, String name, Exchange exchange, ConnectBudget budget)
      throws IOException {
    InetAddress[] addresses = addresses(host, port, budget);
    exchange.resolved();
    IOException last = null;
    for (int i = 0; i < addresses.length; i++) {
      InetAddress address = addresses[i];
      String step = "connecting to " + address.getHostAddress() + " port " + port;
      int timeout = budget.perAddressMillis(step, i == addresses.length - 1);
      Socket socket = new Socket();
      opening.add(socket); // before connecting: close() ends a connect in progress
      try {
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(address, port), timeout);
        exchange.connected(socket);
        info(name, "connected to " + address.getHostAddress() + " port " + port);
        return socket;
      } catch (SocketTimeoutException e) {
        IOException failure = budget.exceeded(Step.CONNECT, step);
        failure.initCause(e);
        if (last != null) failure.addSuppressed(last);
        last = failure;
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

  /**
   * The addresses of {@code host}: the override, the literal, or a lookup within what is left of
   * the budget. The system's resolver cannot be interrupted, so the lookup runs on a thread of its
   * own and is left to finish by itself if the budget runs out first.
   */
  private InetAddress[] addresses(String host, int port, ConnectBudget budget) throws IOException {
    List<InetAddress> overridden =
        config.addressOverrides().get(ClientConfig.overrideKey(host, port));
    if (overridden != null) return overridden.toArray(InetAddress[]::new);
    if (Tls.isIpLiteral(host)) return InetAddress.getAllByName(host); // parsed, not looked up
    String step = "resolving " + host;
    CompletableFuture<InetAddress[]> lookup = new CompletableFuture<>();
    threads
        .apply(
            "resolve",
            () -> {
              try {
                lookup.complete(InetAddress.getAllByName(host));
              } catch (UnknownHostException | RuntimeException e) {
                lookup.completeExceptionally(e);
              }
            })
        .start();
    try {
      return lookup.get(budget.remainingMillis(Step.NAME_LOOKUP, step), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw budget.exceeded(Step.NAME_LOOKUP, step);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while resolving " + host);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownHostException unknown) throw unknown;
      throw new IOException("resolving " + host + " failed: " + e.getCause(), e.getCause());
    }
  }

  private void info(String connection, String event) {
    Tracer.info(trace, connection, event);
  }
}
