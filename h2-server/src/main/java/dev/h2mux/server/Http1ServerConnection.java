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
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves HTTP/1.0 and HTTP/1.1 on one connection: one request at a time, in order, with keep-alive
 * (RFC 9112 §9.3), pipelining (bytes read ahead stay buffered for the next request), and the h2c
 * upgrade to HTTP/2 on cleartext connections ({@link ServerUpgrade}).
 *
 * <p>Timeouts: the request head must arrive within the header read timeout once its first byte has;
 * between requests, and while the handler reads the body, the idle timeout applies. Between
 * requests it is kept by the acceptor's sweep ({@link #sweep}) rather than by the socket's read
 * timeout: a timed wait of a virtual thread costs a timer task set and cancelled per request, the
 * largest single cost of a keep-alive request (docs/BENCHMARKS.md). A malformed request gets 400
 * (414 for a request target too long, 431 for a head too large, 501 for an unknown transfer coding,
 * 505 for an unknown version) and the connection closes.
 *
 * <p>Closing never destroys a response: it lingers ({@link Http1LingeringClose}). A graceful
 * shutdown lets the request in flight finish (with {@code Connection: close} if its head is not
 * sent yet) and half-closes an idle connection at once.
 */
final class Http1ServerConnection implements ServerConnection {
  private static final Logger log = LoggerFactory.getLogger(Http1ServerConnection.class);

  /** How much of a request body the handler left unread is read and discarded to keep alive. */
  static final int DRAIN_LIMIT = 256 * 1024;

  /** Limit for a chunk-size line including extensions. */
  private static final int MAX_CHUNK_LINE = 4096;

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
  private final Http1LingeringClose closing;

  /** IDLE while waiting for a request's first byte; only then may a graceful shutdown close. */
  private final AtomicInteger state = new AtomicInteger(BUSY);

  /**
   * While waiting for a request: {@link System#nanoTime()} when it began; else {@link #BUSY_NOW}.
   */
  private volatile long idleSinceNanos = BUSY_NOW;

  private static final long BUSY_NOW = Long.MIN_VALUE;

  private final long idleTimeoutNanos;

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
    this.closing = new Http1LingeringClose(socket, deadline, in);
    this.idleTimeoutNanos = config.idleTimeout().toNanos();
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
        deadline.disarm(0); // the acceptor's sweep keeps the idle timeout
        idleSinceNanos = System.nanoTime();
        boolean more = in.awaitData();
        idleSinceNanos = BUSY_NOW;
        if (!more) {
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
      if (clean && upgraded == null && !closedNow) {
        closing.afterLastResponse(out, peerClosed);
      }
      Sockets.closeQuietly(socket);
    }
  }

  @Override
  public void shutdownGracefully() {
    shutdown = true;
    ServerConnection h2 = upgraded;
    if (h2 != null) {
      h2.shutdownGracefully();
    } else if (state.compareAndSet(IDLE, CLOSING)) {
      closing.closeIdle(serving); // between requests
    }
  }

  /**
   * Past the idle timeout between requests: closes as a graceful shutdown closes an idle connection
   * (a FIN at once). A request arriving at that moment finds the connection closing and is dropped,
   * as at any idle close (RFC 9112 §9.3.1: a client retries it on a new connection).
   */
  @Override
  public void sweep(long nowNanos) {
    ServerConnection h2 = upgraded;
    if (h2 != null) {
      h2.sweep(nowNanos);
      return;
    }
    long since = idleSinceNanos;
    if (since == BUSY_NOW || nowNanos - since < idleTimeoutNanos) return;
    if (state.compareAndSet(IDLE, CLOSING)) {
      log.debug("idle for {}, closing {}", config.idleTimeout(), socket.getRemoteSocketAddress());
      closing.closeIdle(serving);
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
    Sockets.closeQuietly(socket);
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
    RequestTarget target = RequestTarget.parse(head);
    BodyFraming framing = BodyFraming.forRequest(head);
    boolean http11 = head.minorVersion() == 1;
    String expect = fields.get("expect");
    if (expect != null && !expect.equalsIgnoreCase("100-continue")) {
      sendError(417);
      return false;
    }
    InputStream framedBody = framing.open(in, MAX_CHUNK_LINE, config.maxHeaderListSize());
    Http1RequestBody body =
        new Http1RequestBody(framedBody, expect != null && http11 && !framing.isEmpty(), out);
    boolean clientKeepAlive = Http1Syntax.isPersistent(head.minorVersion(), fields);

    if (!config.tls() && http11 && ServerUpgrade.isRequested(fields)) {
      UpgradeRequest upgrade =
          ServerUpgrade.read(head, target, framing, body, config.maxRequestBodyBuffered());
      if (upgrade != null) {
        switchToH2c(upgrade);
        return false;
      } // too large to hold: served as HTTP/1.1
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
                    || body.awaitingContinue(),
            () -> Sockets.closeQuietly(socket));
    body.response(response);
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
    return body.atEnd() || drain(body);
  }

  private boolean failed(
      Http1Request request, Http1Response response, Http1RequestBody body, Exception e)
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
    if (body.error() != null) {
      status = body.error() instanceof Http1Exception bad ? bad.status() : 0;
      log.debug("{}: reading the request body failed: {}", request, body.error().toString());
    } else {
      log.warn("handler for {} failed", request, e);
    }
    if (status != 0) {
      response.replaceForError(status);
      sendError(status);
    }
    return false;
  }

  private InetSocketAddress remoteAddress() {
    return socket.getRemoteSocketAddress() instanceof InetSocketAddress address ? address : null;
  }

  /** Reads and discards what the handler left of the body, up to {@link #DRAIN_LIMIT}. */
  private boolean drain(Http1RequestBody body) {
    if (body.awaitingContinue()) {
      return false; // the client is waiting for 100 Continue before it sends the body
    }
    try {
      return body.discardRest(DRAIN_LIMIT);
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

  /** Sends 101 and hands the socket to an HTTP/2 connection, which serves {@code upgrade} first. */
  private void switchToH2c(UpgradeRequest upgrade) throws IOException {
    ServerUpgrade.sendSwitchingProtocols(out);
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
}
