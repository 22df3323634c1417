package dev.h2mux.server;

import static dev.h2mux.server.ServerConfig.atLeast;
import static dev.h2mux.server.ServerConfig.inRange;
import static dev.h2mux.server.ServerConfig.notNegative;
import static dev.h2mux.server.ServerConfig.positive;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP server that speaks HTTP/2 and HTTP/1.1 on one port.
 *
 * <p>In cleartext it serves HTTP/2 with prior knowledge (a client that starts with the HTTP/2
 * preface), HTTP/1.1, and the HTTP/1.1 {@code Upgrade: h2c} switch. With {@link Builder#tls TLS} it
 * negotiates {@code h2} or {@code http/1.1} by ALPN.
 *
 * <p>One platform thread, {@code h2mux-acceptor-<port>}, accepts connections; each connection runs
 * on its own virtual thread, and so does each HTTP/2 stream's handler.
 *
 * <pre>{@code
 * try (Http2Server server = Http2Server.builder()
 *     .port(8080)
 *     .handler((request, response) -> response.body().write("hello".getBytes()))
 *     .build()
 *     .start()) {
 *   ...
 * }
 * }</pre>
 */
public final class Http2Server implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Http2Server.class);

  private final ServerConfig config;
  private final ReentrantLock lifecycle = new ReentrantLock();
  private ServerSocket serverSocket;
  private volatile Acceptor acceptor;
  private boolean closed;

  private Http2Server(ServerConfig config) {
    this.config = config;
  }

  /**
   * Returns a builder with every setting at its default.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the listening socket and starts accepting connections.
   *
   * @return this server
   * @throws IOException if the address cannot be bound
   * @throws IllegalStateException if already started or closed
   */
  public Http2Server start() throws IOException {
    lifecycle.lock();
    try {
      if (serverSocket != null || closed) {
        throw new IllegalStateException(closed ? "server is closed" : "server already started");
      }
      ServerSocket socket = new ServerSocket();
      try {
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(config.bindAddress(), config.port()), 1024);
      } catch (IOException e) {
        socket.close();
        throw e;
      }
      serverSocket = socket;
      acceptor = new Acceptor(config, socket);
      acceptor.start();
      log.debug(
          "listening on {}:{} ({})",
          config.bindAddress().getHostAddress(),
          socket.getLocalPort(),
          config.scheme());
      return this;
    } finally {
      lifecycle.unlock();
    }
  }

  /**
   * The port the server listens on (the actual one when built with port 0).
   *
   * @return the local port
   * @throws IllegalStateException if not started
   */
  public int port() {
    return address().getPort();
  }

  /**
   * The address the server listens on.
   *
   * @return the bound address and the actual port
   * @throws IllegalStateException if not started
   */
  public InetSocketAddress address() {
    ServerSocket socket = serverSocket;
    if (socket == null) {
      throw new IllegalStateException("server not started");
    }
    return new InetSocketAddress(config.bindAddress(), socket.getLocalPort());
  }

  /**
   * Shuts down gracefully. The listening socket closes at once, so new connections are refused.
   * Every connection is asked to finish what is in flight: HTTP/1.1 completes the request being
   * served (with {@code Connection: close}) and an idle connection closes; HTTP/2 sends GOAWAY with
   * stream id 2^31-1 and a PING, then, once the PING is answered, GOAWAY with the last stream it
   * accepted (RFC 9113 §6.8), serves every stream up to that one to the end and ignores later ones,
   * which the client may retry elsewhere. Connections still busy at the {@link
   * Builder#gracefulShutdownTimeout graceful shutdown timeout} are closed, cutting what they were
   * doing (an HTTP/2 connection still gets its final GOAWAY). No connection is closed with input
   * unread under a response still on its way: each half-closes and waits (at most about two
   * seconds) for the client to close. One log line says how it went: at INFO when nothing was cut,
   * at WARN with the number of requests and streams cut otherwise.
   *
   * <p>When this returns, the listening socket, every connection and every connection thread is
   * gone. Idempotent.
   */
  @Override
  public void close() {
    shutdown(config.gracefulShutdownTimeout());
  }

  /**
   * Closes the listening socket and every connection at once, cutting what is in flight (HTTP/2
   * connections still send GOAWAY), then waits for their threads.
   */
  public void closeNow() {
    shutdown(Duration.ZERO);
  }

  /** The number of open connections; for tests. */
  int connectionCount() {
    Acceptor a = acceptor;
    return a == null ? 0 : a.connectionCount();
  }

  /** The number of connection outputs the stalled-write watch looks at; for tests. */
  int writeWatchCount() {
    Acceptor a = acceptor;
    return a == null ? 0 : a.writeWatchCount();
  }

  /** The acceptor thread, or null if never started; for tests. */
  Thread acceptorThread() {
    Acceptor a = acceptor;
    return a == null ? null : a.thread();
  }

  private void shutdown(Duration grace) {
    lifecycle.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (serverSocket == null) {
        return;
      }
      String where = config.bindAddress().getHostAddress() + ":" + serverSocket.getLocalPort();
      ServerShutdown.run(acceptor, grace, where);
    } finally {
      lifecycle.unlock();
    }
  }

  /**
   * Configures an {@link Http2Server}. Every setting has a default; only the {@linkplain #handler
   * handler} is required. Each setter checks its value at once and returns this builder.
   */
  public static final class Builder {
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private int port;
    private Handler handler;
    private int maxConcurrentStreams = 128;
    private int initialWindowSize = 1 << 20;
    private int connectionWindowSize = 16 << 20;
    private int maxFrameSize = 16_384;
    private int maxHeaderListSize = 16 << 10;
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Duration headerReadTimeout = Duration.ofSeconds(30);
    private Duration http2HandshakeTimeout = Duration.ofSeconds(10);
    private long maxRequestBodyBuffered = 1 << 20;
    private Duration gracefulShutdownTimeout = Duration.ofSeconds(30);
    private boolean http2Only;
    private SSLContext sslContext;

    private Builder() {}

    /**
     * The host name or address to listen on. Default: the loopback address, 127.0.0.1.
     *
     * @param host a host name or a literal address
     * @return this builder
     * @throws IllegalArgumentException if the name cannot be resolved
     */
    public Builder host(String host) {
      Objects.requireNonNull(host, "host");
      try {
        this.bindAddress = InetAddress.getByName(host);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("cannot resolve host \"" + host + "\"", e);
      }
      return this;
    }

    /**
     * The address to listen on. Default: the loopback address, 127.0.0.1.
     *
     * @param address the local address, such as the wildcard address for every interface
     * @return this builder
     */
    public Builder bindAddress(InetAddress address) {
      this.bindAddress = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * The port to listen on; 0 (the default) picks a free ephemeral port.
     *
     * @param port 0..65535
     * @return this builder
     */
    public Builder port(int port) {
      this.port = (int) inRange("port", port, 0, 65535);
      return this;
    }

    /**
     * The handler that serves every request, over either protocol. Required.
     *
     * @param handler serves every request; {@link Handler} says on which threads
     * @return this builder
     */
    public Builder handler(Handler handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * The most concurrent HTTP/2 streams a client may open per connection
     * (SETTINGS_MAX_CONCURRENT_STREAMS). Default: 128.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxConcurrentStreams(int max) {
      this.maxConcurrentStreams = (int) atLeast("maxConcurrentStreams", max, 1);
      return this;
    }

    /**
     * The HTTP/2 receive window of each stream (SETTINGS_INITIAL_WINDOW_SIZE). Default: 1 MiB
     * (1048576).
     *
     * @param bytes 1..2^31-1
     * @return this builder
     */
    public Builder initialWindowSize(int bytes) {
      this.initialWindowSize = (int) inRange("initialWindowSize", bytes, 1, Integer.MAX_VALUE);
      return this;
    }

    /**
     * The HTTP/2 receive window of a whole connection (it can only be raised from the protocol's
     * initial 65535). Default: 16 MiB (16777216).
     *
     * @param bytes 65535..2^31-1
     * @return this builder
     */
    public Builder connectionWindowSize(int bytes) {
      this.connectionWindowSize =
          (int) inRange("connectionWindowSize", bytes, 65_535, Integer.MAX_VALUE);
      return this;
    }

    /**
     * The largest HTTP/2 frame payload we accept (SETTINGS_MAX_FRAME_SIZE). Default: 16384.
     *
     * @param bytes 16384..16777215 (RFC 9113 §6.5.2)
     * @return this builder
     */
    public Builder maxFrameSize(int bytes) {
      this.maxFrameSize = (int) inRange("maxFrameSize", bytes, 16_384, 16_777_215);
      return this;
    }

    /**
     * The largest request header section we accept: advertised as SETTINGS_MAX_HEADER_LIST_SIZE in
     * HTTP/2, and the limit for an HTTP/1.1 request head (request line plus fields, answered with
     * 431 past it, or 414 when the request line alone does not fit) and for a chunked trailer
     * section. Default: 16 KiB (16384).
     *
     * @param bytes at least 1024
     * @return this builder
     */
    public Builder maxHeaderListSize(int bytes) {
      this.maxHeaderListSize = (int) atLeast("maxHeaderListSize", bytes, 1024);
      return this;
    }

    /**
     * How long a connection may stay open with no request in flight, how long a read of a request
     * body may block, and how long one write to a client that stopped reading may make no progress
     * before the connection is closed (a slow-read attack). Default: 60 seconds.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive("idleTimeout", timeout);
      return this;
    }

    /**
     * How long an HTTP/1.1 request head may take to arrive once its first byte has (and a new
     * connection's first request, or its TLS handshake, from accept). A client too slow (slowloris)
     * is disconnected. Default: 30 seconds.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder headerReadTimeout(Duration timeout) {
      this.headerReadTimeout = positive("headerReadTimeout", timeout);
      return this;
    }

    /**
     * How long a new HTTP/2 connection may take to send the client preface and its first SETTINGS
     * frame; a client silent or trickling bytes for longer is disconnected (as h2o and nghttpd do).
     * Default: 10 seconds.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder http2HandshakeTimeout(Duration timeout) {
      this.http2HandshakeTimeout = positive("http2HandshakeTimeout", timeout);
      return this;
    }

    /**
     * The largest request body read into memory before switching to HTTP/2 on an {@code Upgrade:
     * h2c} request; a request with a larger body is served as plain HTTP/1.1 instead. Default: 1
     * MiB (1048576).
     *
     * @param bytes 0 or more
     * @return this builder
     */
    public Builder maxRequestBodyBuffered(long bytes) {
      this.maxRequestBodyBuffered = atLeast("maxRequestBodyBuffered", bytes, 0);
      return this;
    }

    /**
     * How long {@link Http2Server#close()} waits for in-flight requests and streams to finish
     * before it closes the connections still busy (zero: close at once). Default: 30 seconds.
     *
     * @param timeout zero or more
     * @return this builder
     */
    public Builder gracefulShutdownTimeout(Duration timeout) {
      this.gracefulShutdownTimeout = notNegative("gracefulShutdownTimeout", timeout);
      return this;
    }

    /**
     * Serves HTTP/2 only, as gRPC servers and nghttpd do: a cleartext connection must start with
     * the HTTP/2 client preface (prior knowledge), anything else, an HTTP/1.1 request included, is
     * answered with GOAWAY(PROTOCOL_ERROR) and closed (RFC 9113 §3.4); over TLS, ALPN offers only
     * {@code h2}. Default: false, HTTP/1.1 (and the h2c upgrade) is served on the same port.
     *
     * @param http2Only true for HTTP/2 only
     * @return this builder
     */
    public Builder http2Only(boolean http2Only) {
      this.http2Only = http2Only;
      return this;
    }

    /**
     * Serves TLS only, negotiating {@code h2} or {@code http/1.1} by ALPN. Default: cleartext.
     *
     * @param tls the identity, or null for cleartext
     * @return this builder
     */
    public Builder tls(TlsConfig tls) {
      this.sslContext = tls == null ? null : tls.sslContext();
      return this;
    }

    /**
     * Builds the server, not yet listening; call {@link Http2Server#start()}.
     *
     * @return the server
     * @throws IllegalStateException if no handler was set
     */
    public Http2Server build() {
      return new Http2Server(buildConfig());
    }

    ServerConfig buildConfig() {
      if (handler == null) {
        throw new IllegalStateException("a handler is required: call handler(...) before build()");
      }
      return new ServerConfig(
          bindAddress,
          port,
          handler,
          maxConcurrentStreams,
          initialWindowSize,
          connectionWindowSize,
          maxFrameSize,
          maxHeaderListSize,
          idleTimeout,
          headerReadTimeout,
          http2HandshakeTimeout,
          maxRequestBodyBuffered,
          gracefulShutdownTimeout,
          http2Only,
          sslContext);
    }
  }
}
