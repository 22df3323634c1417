package dev.h2mux.client;

import dev.h2mux.core.engine.Http2Config;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Builds an {@link Http2Client}: get one from {@link Http2Client#builder()}. Each setting's default
 * is described on its method. Not thread-safe; {@link #build()} may be called more than once.
 */
public final class Http2ClientBuilder {
  private Duration connectTimeout = Duration.ofSeconds(10);
  private Duration responseTimeout;
  private Duration idleTimeout = Duration.ofSeconds(60);
  private Duration pingInterval;
  private Duration pingTimeout;
  private ConnectionMode mode = ConnectionMode.PRIOR_KNOWLEDGE;
  private SSLContext sslContext;
  private boolean insecure;
  private int maxHttp1ConnectionsPerOrigin = 8;
  private int initialWindowSize = 16 << 20;
  private int connectionWindowSize = 32 << 20;
  private int maxResponseHeadSize = 64 << 10;
  private TraceListener trace;
  private int maxRedirects = -1;
  private ClientConfig.ProxyConfig proxy;
  private boolean decompress;
  private final Map<String, List<InetAddress>> addressOverrides = new HashMap<>();

  Http2ClientBuilder() {}

  /**
   * The time to open a connection, 10 s: one budget, as curl's {@code --connect-timeout}, for
   * looking the host up, the TCP handshake (an address that does not answer leaves half of what is
   * left to the next one), the proxy's tunnel, the TLS handshake and the server's HTTP/2 preface.
   * When it runs out, the request fails with a {@link ConnectTimeoutException} naming the step.
   */
  public Http2ClientBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = positive(timeout, "connectTimeout");
    return this;
  }

  /**
   * The time from sending a request to its response head; none by default. It bounds the whole
   * wait: for a pooled HTTP/1.1 connection or a free stream slot, for another request's connect
   * attempt, retries, and the head itself. When it runs out the request fails with a {@link
   * java.net.SocketTimeoutException} naming it, and its HTTP/2 stream is reset (RST_STREAM CANCEL)
   * or its HTTP/1.1 connection closed; other requests are unaffected.
   */
  public Http2ClientBuilder responseTimeout(Duration timeout) {
    this.responseTimeout = timeout == null ? null : positive(timeout, "responseTimeout");
    return this;
  }

  /**
   * How long an unused connection stays open, 60 s; also the longest wait for body data or
   * flow-control credit on a busy one. A wait for HTTP/2 body data is ended by the client's timer,
   * which looks every quarter of the timeout (20 ms at least, a second at most): such a wait may
   * last up to that much longer.
   */
  public Http2ClientBuilder idleTimeout(Duration timeout) {
    this.idleTimeout = positive(timeout, "idleTimeout");
    return this;
  }

  /**
   * Sends an HTTP/2 PING at this interval on each connection, busy or idle, to find a dead peer or
   * path; off by default. A connection whose PING goes unanswered for the {@linkplain #pingTimeout
   * PING timeout} is closed, failing its requests in flight.
   */
  public Http2ClientBuilder pingInterval(Duration interval) {
    this.pingInterval = interval == null ? null : positive(interval, "pingInterval");
    return this;
  }

  /**
   * How long a keep-alive PING may go unanswered before its connection is closed; by default the
   * PING interval, but at least 1 s, so a busy peer or a short interval doesn't cost a healthy
   * connection. Requests in flight on the closed connection fail with an {@link
   * Http2ClientException} naming the unanswered PING; they are not retried.
   */
  public Http2ClientBuilder pingTimeout(Duration timeout) {
    this.pingTimeout = timeout == null ? null : positive(timeout, "pingTimeout");
    return this;
  }

  /** How {@code http://} origins are reached: {@link ConnectionMode#PRIOR_KNOWLEDGE} by default. */
  public Http2ClientBuilder connectionMode(ConnectionMode mode) {
    this.mode = Objects.requireNonNull(mode, "mode");
    return this;
  }

  /** The TLS context for {@code https://}; the JDK's default (its trust store) if unset. */
  public Http2ClientBuilder sslContext(SSLContext context) {
    this.sslContext = context;
    return this;
  }

  /**
   * Trusts every server certificate and skips host name verification. For tests only: it makes TLS
   * worthless against an active attacker.
   */
  public Http2ClientBuilder insecure(boolean insecure) {
    this.insecure = insecure;
    return this;
  }

  /** The most HTTP/1.1 connections to one origin, 8; further requests wait for one. */
  public Http2ClientBuilder maxHttp1ConnectionsPerOrigin(int max) {
    if (max < 1) throw new IllegalArgumentException("max < 1");
    this.maxHttp1ConnectionsPerOrigin = max;
    return this;
  }

  /**
   * SETTINGS_INITIAL_WINDOW_SIZE we advertise, 16 MiB: how much of one response the server may send
   * ahead of the application's reading, and so the most buffered per stream. (A server's default is
   * 1 MiB; a client has few streams. A large window means few WINDOW_UPDATEs, each of which wakes
   * the connection's writer: see docs/BENCHMARKS.md.)
   */
  public Http2ClientBuilder initialWindowSize(int bytes) {
    if (bytes < 1) throw new IllegalArgumentException("initialWindowSize < 1");
    this.initialWindowSize = bytes;
    return this;
  }

  /**
   * The connection receive window, 32 MiB: the most buffered per connection. Twice the stream
   * window, so that one stream the application does not read leaves room for the others.
   */
  public Http2ClientBuilder connectionWindowSize(int bytes) {
    if (bytes < 65_535) throw new IllegalArgumentException("connectionWindowSize < 65535");
    this.connectionWindowSize = bytes;
    return this;
  }

  /** The largest HTTP/1.1 response head accepted, 64 KiB. */
  public Http2ClientBuilder maxResponseHeadSize(int bytes) {
    this.maxResponseHeadSize = bytes;
    return this;
  }

  /** Receives a description of every frame and head sent and received; off by default. */
  public Http2ClientBuilder trace(TraceListener listener) {
    this.trace = listener;
    return this;
  }

  /**
   * Follows redirects, as curl's {@code -L} does, at most {@code max} of them in one call of {@link
   * Http2Client#send}; off by default, so a redirect is returned as the response. A redirect is a
   * 301, 302, 303, 307 or 308 with a {@code location}, resolved against the request's URI. 303
   * turns every method but HEAD into GET without a body, and 301 and 302 do so for POST; other
   * methods, and 307 and 308, keep the method and the body. A redirect to another origin (scheme,
   * host or port) drops the {@code authorization}, {@code cookie} and {@code host} fields. A
   * request's {@linkplain ClientRequest.Builder#onRedirect redirect hook} sees each redirect's head
   * and may change the request that follows. The response carries the URI it came from ({@link
   * ClientResponse#uri}) and the redirect count ({@link ExchangeInfo#redirects}).
   *
   * <p>A redirect beyond {@code max} fails with {@link RedirectException.Reason#TOO_MANY} (so 0
   * fails on the first one, as curl's {@code --max-redirs 0} does); a body that must be sent again
   * but was written by a {@link ClientRequest.BodyWriter} fails with {@link
   * RedirectException.Reason#BODY_NOT_REPLAYABLE}.
   */
  public Http2ClientBuilder followRedirects(int max) {
    if (max < 0) throw new IllegalArgumentException("max < 0");
    this.maxRedirects = max;
    return this;
  }

  /**
   * Sends every request through the HTTP proxy {@code proxy}, {@code
   * http://[user:password@]host[:port]} (port 1080 if none, as for curl's {@code -x}); null for
   * none, the default. An {@code https} origin is reached through a {@code CONNECT} tunnel, with
   * TLS and ALPN end to end inside it. An {@code http} origin gets HTTP/1.1 requests in absolute
   * form ({@code GET http://host/path HTTP/1.1}); with {@link ConnectionMode#UPGRADE} the first one
   * carries the h2c Upgrade, and a proxy that passes it on ({@code 101}) relays HTTP/2 to the
   * origin from then on. Prior knowledge is not used through a proxy, as by curl. A user and
   * password go to the proxy as Basic {@code proxy-authorization} (RFC 9110 §11.7.2). A tunnel the
   * proxy refuses fails with {@link ProxyTunnelException}.
   *
   * @throws IllegalArgumentException if {@code proxy} is not an {@code http} URI with a host
   */
  public Http2ClientBuilder proxy(URI proxy) {
    this.proxy = proxy == null ? null : ClientConfig.ProxyConfig.of(proxy);
    return this;
  }

  /**
   * Asks for compressed responses and decodes them, as curl's {@code --compressed} does; off by
   * default. A request without an {@code accept-encoding} of its own sends {@code accept-encoding:
   * gzip, deflate}, and a response body whose {@code content-encoding} is {@code gzip} or {@code
   * deflate} (or a list of them) is decoded as it is read. The headers stay as received, so {@code
   * content-length} is the encoded length, as is {@link ExchangeInfo#bytesDownloaded}. A body in
   * another coding is delivered as it came; a truncated or corrupt one fails its read with a {@link
   * java.util.zip.ZipException} (curl's exit code 61), while a failure of the transfer itself stays
   * what it is.
   */
  public Http2ClientBuilder decompress(boolean decompress) {
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
  public Http2ClientBuilder trustedCertificates(Path pemFile) {
    this.sslContext = Tls.trusting(pemFile);
    return this;
  }

  /**
   * Connects to {@code addresses}, tried in order, instead of looking up {@code host} whenever a
   * connection to {@code host} and {@code port} is opened, as curl's {@code --resolve} does. The
   * URI, {@code :authority}, SNI and certificate check still use {@code host}. It applies to the
   * proxy's host too. A later call for the same host and port replaces an earlier one.
   */
  public Http2ClientBuilder resolve(String host, int port, InetAddress... addresses) {
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
