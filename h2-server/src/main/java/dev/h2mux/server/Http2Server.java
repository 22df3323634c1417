package dev.h2mux.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
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
  private static final Duration FORCED_CLOSE_WAIT = Duration.ofSeconds(5);

  private final ServerConfig config;
  private final Map<ServerConnection, Thread> connections = new ConcurrentHashMap<>();
  private final ReentrantLock lifecycle = new ReentrantLock();
  private ServerSocket serverSocket;
  private Thread acceptor;
  private volatile boolean closing;
  private boolean closed;

  private Http2Server(ServerConfig config) {
    this.config = config;
  }

  /** Returns a builder with every setting at its default. */
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
      int port = socket.getLocalPort();
      ThreadFactory connectionThreads =
          Thread.ofVirtual().name("h2mux-conn-" + port + "-", 0).factory();
      acceptor =
          Thread.ofPlatform()
              .name("h2mux-acceptor-" + port)
              .unstarted(() -> acceptLoop(socket, connectionThreads));
      acceptor.start();
      log.debug(
          "listening on {}:{} ({})", config.bindAddress().getHostAddress(), port, config.scheme());
      return this;
    } finally {
      lifecycle.unlock();
    }
  }

  /**
   * The port the server listens on (the actual one when built with port 0).
   *
   * @throws IllegalStateException if not started
   */
  public int port() {
    return address().getPort();
  }

  /**
   * The address the server listens on.
   *
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
    return connections.size();
  }

  /** The acceptor thread, or null if never started; for tests. */
  Thread acceptorThread() {
    return acceptor;
  }

  private void shutdown(Duration grace) {
    lifecycle.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      closing = true;
      if (serverSocket == null) {
        return;
      }
      long start = System.nanoTime();
      closeQuietly(serverSocket); // stop accepting at once: new connections are refused
      joinUninterruptibly(acceptor, FORCED_CLOSE_WAIT);
      int total = connections.size();
      if (!grace.isZero()) {
        for (ServerConnection connection : connections.keySet()) {
          connection.shutdownGracefully();
        }
        awaitConnections(grace);
      }
      List<ServerConnection> busy = new ArrayList<>(connections.keySet());
      int cut = 0;
      for (ServerConnection connection : busy) {
        cut += connection.closeNow();
      }
      // Each closes within its own bounds: its last frames out, a short linger for the peer.
      awaitConnections(FORCED_CLOSE_WAIT);
      List<Thread> stuck = new ArrayList<>(connections.values());
      for (Thread thread : stuck) {
        thread.interrupt();
      }
      for (Thread thread : stuck) {
        joinUninterruptibly(thread, FORCED_CLOSE_WAIT);
      }
      if (!connections.isEmpty()) {
        log.warn(
            "{} connection threads did not end within {}", connections.size(), FORCED_CLOSE_WAIT);
      }
      logShutdown(start, grace, total, busy.size(), cut);
    } finally {
      lifecycle.unlock();
    }
  }

  private void logShutdown(long start, Duration grace, int total, int forced, int cut) {
    String where = config.bindAddress().getHostAddress() + ":" + serverSocket.getLocalPort();
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (grace.isZero()) {
      log.info(
          "{} closed in {} ms: {} connections closed at once, {} requests/streams cut",
          where,
          millis,
          total,
          cut);
    } else if (cut > 0) {
      log.warn(
          "{} shut down in {} ms: {} of {} connections drained, {} still busy after the {} ms"
              + " graceful timeout were closed, {} requests/streams cut",
          where,
          millis,
          total - forced,
          total,
          forced,
          grace.toMillis(),
          cut);
    } else {
      log.info(
          "{} shut down in {} ms: {} of {} connections drained, 0 requests/streams cut",
          where,
          millis,
          total - forced,
          total);
    }
  }

  /** Waits until every connection thread ended, or the timeout passed. */
  private void awaitConnections(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread thread : new ArrayList<>(connections.values())) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return;
      }
      joinUninterruptibly(thread, Duration.ofNanos(remaining));
    }
  }

  private void acceptLoop(ServerSocket listener, ThreadFactory connectionThreads) {
    while (!closing) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (SocketException e) {
        if (!closing) {
          log.warn("accept failed, no longer accepting connections", e);
        }
        return;
      } catch (IOException e) {
        log.debug("accept failed", e);
        continue;
      }
      // Even when closing: a connection accepted is served (and shut down gracefully) rather
      // than reset, since its client may already have sent a request.
      try {
        socket.setTcpNoDelay(true);
        ServerConnection connection = new AcceptedConnection(config, socket);
        Thread thread = connectionThreads.newThread(() -> run(connection));
        connections.put(connection, thread);
        thread.start();
      } catch (IOException | RuntimeException e) {
        log.debug("cannot set up connection from {}", socket.getRemoteSocketAddress(), e);
        closeQuietly(socket);
      }
    }
  }

  private void run(ServerConnection connection) {
    try {
      connection.serve();
    } catch (IOException e) {
      log.debug("connection ended: {}", e.toString());
    } catch (RuntimeException | Error e) {
      log.warn("connection failed", e);
    } finally {
      connection.closeNow();
      connections.remove(connection);
    }
  }

  private static void joinUninterruptibly(Thread thread, Duration timeout) {
    boolean interrupted = false;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (thread.isAlive()) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        break;
      }
      try {
        thread.join(Duration.ofNanos(remaining));
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.trace("close failed", e);
    }
  }

  /**
   * Configures an {@link Http2Server}. Every setting has a default; only the {@linkplain #handler
   * handler} is required.
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

    /** The address to listen on. Default: the loopback address, 127.0.0.1. */
    public Builder bindAddress(InetAddress address) {
      this.bindAddress = Objects.requireNonNull(address, "address");
      return this;
    }

    /** The port to listen on, 0..65535; 0 (the default) picks a free ephemeral port. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** The handler that serves every request, over either protocol. Required. */
    public Builder handler(Handler handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * The most concurrent HTTP/2 streams a client may open per connection
     * (SETTINGS_MAX_CONCURRENT_STREAMS), at least 1. Default: 128.
     */
    public Builder maxConcurrentStreams(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxConcurrentStreams must be at least 1, got " + max);
      }
      this.maxConcurrentStreams = max;
      return this;
    }

    /**
     * The HTTP/2 receive window of each stream (SETTINGS_INITIAL_WINDOW_SIZE), 1..2^31-1 bytes.
     * Default: 1 MiB (1048576).
     */
    public Builder initialWindowSize(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException(
            "initialWindowSize must be in 1..2147483647, got " + bytes);
      }
      this.initialWindowSize = bytes;
      return this;
    }

    /**
     * The HTTP/2 receive window of a whole connection, 65535..2^31-1 bytes (it can only be raised
     * from the protocol's initial 65535). Default: 16 MiB (16777216).
     */
    public Builder connectionWindowSize(int bytes) {
      if (bytes < 65_535) {
        throw new IllegalArgumentException(
            "connectionWindowSize must be in 65535..2147483647, got " + bytes);
      }
      this.connectionWindowSize = bytes;
      return this;
    }

    /**
     * The largest HTTP/2 frame payload we accept (SETTINGS_MAX_FRAME_SIZE), 16384..16777215 bytes.
     * Default: 16384.
     */
    public Builder maxFrameSize(int bytes) {
      if (bytes < 16_384 || bytes > 16_777_215) {
        throw new IllegalArgumentException("maxFrameSize must be in 16384..16777215, got " + bytes);
      }
      this.maxFrameSize = bytes;
      return this;
    }

    /**
     * The largest request header section we accept, at least 1024 bytes: advertised as
     * SETTINGS_MAX_HEADER_LIST_SIZE in HTTP/2, and the limit for an HTTP/1.1 request head (request
     * line plus fields, answered with 431 past it, or 414 when the request line alone does not fit)
     * and for a chunked trailer section. Default: 16 KiB (16384).
     */
    public Builder maxHeaderListSize(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxHeaderListSize must be at least 1024, got " + bytes);
      }
      this.maxHeaderListSize = bytes;
      return this;
    }

    /**
     * How long a connection may stay open with no request in flight (and how long a read of a
     * request body may block), positive. Default: 60 seconds.
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive(timeout, "idleTimeout");
      return this;
    }

    /**
     * How long an HTTP/1.1 request head may take to arrive once its first byte has (and a new
     * connection's first request, or its TLS handshake, from accept), positive. A client too slow
     * (slowloris) is disconnected. Default: 30 seconds.
     */
    public Builder headerReadTimeout(Duration timeout) {
      this.headerReadTimeout = positive(timeout, "headerReadTimeout");
      return this;
    }

    /**
     * How long a new HTTP/2 connection may take to send the client preface and its first SETTINGS
     * frame, positive; a client silent or trickling bytes for longer is disconnected (as h2o and
     * nghttpd do). Default: 10 seconds.
     */
    public Builder http2HandshakeTimeout(Duration timeout) {
      this.http2HandshakeTimeout = positive(timeout, "http2HandshakeTimeout");
      return this;
    }

    /**
     * The largest request body read into memory before switching to HTTP/2 on an {@code Upgrade:
     * h2c} request, at least 0 bytes; a request with a larger body is served as plain HTTP/1.1
     * instead. Default: 1 MiB (1048576).
     */
    public Builder maxRequestBodyBuffered(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException(
            "maxRequestBodyBuffered must not be negative, got " + bytes);
      }
      this.maxRequestBodyBuffered = bytes;
      return this;
    }

    /**
     * How long {@link Http2Server#close()} waits for in-flight requests and streams to finish
     * before it closes the connections still busy, zero or more (zero: close at once). Default: 30
     * seconds.
     */
    public Builder gracefulShutdownTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "gracefulShutdownTimeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException(
            "gracefulShutdownTimeout must not be negative, got " + timeout);
      }
      this.gracefulShutdownTimeout = timeout;
      return this;
    }

    /**
     * Serves HTTP/2 only, as gRPC servers and nghttpd do: a cleartext connection must start with
     * the HTTP/2 client preface (prior knowledge), anything else, an HTTP/1.1 request included, is
     * answered with GOAWAY(PROTOCOL_ERROR) and closed (RFC 9113 §3.4); over TLS, ALPN offers only
     * {@code h2}. Default: false, HTTP/1.1 (and the h2c upgrade) is served on the same port.
     */
    public Builder http2Only(boolean http2Only) {
      this.http2Only = http2Only;
      return this;
    }

    /**
     * Serves TLS only, negotiating {@code h2} or {@code http/1.1} by ALPN. Default: cleartext.
     *
     * @param tls the identity, or null for cleartext
     */
    public Builder tls(TlsConfig tls) {
      this.sslContext = tls == null ? null : tls.sslContext();
      return this;
    }

    /**
     * Builds the server, not yet listening; call {@link Http2Server#start()}.
     *
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

    private static Duration positive(Duration timeout, String name) {
      Objects.requireNonNull(timeout, name);
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + timeout);
      }
      return timeout;
    }
  }
}
