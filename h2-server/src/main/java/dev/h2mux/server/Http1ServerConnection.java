package dev.h2mux.server;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.http1.BodyFraming;
import dev.h2mux.core.http1.ChunkedInputStream;
import dev.h2mux.core.http1.Http1Exception;
import dev.h2mux.core.http1.Http1HeadWriter;
import dev.h2mux.core.http1.Http1Parser;
import dev.h2mux.core.http1.Http1Reasons;
import dev.h2mux.core.http1.Http1RequestHead;
import dev.h2mux.core.http1.Http1Syntax;
import dev.h2mux.core.io.PeekableInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves HTTP/1.0 and HTTP/1.1 on one connection: one request at a time, in order, with keep-alive,
 * pipelining (bytes read ahead stay buffered for the next request), and the h2c upgrade to HTTP/2
 * on cleartext connections.
 *
 * <p>Timeouts: the request head must arrive within the header read timeout once its first byte has;
 * between requests, and while the handler reads the body, the idle timeout applies. A malformed
 * request gets 400 (414 for a request target too long, 431 for a head too large, 501 for an unknown
 * transfer coding, 505 for an unknown version) and the connection closes.
 *
 * <p>Closing never destroys a response: after the last byte the output is shut down (FIN, over TLS
 * close_notify first) and input is read and dropped until the client closes its side, for at most
 * {@link #LINGER_MILLIS} and {@link #LINGER_BYTES} (RFC 9112 §9.6). Closing with input unread would
 * make the kernel reset the connection, and the client lose what it had not read yet. A graceful
 * shutdown lets the request in flight finish (with {@code Connection: close} if its head is not
 * sent yet) and half-closes an idle connection at once.
 */
final class Http1ServerConnection implements ServerConnection {
  private static final Logger log = LoggerFactory.getLogger(Http1ServerConnection.class);

  /** How much of a request body the handler left unread is read and discarded to keep alive. */
  static final int DRAIN_LIMIT = 256 * 1024;

  /** Limit for a chunk-size line including extensions. */
  private static final int MAX_CHUNK_LINE = 4096;

  /** Before closing: how long, and how much, to read and discard (RFC 9112 §9.6). */
  static final int LINGER_MILLIS = 2000;

  static final int LINGER_BYTES = 1 << 20;
  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SWITCHING_TO_H2C =
      "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);
  private static final Set<String> NOT_IN_HTTP2 =
      Set.of(
          "host",
          "connection",
          "upgrade",
          "http2-settings",
          "keep-alive",
          "proxy-connection",
          "transfer-encoding");

  private static final int IDLE = 0;
  private static final int BUSY = 1;
  private static final int CLOSING = 2;

  private final ServerConfig config;
  private final Socket socket;
  private final DeadlineInputStream deadline;
  private final PeekableInputStream in;
  private final OutputStream rawOut;
  private final BufferedOutputStream out;
  private final Http1ConnectionHandle handle;

  /** IDLE while waiting for a request's first byte; only then may a graceful shutdown close. */
  private final AtomicInteger state = new AtomicInteger(BUSY);

  private volatile boolean shutdown;
  private volatile boolean closedNow;
  private volatile ServerConnection upgraded;

  /** The thread in {@link #serve}; a forced close interrupts a handler blocked elsewhere. */
  private volatile Thread serving;

  /** Set once the client's end of the stream was read: nothing left to linger for. */
  private boolean peerClosed;

  /**
   * @param socket the connection's socket (an SSLSocket over TLS)
   * @param deadline the socket input under {@code in}, armed for the first request head
   * @param in buffered input holding at least the first byte of the first request
   * @param out the socket's output
   */
  Http1ServerConnection(
      ServerConfig config,
      Socket socket,
      DeadlineInputStream deadline,
      PeekableInputStream in,
      OutputStream out) {
    this.config = config;
    this.socket = socket;
    this.deadline = deadline;
    this.in = in;
    this.rawOut = out;
    this.out = new BufferedOutputStream(out, 16 * 1024);
    this.handle = new Http1ConnectionHandle(socket);
  }

  @Override
  public void serve() throws IOException {
    serving = Thread.currentThread();
    boolean clean = false;
    try {
      while (serveOne()) {
        state.set(IDLE);
        if (shutdown && state.compareAndSet(IDLE, CLOSING)) {
          break;
        }
        deadline.disarm(config.idleTimeoutMillis());
        if (!in.awaitData()) {
          peerClosed = true;
          break;
        }
        if (!state.compareAndSet(IDLE, BUSY)) {
          break; // shut down while idle: what arrived crossed our FIN and is dropped
        }
        deadline.arm(config.headerReadTimeoutMillis());
      }
      clean = true;
    } finally {
      serving = null;
      if (clean && upgraded == null) {
        lingeringClose();
      }
      Http2Server.closeQuietly(socket);
    }
  }

  @Override
  public void shutdownGracefully() {
    shutdown = true;
    ServerConnection h2 = upgraded;
    if (h2 != null) {
      h2.shutdownGracefully();
    } else if (state.compareAndSet(IDLE, CLOSING)) {
      // Between requests: say so with a FIN at once. The serving thread, waiting for the next
      // request, sees the client's end and closes; one that never closes is closed after the
      // linger time.
      halfClose();
      Thread.ofVirtual()
          .name("h2mux-linger-" + socket.getPort())
          .start(
              () -> {
                try {
                  Thread thread = serving;
                  if (thread != null) thread.join(java.time.Duration.ofMillis(LINGER_MILLIS));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  Http2Server.closeQuietly(socket);
                }
              });
    }
  }

  @Override
  public int closeNow() {
    closedNow = true;
    ServerConnection h2 = upgraded;
    if (h2 != null) {
      return h2.closeNow();
    }
    Thread thread = serving; // null once serve() is past its last request
    boolean busy = thread != null && state.get() == BUSY;
    Http2Server.closeQuietly(socket);
    if (busy) {
      thread.interrupt(); // a handler blocked on something other than its socket
    }
    return busy ? 1 : 0;
  }

  /** Serves one request; returns true to keep the connection for another. */
  private boolean serveOne() throws IOException {
    Http1RequestHead head;
    try {
      head = Http1Parser.readRequestHead(in, config.maxHeaderListSize());
    } catch (Http1Exception e) {
      return rejected(e);
    }
    if (head == null) {
      peerClosed = true;
      return false;
    }
    deadline.disarm(config.idleTimeoutMillis());
    try {
      return exchange(head);
    } catch (Http1Exception e) {
      return rejected(e);
    }
  }

  private boolean rejected(Http1Exception e) throws IOException {
    log.debug("bad request from {}: {}", socket.getRemoteSocketAddress(), e.getMessage());
    sendError(e.status());
    return false;
  }

  private boolean exchange(Http1RequestHead head) throws IOException {
    handle.requestStarted();
    HttpFields fields = head.headers();
    Target target = Target.parse(head, config.scheme());
    BodyFraming framing = BodyFraming.forRequest(head);
    boolean http11 = head.minorVersion() == 1;
    String expect = fields.get("expect");
    if (expect != null && !expect.equalsIgnoreCase("100-continue")) {
      sendError(417);
      return false;
    }
    InputStream framedBody = framing.open(in, MAX_CHUNK_LINE, config.maxHeaderListSize());
    RequestBody body = new RequestBody(framedBody, expect != null && http11 && !framing.isEmpty());
    boolean clientKeepAlive = Http1Syntax.isPersistent(head.minorVersion(), fields);

    if (!config.tls() && http11 && wantsH2c(fields)) {
      byte[] settings = decodeSettings(fields.get("http2-settings"));
      byte[] buffered = readBodyForUpgrade(framing, body);
      if (!body.atEnd) {
        body.prepend(buffered);
      } else {
        switchToH2c(head, target, buffered, settings);
        return false;
      }
    }

    Http1Response response =
        new Http1Response(
            out,
            head.method().equals("HEAD"),
            http11,
            () ->
                !clientKeepAlive
                    || shutdown
                    || handle.closeAfterThisRequest()
                    || (body.expectContinue && !body.continueSent()),
            () -> Http2Server.closeQuietly(socket));
    body.response = response;
    Http1Request request =
        new Http1Request(
            head.method(),
            config.scheme(),
            target.authority(),
            target.path(),
            head.version(),
            fields,
            body,
            () ->
                framedBody instanceof ChunkedInputStream chunked
                    ? chunked.trailers()
                    : HttpFields.empty(),
            remoteAddress(),
            handle);
    try {
      config.handler().handle(request, response);
      response.finish();
    } catch (Exception e) {
      return failed(request, response, body, e);
    }
    if (response.aborted()) {
      return false; // the handler reset the response: the socket is closed already
    }
    if (response.closeAfter() || handle.closeAfterThisRequest()) {
      return false; // serve() half-closes and lingers
    }
    return body.atEnd || drain(body);
  }

  private boolean failed(
      Http1Request request, Http1Response response, RequestBody body, Exception e)
      throws IOException {
    if (response.aborted()) {
      log.debug("{} was reset by its handler, then failed: {}", request, e.toString());
      return false;
    }
    if (response.isCommitted()) {
      if (e instanceof IOException) {
        log.debug("{} failed after the response was committed: {}", request, e.toString());
      } else {
        log.warn(
            "handler for {} failed after the response was committed; closing the connection",
            request,
            e);
      }
      return false;
    }
    int status = 500;
    if (body.error != null) {
      status = body.error instanceof Http1Exception bad ? bad.status() : 0;
      log.debug("{}: reading the request body failed: {}", request, body.error.toString());
    } else {
      log.warn("handler for {} failed", request, e);
    }
    if (status != 0) {
      response.discardForError(status);
      sendError(status);
    }
    return false;
  }

  private InetSocketAddress remoteAddress() {
    return socket.getRemoteSocketAddress() instanceof InetSocketAddress address ? address : null;
  }

  /** Reads and discards what the handler left of the body, up to {@link #DRAIN_LIMIT}. */
  private boolean drain(RequestBody body) {
    if (body.expectContinue && !body.continueSent()) {
      return false; // the client is waiting for 100 Continue before it sends the body
    }
    try {
      long left = DRAIN_LIMIT;
      byte[] scratch = new byte[8192];
      while (left > 0) {
        int n = body.source.read(scratch, 0, (int) Math.min(scratch.length, left));
        if (n < 0) {
          return true;
        }
        left -= n;
      }
      return false;
    } catch (IOException e) {
      log.debug("draining the request body failed: {}", e.toString());
      return false;
    }
  }

  private void sendError(int status) throws IOException {
    byte[] text =
        (status + " " + Http1Reasons.of(status) + "\n").getBytes(StandardCharsets.US_ASCII);
    HttpFields fields =
        HttpFields.of(
            "date",
            HttpDate.now(),
            "content-type",
            "text/plain; charset=utf-8",
            "content-length",
            Integer.toString(text.length),
            "connection",
            "close");
    out.write(Http1HeadWriter.encodeResponseHead(status, null, fields));
    out.write(text);
    out.flush();
  }

  /**
   * Half-closes and reads what the client still sends, for a bounded time and amount, so that
   * closing with unread input (which resets the connection) cannot destroy the response we sent.
   */
  private void lingeringClose() {
    if (closedNow) {
      return;
    }
    try {
      out.flush();
    } catch (IOException e) {
      log.trace("final flush failed: {}", e.toString());
      return;
    }
    halfClose();
    if (peerClosed) {
      return;
    }
    try {
      deadline.arm(LINGER_MILLIS);
      byte[] scratch = new byte[8192];
      long total = 0;
      while (total < LINGER_BYTES) {
        int n = in.read(scratch);
        if (n < 0) {
          break;
        }
        total += n;
      }
    } catch (IOException e) {
      log.trace("lingering close ended: {}", e.toString());
    }
  }

  /** Shuts down output: FIN, over TLS a close_notify first (SSLSocket supports it since JDK 11). */
  private void halfClose() {
    try {
      if (!socket.isClosed() && !socket.isOutputShutdown()) socket.shutdownOutput();
    } catch (IOException | UnsupportedOperationException e) {
      log.trace("half-close failed: {}", e.toString());
    }
  }

  private static boolean wantsH2c(HttpFields fields) {
    return Http1Syntax.hasElement(fields, "upgrade", "h2c")
        && Http1Syntax.hasElement(fields, "connection", "upgrade")
        && Http1Syntax.hasElement(fields, "connection", "http2-settings")
        && fields.all("http2-settings").size() == 1;
  }

  private static byte[] decodeSettings(String value) throws Http1Exception {
    byte[] settings;
    try {
      settings = Base64.getUrlDecoder().decode(value.trim());
    } catch (IllegalArgumentException e) {
      throw new Http1Exception(400, "HTTP2-Settings is not base64url");
    }
    if (settings.length % 6 != 0) {
      throw new Http1Exception(400, "HTTP2-Settings is not a SETTINGS payload");
    }
    return settings;
  }

  /**
   * Reads the body of an upgrade request into memory, up to one byte past the limit; the body is at
   * its end afterwards exactly if it fit.
   */
  private byte[] readBodyForUpgrade(BodyFraming framing, RequestBody body) throws IOException {
    long limit = config.maxRequestBodyBuffered();
    if (framing.kind() == BodyFraming.Kind.CONTENT_LENGTH && framing.length() > limit) {
      return new byte[0];
    }
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    byte[] scratch = new byte[8192];
    while (buffer.size() <= limit) {
      int n = body.read(scratch, 0, (int) Math.min(scratch.length, limit + 1 - buffer.size()));
      if (n < 0) {
        break;
      }
      buffer.write(scratch, 0, n);
    }
    return buffer.toByteArray();
  }

  private void switchToH2c(Http1RequestHead head, Target target, byte[] body, byte[] settings)
      throws IOException {
    UpgradeRequest upgrade =
        new UpgradeRequest(
            head.method(),
            target.path(),
            target.authority(),
            http2Fields(head.headers()),
            body,
            settings);
    out.write(SWITCHING_TO_H2C);
    out.flush();
    deadline.disarm(0);
    ServerConnection h2 = new Http2ServerConnection(config, socket, in, rawOut, "http", upgrade);
    upgraded = h2;
    if (closedNow) {
      h2.closeNow();
      return;
    }
    if (shutdown) {
      h2.shutdownGracefully();
    }
    log.debug("upgraded to h2c: {}", socket.getRemoteSocketAddress());
    h2.serve();
  }

  /** The request's fields without those HTTP/2 forbids (RFC 9113 §8.2.2) or carries otherwise. */
  static HttpFields http2Fields(HttpFields fields) {
    Set<String> drop = new HashSet<>(NOT_IN_HTTP2);
    drop.addAll(Http1Syntax.listElements(fields, "connection"));
    HttpFields result = new HttpFields();
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.name(i);
      String value = fields.value(i);
      if (drop.contains(name)
          || (name.equals("te") && !value.trim().equalsIgnoreCase("trailers"))) {
        continue;
      }
      result.add(name, value);
    }
    return result.freeze();
  }

  /** The request target as path and authority (RFC 9112 §3.2). */
  private record Target(String path, String authority) {
    static Target parse(Http1RequestHead head, String scheme) throws Http1Exception {
      String target = head.target();
      String host = Objects.requireNonNullElse(head.headers().get("host"), "");
      if (head.method().equals("CONNECT")) {
        throw new Http1Exception(501, "CONNECT is not supported");
      }
      if (target.equals("*")) {
        if (!head.method().equals("OPTIONS")) {
          throw new Http1Exception(400, "asterisk-form is only for OPTIONS");
        }
        return new Target("*", host);
      }
      if (target.startsWith("/")) {
        return new Target(target, host);
      }
      String lower = target.toLowerCase(Locale.ROOT);
      int authorityStart = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
      if (authorityStart < 0) {
        throw new Http1Exception(400, "invalid request target");
      }
      int end = authorityStart;
      while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
        end++;
      }
      String authority = target.substring(authorityStart, end);
      if (authority.isEmpty() || !Http1Syntax.isValidHost(authority)) {
        throw new Http1Exception(400, "invalid authority in request target");
      }
      String path = target.substring(end);
      return new Target(path.isEmpty() || path.charAt(0) == '?' ? "/" + path : path, authority);
    }
  }

  /**
   * The request body as the handler sees it: sends 100 Continue on the first read if the client
   * expects it, remembers whether the end was reached and why reading failed, and leaves the
   * connection open when closed.
   */
  private final class RequestBody extends InputStream {
    final boolean expectContinue;
    InputStream source;

    /** The response, once there is one: 100 Continue must not follow its head. */
    Http1Response response;

    boolean continueSent;
    boolean atEnd;
    IOException error;
    private boolean closed;

    RequestBody(InputStream source, boolean expectContinue) {
      this.source = source;
      this.expectContinue = expectContinue;
    }

    /** True once 100 Continue went out: ours, or the handler's own. */
    boolean continueSent() {
      return continueSent || (response != null && response.continueSent());
    }

    /** Puts bytes already read back in front of the rest. */
    void prepend(byte[] bytes) {
      source = new SequenceInputStream(new ByteArrayInputStream(bytes), source);
      atEnd = false;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (closed) {
        throw new IOException("request body closed");
      }
      if (atEnd) {
        return -1;
      }
      if (expectContinue && !continueSent() && (response == null || !response.isCommitted())) {
        continueSent = true;
        out.write(CONTINUE);
        out.flush();
      }
      try {
        int n = source.read(b, off, len);
        if (n < 0) {
          atEnd = true;
        }
        return n;
      } catch (IOException e) {
        error = e;
        throw e;
      }
    }

    @Override
    public int available() throws IOException {
      return closed || atEnd ? 0 : source.available();
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
