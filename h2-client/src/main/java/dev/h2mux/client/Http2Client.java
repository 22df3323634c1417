package dev.h2mux.client;

import dev.h2mux.core.engine.Http2Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/2 client with HTTP/1.1 fallback. Thread-safe; share one instance.
 *
 * <p>Each origin (scheme, host, port) gets one HTTP/2 connection that carries every concurrent
 * request as its own stream, up to the server's SETTINGS_MAX_CONCURRENT_STREAMS; requests beyond
 * that wait for a stream to end. Requests the server refused (REFUSED_STREAM, or above a GOAWAY's
 * last stream id) are sent again on a new connection; a request the server may have processed is
 * sent again only if it is idempotent and its body replayable. HTTP/1.1 origins get a bounded pool
 * of keep-alive connections.
 *
 * <p>Exchanges are full duplex: a request body is sent on its own virtual thread while the response
 * arrives, so {@link #send} returns with the response head even while the upload goes on, and a
 * server that answers as the body arrives (an echo, gRPC) never waits on a client that is still
 * sending.
 *
 * <pre>{@code
 * try (Http2Client client = Http2Client.builder().build()) {
 *   ClientResponse response = client.send(ClientRequest.get(URI.create("http://localhost:8080/")));
 *   String text = response.string();
 * }
 * }</pre>
 *
 * <p>{@link #close()} closes every connection and ends every thread the client started.
 */
public final class Http2Client implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Http2Client.class);

  final ClientConfig settings;
  private final ConcurrentHashMap<Origin, OriginPool> pools = new ConcurrentHashMap<>();
  private final ClientThreads threads;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger connectionsOpened = new AtomicInteger();
  private final ScheduledExecutorService timer;
  final String name;

  private Http2Client(ClientConfig settings) {
    this.settings = settings;
    // identity, not a static counter: the library keeps no global state
    this.name = "h2-client-" + Integer.toHexString(System.identityHashCode(this));
    this.threads = new ClientThreads(name);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name(name + "-timer").unstarted(r));
    long tick = tickMillis(settings);
    timer.scheduleWithFixedDelay(this::maintain, tick, tick, TimeUnit.MILLISECONDS);
  }

  private static long tickMillis(ClientConfig s) {
    long idle = s.idleTimeout().toMillis();
    long ping =
        s.pingInterval() == null
            ? Long.MAX_VALUE
            : Math.min(s.pingInterval().toMillis(), s.pingTimeout().toMillis());
    return Math.max(20, Math.min(1000, Math.min(idle, ping) / 4));
  }

  /** A builder with the defaults described on each method. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Sends a request and waits for the response head; the body streams as it is read.
   *
   * @throws java.net.UnknownHostException if the host can't be resolved
   * @throws java.net.ConnectException if the server can't be reached
   * @throws ConnectTimeoutException if opening a connection took longer than the connect timeout
   * @throws java.net.SocketTimeoutException if the response took longer than its timeout
   * @throws Http2ClientException if the server reset the stream, went away, broke the protocol, or
   *     sent a malformed response
   * @throws IOException for other I/O failures
   */
  public ClientResponse send(ClientRequest request) throws IOException {
    return send(request, new Cancellation());
  }

  private ClientResponse send(ClientRequest request, Cancellation cancel) throws IOException {
    Objects.requireNonNull(request, "request");
    Exchange exchange = new Exchange();
    ClientResponse response = sendOnce(request, cancel, exchange);
    if (settings.maxRedirects() >= 0) {
      response =
          Redirects.follow(
              request,
              response,
              settings.maxRedirects(),
              exchange,
              next -> sendOnce(next, cancel, exchange));
    }
    return settings.decompress() ? Decompression.decode(response) : response;
  }

  private ClientResponse sendOnce(ClientRequest request, Cancellation cancel, Exchange exchange)
      throws IOException {
    if (closed.get()) throw new IOException("client closed");
    OriginPool pool = pools.computeIfAbsent(Origin.of(request.uri()), o -> new OriginPool(this, o));
    return pool.send(request, cancel, exchange);
  }

  /**
   * Sends a request on a virtual thread. The future completes with the response head (the body
   * streams as it is read). Cancelling the future before then resets the request's stream
   * (RST_STREAM CANCEL) or closes its HTTP/1.1 connection; afterwards, use {@link
   * ClientResponse#cancel()}.
   */
  public CompletableFuture<ClientResponse> sendAsync(ClientRequest request) {
    Objects.requireNonNull(request, "request");
    Cancellation cancel = new Cancellation();
    CompletableFuture<ClientResponse> future =
        new CompletableFuture<>() {
          @Override
          public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) cancel.cancel();
            return cancelled;
          }
        };
    if (closed.get()) {
      future.completeExceptionally(new IOException("client closed"));
      return future;
    }
    Thread thread =
        newThread(
            "async",
            () -> {
              try {
                ClientResponse response = send(request, cancel);
                if (!future.complete(response)) response.close();
              } catch (IOException | RuntimeException e) {
                future.completeExceptionally(e);
              }
            });
    cancel.thread(thread); // before it runs: a cancel must find the thread to interrupt
    thread.start();
    return future;
  }

  /** A thread that {@link #close()} ends; see {@link ClientThreads#newThread}. */
  Thread newThread(String role, Runnable task) {
    return threads.newThread(role, task);
  }

  /** How many connections this client opened so far (for tests and statistics). */
  int connectionsOpened() {
    return connectionsOpened.get();
  }

  int nextConnectionNumber() {
    return connectionsOpened.incrementAndGet();
  }

  boolean isClosed() {
    return closed.get();
  }

  private void maintain() {
    try {
      long now = System.nanoTime();
      for (OriginPool pool : pools.values()) pool.maintain(now);
    } catch (RuntimeException e) {
      log.warn("{}: connection maintenance failed", name, e);
    }
  }

  /**
   * Closes every connection (requests in flight fail) and stops every thread the client started;
   * returns when they ended.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    timer.shutdownNow();
    List<OriginPool> all = new ArrayList<>(pools.values());
    pools.clear();
    for (OriginPool pool : all) pool.close();
    for (OriginPool pool : all) pool.awaitClosed(Duration.ofSeconds(5));
    try {
      threads.interruptAndJoin(Duration.ofSeconds(5));
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.debug("{}: closed", name);
  }

  /** Builds an {@link Http2Client}. */
  public static final class Builder {
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration responseTimeout;
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Duration pingInterval;
    private Duration pingTimeout;
    private ConnectionMode mode = ConnectionMode.PRIOR_KNOWLEDGE;
    private SSLContext sslContext;
    private boolean insecure;
    private int maxHttp1ConnectionsPerOrigin = 8;
    private int initialWindowSize = 4 << 20;
    private int connectionWindowSize = 16 << 20;
    private int maxResponseHeadSize = 64 << 10;
    private TraceListener trace;
    private int maxRedirects = -1;
    private ClientConfig.ProxyConfig proxy;
    private boolean decompress;
    private final Map<String, List<InetAddress>> addressOverrides = new HashMap<>();

    private Builder() {}

    /**
     * The time to open a connection, 10 s: one budget, as curl's {@code --connect-timeout}, for
     * looking the host up, the TCP handshake (an address that does not answer leaves half of what
     * is left to the next one), the proxy's tunnel, the TLS handshake and the server's HTTP/2
     * preface. When it runs out, the request fails with a {@link ConnectTimeoutException} naming
     * the step.
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * The time from sending a request to its response head; none by default. It bounds the whole
     * wait: for a pooled HTTP/1.1 connection or a free stream slot, for another request's connect
     * attempt, retries, and the head itself. When it runs out the request fails with a {@link
     * java.net.SocketTimeoutException} naming it, and its HTTP/2 stream is reset (RST_STREAM
     * CANCEL) or its HTTP/1.1 connection closed; other requests are unaffected.
     */
    public Builder responseTimeout(Duration timeout) {
      this.responseTimeout = timeout == null ? null : positive(timeout, "responseTimeout");
      return this;
    }

    /**
     * How long an unused connection stays open, 60 s; also the longest wait for body data or
     * flow-control credit on a busy one.
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive(timeout, "idleTimeout");
      return this;
    }

    /**
     * Sends an HTTP/2 PING at this interval on each connection, busy or idle, to find a dead peer
     * or path; off by default. A connection whose PING goes unanswered for the {@linkplain
     * #pingTimeout PING timeout} is closed, failing its requests in flight.
     */
    public Builder pingInterval(Duration interval) {
      this.pingInterval = interval == null ? null : positive(interval, "pingInterval");
      return this;
    }

    /**
     * How long a keep-alive PING may go unanswered before its connection is closed; by default the
     * PING interval, but at least 1 s, so a busy peer or a short interval doesn't cost a healthy
     * connection. Requests in flight on the closed connection fail with an {@link
     * Http2ClientException} naming the unanswered PING; they are not retried.
     */
    public Builder pingTimeout(Duration timeout) {
      this.pingTimeout = timeout == null ? null : positive(timeout, "pingTimeout");
      return this;
    }

    /**
     * How {@code http://} origins are reached: {@link ConnectionMode#PRIOR_KNOWLEDGE} by default.
     */
    public Builder connectionMode(ConnectionMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** The TLS context for {@code https://}; the JDK's default (its trust store) if unset. */
    public Builder sslContext(SSLContext context) {
      this.sslContext = context;
      return this;
    }

    /**
     * Trusts every server certificate and skips host name verification. For tests only: it makes
     * TLS worthless against an active attacker.
     */
    public Builder insecure(boolean insecure) {
      this.insecure = insecure;
      return this;
    }

    /** The most HTTP/1.1 connections to one origin, 8; further requests wait for one. */
    public Builder maxHttp1ConnectionsPerOrigin(int max) {
      if (max < 1) throw new IllegalArgumentException("max < 1");
      this.maxHttp1ConnectionsPerOrigin = max;
      return this;
    }

    /**
     * SETTINGS_INITIAL_WINDOW_SIZE we advertise, 4 MiB: how much of one response the server may
     * send ahead of the application's reading, and so the most buffered per stream. (A server's
     * default is 1 MiB; a client has few streams, and downloads from nghttpd ran ~25 % faster with
     * 4 MiB than with 1 MiB: the server stalled less for WINDOW_UPDATEs.)
     */
    public Builder initialWindowSize(int bytes) {
      if (bytes < 1) throw new IllegalArgumentException("initialWindowSize < 1");
      this.initialWindowSize = bytes;
      return this;
    }

    /** The connection receive window, 16 MiB: the most buffered per connection. */
    public Builder connectionWindowSize(int bytes) {
      if (bytes < 65_535) throw new IllegalArgumentException("connectionWindowSize < 65535");
      this.connectionWindowSize = bytes;
      return this;
    }

    /** The largest HTTP/1.1 response head accepted, 64 KiB. */
    public Builder maxResponseHeadSize(int bytes) {
      this.maxResponseHeadSize = bytes;
      return this;
    }

    /** Receives a description of every frame and head sent and received; off by default. */
    public Builder trace(TraceListener listener) {
      this.trace = listener;
      return this;
    }

    /**
     * Follows redirects, as curl's {@code -L} does, at most {@code max} of them in one call of
     * {@link Http2Client#send}; off by default, so a redirect is returned as the response. A
     * redirect is a 301, 302, 303, 307 or 308 with a {@code location}, resolved against the
     * request's URI. 303 turns every method but HEAD into GET without a body, and 301 and 302 do so
     * for POST; other methods, and 307 and 308, keep the method and the body. A redirect to another
     * origin (scheme, host or port) drops the {@code authorization}, {@code cookie} and {@code
     * host} fields. A request's {@linkplain ClientRequest.Builder#onRedirect redirect hook} sees
     * each redirect's head and may change the request that follows. The response carries the URI it
     * came from ({@link ClientResponse#uri}) and the redirect count ({@link
     * ExchangeInfo#redirects}).
     *
     * <p>A redirect beyond {@code max} fails with {@link RedirectException.Reason#TOO_MANY} (so 0
     * fails on the first one, as curl's {@code --max-redirs 0} does); a body that must be sent
     * again but was written by a {@link ClientRequest.BodyWriter} fails with {@link
     * RedirectException.Reason#BODY_NOT_REPLAYABLE}.
     */
    public Builder followRedirects(int max) {
      if (max < 0) throw new IllegalArgumentException("max < 0");
      this.maxRedirects = max;
      return this;
    }

    /**
     * Sends every request through the HTTP proxy {@code proxy}, {@code
     * http://[user:password@]host[:port]} (port 1080 if none, as for curl's {@code -x}); null for
     * none, the default. An {@code https} origin is reached through a {@code CONNECT} tunnel, with
     * TLS and ALPN end to end inside it. An {@code http} origin gets HTTP/1.1 requests in absolute
     * form ({@code GET http://host/path HTTP/1.1}); with {@link ConnectionMode#UPGRADE} the first
     * one carries the h2c Upgrade, and a proxy that passes it on ({@code 101}) relays HTTP/2 to the
     * origin from then on. Prior knowledge is not used through a proxy, as by curl. A user and
     * password go to the proxy as Basic {@code proxy-authorization} (RFC 9110 §11.7.2). A tunnel
     * the proxy refuses fails with {@link ProxyTunnelException}.
     *
     * @throws IllegalArgumentException if {@code proxy} is not an {@code http} URI with a host
     */
    public Builder proxy(URI proxy) {
      this.proxy = proxy == null ? null : ClientConfig.ProxyConfig.of(proxy);
      return this;
    }

    /**
     * Asks for compressed responses and decodes them, as curl's {@code --compressed} does; off by
     * default. A request without an {@code accept-encoding} of its own sends {@code
     * accept-encoding: gzip, deflate}, and a response body whose {@code content-encoding} is {@code
     * gzip} or {@code deflate} (or a list of them) is decoded as it is read. The headers stay as
     * received, so {@code content-length} is the encoded length, as is {@link
     * ExchangeInfo#bytesDownloaded}. A body in another coding is delivered as it came; a truncated
     * or corrupt one fails its read with a {@link java.util.zip.ZipException} (curl's exit code
     * 61), while a failure of the transfer itself stays what it is.
     */
    public Builder decompress(boolean decompress) {
      this.decompress = decompress;
      return this;
    }

    /**
     * Trusts exactly the certificates in a PEM file (curl's {@code --cacert}) instead of the JDK's
     * trust store: builds the {@linkplain #sslContext TLS context} from them. The file is read now.
     *
     * @throws UncheckedIOException if the file can't be read
     * @throws IllegalArgumentException if it holds no certificate
     */
    public Builder trustedCertificates(Path pemFile) {
      this.sslContext = Tls.trusting(pemFile);
      return this;
    }

    /**
     * Connects to {@code addresses}, tried in order, instead of looking up {@code host} whenever a
     * connection to {@code host} and {@code port} is opened, as curl's {@code --resolve} does. The
     * URI, {@code :authority}, SNI and certificate check still use {@code host}. It applies to the
     * proxy's host too. A later call for the same host and port replaces an earlier one.
     */
    public Builder resolve(String host, int port, InetAddress... addresses) {
      Objects.requireNonNull(host, "host");
      if (port < 1 || port > 65_535) throw new IllegalArgumentException("port out of range");
      if (addresses.length == 0) throw new IllegalArgumentException("no addresses");
      if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
      addressOverrides.put(ClientConfig.overrideKey(host, port), List.of(addresses));
      return this;
    }

    /** The client. */
    public Http2Client build() {
      Http2Config http2 =
          Http2Config.DEFAULTS
              .withInitialWindowSize(initialWindowSize)
              .withConnectionWindowSize(connectionWindowSize)
              .withIdleTimeout(idleTimeout);
      return new Http2Client(
          new ClientConfig(
              connectTimeout,
              responseTimeout,
              idleTimeout,
              pingInterval,
              ClientConfig.pingTimeout(pingInterval, pingTimeout),
              mode,
              sslContext,
              insecure,
              maxHttp1ConnectionsPerOrigin,
              maxResponseHeadSize,
              http2,
              trace,
              maxRedirects,
              proxy,
              decompress,
              Map.copyOf(addressOverrides)));
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero())
        throw new IllegalArgumentException(what + " must be positive");
      return d;
    }
  }
}
