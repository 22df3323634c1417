package dev.h2mux.client;

import dev.h2mux.client.TraceListener.Direction;
import dev.h2mux.core.HttpFields;
import dev.h2mux.core.engine.Http2Connection;
import dev.h2mux.core.engine.Http2Stream;
import dev.h2mux.core.engine.StreamResetException;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.http1.BodyFraming;
import dev.h2mux.core.http1.ChunkedInputStream;
import dev.h2mux.core.http1.ChunkedOutputStream;
import dev.h2mux.core.http1.ContentLengthOutputStream;
import dev.h2mux.core.http1.Http1Exception;
import dev.h2mux.core.http1.Http1HeadWriter;
import dev.h2mux.core.http1.Http1Parser;
import dev.h2mux.core.http1.Http1Syntax;
import dev.h2mux.core.http1.ResponseHead;
import dev.h2mux.core.http1.UncloseableOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections to one origin: at most one HTTP/2 connection in use at a time (a new one replaces
 * it once it can take no new streams), or a bounded pool of HTTP/1.1 keep-alive connections, and
 * the knowledge of which of the two the origin speaks. Retries live here.
 */
final class OriginPool {
  private static final Logger log = LoggerFactory.getLogger(OriginPool.class);

  /** Attempts for a request the server refused unprocessed (REFUSED_STREAM, GOAWAY). */
  private static final int MAX_REFUSED_ATTEMPTS = 5;

  /** Attempts for an idempotent request whose connection was lost before the response. */
  private static final int MAX_LOST_ATTEMPTS = 3;

  private final Http2Client client;
  private final ClientConfig settings;
  private final Origin origin;
  private final TraceListener trace;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition http1Freed = lock.newCondition();

  // Guarded by lock.
  private Http2Connection http2;
  private CompletableFuture<Http2Connection> connecting;
  private final List<Http2Connection> allHttp2 = new ArrayList<>();
  private final ArrayDeque<Http1Connection> idle = new ArrayDeque<>();
  private final Set<Http1Connection> allHttp1 = new HashSet<>();
  private final Set<Socket> opening = new HashSet<>();
  private int http1Count;
  private boolean closed;

  /** When the current HTTP/2 connection last started or ended a stream. */
  private volatile long http2LastActive = System.nanoTime();

  /** Why we closed a connection, for the requests that fail with it. */
  private final Map<Http2Connection, String> closeReasons =
      Collections.synchronizedMap(new WeakHashMap<>());

  // Timer thread only: the keep-alive PING state of the connection {@code pinged}.
  private Http2Connection pinged;
  private long lastPingSent;
  private CompletableFuture<Void> pendingPing;

  /** What the origin speaks, once known; null before. */
  private volatile Protocol known;

  OriginPool(Http2Client client, Origin origin) {
    this.client = client;
    this.settings = client.settings;
    this.origin = origin;
    this.trace = settings.trace();
  }

  // ------------------------------------------------------------------ sending, with retries

  ClientResponse send(ClientRequest request, Cancellation cancel, Exchange exchange)
      throws IOException {
    // One deadline for every attempt: retries do not extend the caller's wait.
    Deadline deadline =
        Deadline.after(request.timeout() != null ? request.timeout() : settings.responseTimeout());
    for (int attempt = 1; ; attempt++) {
      cancel.check();
      try {
        return exchange(request, cancel, deadline, exchange);
      } catch (IOException | RuntimeException e) {
        if (cancel.isCancelled()) {
          InterruptedIOException cancelled = new InterruptedIOException("request cancelled");
          cancelled.initCause(e);
          throw cancelled;
        }
        if (e instanceof RuntimeException r) throw r;
        IOException io = (IOException) e;
        if (client.isClosed()) throw new IOException("client closed", e);
        boolean refused = io instanceof StreamResetException r && r.isRetryable();
        if (refused && request.isReplayable() && attempt < MAX_REFUSED_ATTEMPTS) {
          log.debug(
              "{}: {} not processed ({}), sending it again", origin, request, io.getMessage());
          continue;
        }
        if (io instanceof ConnectionLostException
            && request.isIdempotent()
            && attempt < MAX_LOST_ATTEMPTS) {
          log.debug("{}: {} lost ({}), sending it again", origin, request, io.getMessage());
          continue;
        }
        throw Failures.translate(io);
      }
    }
  }

  private ClientResponse exchange(
      ClientRequest request, Cancellation cancel, Deadline deadline, Exchange exchange)
      throws IOException {
    if (settings.mode() != ConnectionMode.HTTP_1_1 && known != Protocol.HTTP_1_1) {
      Object acquired = acquireHttp2(request, cancel, deadline, exchange);
      if (acquired instanceof ClientResponse response) return response;
      if (acquired instanceof Http2Connection connection) {
        return http2Exchange(connection, request, cancel, deadline, exchange);
      }
    }
    return http1Exchange(acquireHttp1(deadline), request, cancel, deadline, exchange);
  }

  // ------------------------------------------------------------------ HTTP/2

  /**
   * The HTTP/2 connection to use: the current one, or a new one. Returns a {@link Http2Connection};
   * null if the origin speaks HTTP/1.1; or, when this request performed an h2c Upgrade, its {@link
   * ClientResponse}.
   */
  private Object acquireHttp2(
      ClientRequest request, Cancellation cancel, Deadline deadline, Exchange exchange)
      throws IOException {
    while (true) {
      CompletableFuture<Http2Connection> pending;
      boolean mine = false;
      lock.lock();
      try {
        if (closed) throw new IOException("client closed");
        if (known == Protocol.HTTP_1_1) return null;
        if (http2 != null && !http2.isShutdown()) return http2;
        if (connecting == null) {
          connecting = new CompletableFuture<>();
          mine = true;
        }
        pending = connecting;
      } finally {
        lock.unlock();
      }
      if (!mine) {
        Http2Connection connection = await(pending, deadline);
        if (connection == null) return null;
        if (!connection.isShutdown()) return connection;
        continue;
      }
      try {
        Object result = connectHttp2(request, cancel, deadline, exchange);
        Http2Connection connection =
            result instanceof Http2Connection c
                ? c
                : result instanceof Upgraded u ? u.connection() : null;
        lock.lock();
        try {
          connecting = null;
          if (connection != null) http2 = connection;
        } finally {
          lock.unlock();
        }
        http2LastActive = System.nanoTime();
        pending.complete(connection);
        return result instanceof Upgraded u ? u.response() : result;
      } catch (Throwable e) {
        // Errors too: a connect attempt left pending would hold every later request forever.
        lock.lock();
        try {
          connecting = null;
        } finally {
          lock.unlock();
        }
        pending.completeExceptionally(e);
        throw e;
      }
    }
  }

  /**
   * Waits for another request's connect attempt. That attempt may be an h2c Upgrade waiting for its
   * own response with its own (perhaps no) timeout, so this request's deadline bounds it.
   */
  private Http2Connection await(CompletableFuture<Http2Connection> pending, Deadline deadline)
      throws IOException {
    try {
      if (!deadline.isSet()) return pending.get();
      return pending.get(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw deadline.exceeded("no connection to " + origin + " was ready");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for a connection");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) throw io;
      throw new IOException("connecting failed: " + e.getCause(), e.getCause());
    }
  }

  /** The outcome of an h2c Upgrade attempt: the connection (null if declined) and the response. */
  private record Upgraded(Http2Connection connection, ClientResponse response) {}

  /** Connects for HTTP/2; see {@link #acquireHttp2} for what it returns. */
  private Object connectHttp2(
      ClientRequest request, Cancellation cancel, Deadline deadline, Exchange exchange)
      throws IOException {
    String name = origin.host() + ":" + origin.port() + "#" + client.nextConnectionNumber();
    Socket socket = openSocket(name);
    opening(socket, true);
    try {
      if (origin.tls()) {
        SSLSocket ssl =
            Tls.handshake(
                Tls.context(settings),
                socket,
                origin,
                settings.insecure(),
                List.of("h2", "http/1.1"),
                connectTimeoutMillis());
        String alpn = ssl.getApplicationProtocol();
        info(
            name,
            "TLS "
                + ssl.getSession().getProtocol()
                + ", ALPN "
                + (alpn == null || alpn.isEmpty() ? "not negotiated" : alpn));
        if ("h2".equals(alpn)) return startHttp2(ssl, ssl.getInputStream(), name);
        known = Protocol.HTTP_1_1;
        // Pooled as idle, for this request to take: adopted but never released, it would
        // hold one of the origin's HTTP/1.1 slots for good.
        Http1Connection connection = new Http1Connection(ssl, name);
        adoptHttp1(connection);
        releaseHttp1(connection, true);
        return null;
      }
      if (settings.mode() == ConnectionMode.UPGRADE) {
        return upgrade(socket, name, request, cancel, deadline, exchange);
      }
      PrefaceSniffer sniffer = new PrefaceSniffer(socket.getInputStream());
      try {
        return startHttp2(socket, sniffer, name);
      } catch (IOException e) {
        if (!sniffer.sawHttp1()) throw e;
        info(name, "the server answered the HTTP/2 preface with HTTP/1.x: using HTTP/1.1");
        log.debug("{}: {} speaks HTTP/1.1 only, falling back", name, origin);
        known = Protocol.HTTP_1_1;
        return null;
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(socket);
      throw e;
    } finally {
      opening(socket, false);
    }
  }

  /**
   * Tracks a socket between connect and its connection joining the pool, so that {@link #close}
   * ends it: an h2c Upgrade waits there for its response, perhaps without a timeout.
   */
  private void opening(Socket socket, boolean add) throws IOException {
    lock.lock();
    try {
      if (!add) {
        opening.remove(socket);
        return;
      }
      if (closed) {
        closeQuietly(socket);
        throw new IOException("client closed");
      }
      opening.add(socket);
    } finally {
      lock.unlock();
    }
  }

  private Http2Connection startHttp2(Socket socket, InputStream in, String name)
      throws IOException {
    Http2Connection connection = newHttp2Connection(socket, in, name);
    connection.start();
    awaitReady(connection, name);
    return connection;
  }

  private Http2Connection newHttp2Connection(Socket socket, InputStream in, String name)
      throws IOException {
    InputStream input = trace == null ? in : FrameTap.inbound(in, trace, name);
    OutputStream output =
        trace == null
            ? socket.getOutputStream()
            : FrameTap.outbound(socket.getOutputStream(), trace, name);
    Http2Connection connection =
        new Http2Connection(
            Http2Connection.Role.CLIENT,
            settings.http2(),
            socket,
            input,
            output,
            new Http2Connection.Listener() {
              @Override
              public void onClose(Http2Connection c) {
                http2Closed(c);
              }
            });
    lock.lock();
    try {
      if (closed) throw new IOException("client closed");
      allHttp2.add(connection);
    } finally {
      lock.unlock();
    }
    return connection;
  }

  /**
   * Waits until the server's first SETTINGS were applied: the answer to a PING follows them, so no
   * request is sent before the server's stream limit is known.
   */
  private void awaitReady(Http2Connection connection, String name) throws IOException {
    try {
      connection.ping().get(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
      info(name, "HTTP/2 connection ready");
    } catch (TimeoutException e) {
      connection.close();
      throw new SocketTimeoutException(
          "no HTTP/2 answer from "
              + origin
              + " within "
              + settings.connectTimeout().toMillis()
              + " ms");
    } catch (ExecutionException e) {
      connection.close();
      throw new ConnectException("the server closed the connection instead of speaking HTTP/2");
    } catch (InterruptedException e) {
      connection.close();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while connecting");
    }
  }

  /** Stops giving {@code connection} to new requests; it closes once its streams are done. */
  private void retire(Http2Connection connection) {
    http2Closed(connection);
    connection.shutdownGracefully();
  }

  private void http2Closed(Http2Connection connection) {
    lock.lock();
    try {
      if (http2 == connection) http2 = null;
    } finally {
      lock.unlock();
    }
  }

  private ClientResponse http2Exchange(
      Http2Connection connection,
      ClientRequest request,
      Cancellation cancel,
      Deadline deadline,
      Exchange exchange)
      throws IOException {
    boolean hasContent = request.hasBody() || !request.trailers().isEmpty();
    http2LastActive = System.nanoTime();
    Http2Stream stream;
    try {
      stream = connection.newStream(http2Fields(request), !hasContent, deadline.remainingNanos());
    } catch (SocketTimeoutException e) {
      throw deadline.exceeded("no stream slot on the HTTP/2 connection to " + origin);
    } catch (StreamResetException e) {
      throw explained(connection, e, cancel);
    }
    cancel.onCancel(() -> stream.reset(ErrorCode.CANCEL));
    try {
      if (hasContent) {
        Http2Stream.StreamOutput out = stream.output();
        request.writeBody(out);
        if (request.trailers().isEmpty()) out.close();
        else out.closeWithTrailers(request.trailers());
      }
      return http2Response(
          connection, stream, awaitHead(stream, deadline), request.uri(), exchange);
    } catch (StreamResetException e) {
      if (e.isRetryable() && e.error() == ErrorCode.REFUSED_STREAM && !connection.isShutdown()) {
        // The retry goes to a fresh connection; streams in flight here may finish.
        retire(connection);
      }
      throw explained(connection, e, cancel);
    } catch (IOException | RuntimeException e) {
      stream.reset(ErrorCode.CANCEL);
      throw e;
    }
  }

  /** The response head, or a timeout that names the origin and the timeout. */
  private dev.h2mux.core.http.ResponseHead awaitHead(Http2Stream stream, Deadline deadline)
      throws IOException {
    try {
      return stream.awaitResponse(deadline.remainingNanos());
    } catch (SocketTimeoutException e) {
      throw deadline.exceeded("no response from " + origin);
    }
  }

  /**
   * What a stream's reset means to the caller: the reason we closed the connection (an unanswered
   * PING), a lost connection (which an idempotent request may retry), or the reset.
   */
  private IOException explained(
      Http2Connection connection, StreamResetException e, Cancellation cancel) {
    if (e.isRetryable() || !connection.isClosed() || (cancel != null && cancel.isCancelled())) {
      return e;
    }
    String reason = closeReasons.get(connection);
    if (reason != null) {
      return new Http2ClientException(
          "the connection to " + origin + " was closed: " + reason, null, e);
    }
    if (e.error() != ErrorCode.CANCEL) return e;
    return new ConnectionLostException("the server closed the connection before responding", e);
  }

  private ClientResponse http2Response(
      Http2Connection connection,
      Http2Stream stream,
      dev.h2mux.core.http.ResponseHead head,
      java.net.URI uri,
      Exchange exchange) {
    InputStream input =
        new FilterInputStream(stream.input()) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            try {
              return super.read(b, off, len);
            } catch (StreamResetException e) {
              IOException why = explained(connection, e, null);
              throw why instanceof ConnectionLostException ? e : why;
            }
          }
        };
    BodyStream body =
        new BodyStream(
            input,
            new BodyStream.Callbacks() {
              @Override
              public void onEnd() {
                http2LastActive = System.nanoTime();
              }

              @Override
              public void onAbort() {
                http2LastActive = System.nanoTime();
                stream.reset(ErrorCode.CANCEL);
              }
            },
            exchange);
    return new ClientResponse(
        head.status(), head.headers(), Protocol.HTTP_2, body, stream::trailers, uri, exchange);
  }

  private HttpFields http2Fields(ClientRequest request) {
    HttpFields fields = new HttpFields();
    String host = request.headers().get("host");
    fields.add(":method", request.method());
    fields.add(":scheme", origin.scheme());
    fields.add(":authority", host != null ? host : origin.authority());
    fields.add(":path", request.target());
    HttpFields headers = request.headers();
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      String value = headers.value(i);
      switch (name) {
        case "host",
            "connection",
            "keep-alive",
            "proxy-connection",
            "transfer-encoding",
            "upgrade" -> {}
        case "te" -> {
          if (value.equalsIgnoreCase("trailers")) fields.add(name, "trailers");
        }
        default -> fields.add(name, value);
      }
    }
    if (request.hasBody() && request.contentLength() >= 0 && !headers.contains("content-length")) {
      fields.add("content-length", Long.toString(request.contentLength()));
    }
    return fields;
  }

  /** The SETTINGS payload of the HTTP2-Settings header: the values the engine will send. */
  private String http2SettingsHeader() {
    var config = settings.http2();
    int[][] values = {
      {2, 0},
      {3, config.maxConcurrentStreams()},
      {4, config.initialWindowSize()},
      {5, config.maxFrameSize()},
      {6, config.maxHeaderListSize()}
    };
    byte[] payload = new byte[values.length * 6];
    for (int i = 0; i < values.length; i++) {
      int at = i * 6;
      payload[at] = (byte) (values[i][0] >>> 8);
      payload[at + 1] = (byte) values[i][0];
      for (int b = 0; b < 4; b++) payload[at + 2 + b] = (byte) (values[i][1] >>> (24 - 8 * b));
    }
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload);
  }

  /** Sends {@code request} as HTTP/1.1 with {@code Upgrade: h2c} (RFC 7540 §3.2). */
  private Upgraded upgrade(
      Socket socket,
      String name,
      ClientRequest request,
      Cancellation cancel,
      Deadline deadline,
      Exchange exchange)
      throws IOException {
    Http1Connection connection = new Http1Connection(socket, name);
    cancel.onCancel(connection::close);
    HttpFields extra =
        HttpFields.of(
            "connection", "Upgrade, HTTP2-Settings",
            "upgrade", "h2c",
            "http2-settings", http2SettingsHeader());
    ResponseHead head;
    try {
      writeHttp1Request(connection, request, extra);
      head = readHttp1Head(connection, request, true, deadline);
    } catch (IOException e) {
      connection.close();
      throw e;
    }
    if (head.status() == 101) {
      if (!"h2c".equalsIgnoreCase(head.headers().get("upgrade"))) {
        connection.close();
        throw new Http1Exception(
            400, "101 Switching Protocols to " + head.headers().get("upgrade"));
      }
      info(name, "upgraded to h2c");
      socket.setSoTimeout(0);
      Http2Connection http2Connection = newHttp2Connection(socket, connection.in, name);
      Http2Stream first = http2Connection.startUpgradedClient();
      cancel.onCancel(() -> first.reset(ErrorCode.CANCEL));
      awaitReady(http2Connection, name);
      try {
        return new Upgraded(
            http2Connection,
            http2Response(
                http2Connection, first, awaitHead(first, deadline), request.uri(), exchange));
      } catch (IOException | RuntimeException e) {
        first.reset(ErrorCode.CANCEL);
        http2Connection.shutdownGracefully();
        throw e;
      }
    }
    info(name, "the server declined the h2c upgrade: using HTTP/1.1");
    known = Protocol.HTTP_1_1;
    adoptHttp1(connection);
    try {
      return new Upgraded(null, http1Response(connection, request, head, exchange));
    } catch (IOException | RuntimeException e) {
      releaseHttp1(connection, false); // gives its slot back
      throw e;
    }
  }

  // ------------------------------------------------------------------ HTTP/1.1

  /**
   * A pooled idle connection, or a new one if the origin has fewer than its maximum; otherwise
   * waits for one to be released, until the request's deadline. Cancelling the request interrupts
   * the wait.
   */
  private Http1Connection acquireHttp1(Deadline deadline) throws IOException {
    lock.lock();
    try {
      long nanos = deadline.remainingNanos();
      while (true) {
        if (closed) throw new IOException("client closed");
        for (Http1Connection c; (c = idle.pollLast()) != null; ) {
          if (!c.isClosed() && System.nanoTime() - c.idleSince < settings.idleTimeout().toNanos()) {
            return c;
          }
          discardLocked(c);
        }
        if (http1Count < settings.maxHttp1ConnectionsPerOrigin()) {
          http1Count++;
          break;
        }
        if (nanos <= 0) {
          throw deadline.exceeded(
              "none of the "
                  + settings.maxHttp1ConnectionsPerOrigin()
                  + " HTTP/1.1 connections to "
                  + origin
                  + " became free");
        }
        nanos = http1Freed.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for a connection");
    } finally {
      lock.unlock();
    }
    Socket socket = null;
    try {
      String name = origin.host() + ":" + origin.port() + "#" + client.nextConnectionNumber();
      socket = openSocket(name);
      if (origin.tls()) {
        SSLSocket ssl =
            Tls.handshake(
                Tls.context(settings),
                socket,
                origin,
                settings.insecure(),
                List.of("http/1.1"),
                connectTimeoutMillis());
        info(name, "TLS " + ssl.getSession().getProtocol() + ", HTTP/1.1");
        socket = ssl;
      }
      Http1Connection connection = new Http1Connection(socket, name);
      lock.lock();
      try {
        if (closed) throw new IOException("client closed");
        allHttp1.add(connection);
      } finally {
        lock.unlock();
      }
      return connection;
    } catch (IOException | RuntimeException e) {
      if (socket != null) closeQuietly(socket);
      lock.lock();
      try {
        http1Count--;
        http1Freed.signalAll();
      } finally {
        lock.unlock();
      }
      throw e;
    }
  }

  private void adoptHttp1(Http1Connection connection) throws IOException {
    lock.lock();
    try {
      if (closed) {
        connection.close();
        throw new IOException("client closed");
      }
      http1Count++;
      allHttp1.add(connection);
    } finally {
      lock.unlock();
    }
  }

  private void releaseHttp1(Http1Connection connection, boolean reusable) {
    lock.lock();
    try {
      if (reusable && !closed && !connection.isClosed()) {
        connection.reused = true;
        connection.idleSince = System.nanoTime();
        idle.addLast(connection);
      } else {
        discardLocked(connection);
      }
      // All: a waiter woken by signal() may be timing out at that moment and take the
      // wake-up with it, leaving another waiter asleep beside a free slot.
      http1Freed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void discardLocked(Http1Connection connection) {
    connection.close();
    if (allHttp1.remove(connection)) http1Count--;
  }

  private ClientResponse http1Exchange(
      Http1Connection connection,
      ClientRequest request,
      Cancellation cancel,
      Deadline deadline,
      Exchange exchange)
      throws IOException {
    cancel.onCancel(connection::close);
    try {
      writeHttp1Request(connection, request, HttpFields.empty());
      ResponseHead head = readHttp1Head(connection, request, false, deadline);
      return http1Response(connection, request, head, exchange);
    } catch (IOException | RuntimeException e) {
      releaseHttp1(connection, false);
      throw e;
    }
  }

  private void writeHttp1Request(
      Http1Connection connection, ClientRequest request, HttpFields extra) throws IOException {
    HttpFields fields = new HttpFields();
    HttpFields headers = request.headers();
    String host = headers.get("host");
    fields.add("host", host != null ? host : origin.authority());
    boolean chunked =
        !request.trailers().isEmpty()
            || (request.hasBody()
                && request.contentLength() < 0
                && !headers.contains("content-length"));
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      switch (name) {
        case "host", "transfer-encoding", "keep-alive", "proxy-connection" -> {}
        case "content-length" -> {
          if (!chunked) fields.add(name, headers.value(i));
        }
        default -> fields.add(name, headers.value(i));
      }
    }
    long length = -1;
    if (chunked) {
      fields.add("transfer-encoding", "chunked");
      if (!request.trailers().isEmpty()) {
        fields.add("trailer", String.join(", ", names(request.trailers())));
      }
    } else if (request.hasBody()) {
      length =
          request.contentLength() >= 0
              ? request.contentLength()
              : Long.parseLong(headers.get("content-length").trim());
      if (!headers.contains("content-length")) fields.add("content-length", Long.toString(length));
    } else if (request.method().equals("POST") || request.method().equals("PUT")) {
      fields.add("content-length", "0");
    }
    for (int i = 0; i < extra.size(); i++) fields.add(extra.name(i), extra.value(i));
    if (trace != null) {
      trace.trace(
          connection.name, Direction.OUT, request.method() + " " + request.target() + " HTTP/1.1");
      fields.forEach((n, v) -> trace.trace(connection.name, Direction.OUT, n + ": " + v));
    }
    try {
      Http1HeadWriter.writeRequestHead(connection.out, request.method(), request.target(), fields);
      OutputStream unclosable = new UncloseableOutputStream(connection.out);
      if (chunked) {
        ChunkedOutputStream body = new ChunkedOutputStream(unclosable, 16 * 1024);
        request.writeBody(body);
        body.finish(request.trailers());
      } else if (length >= 0) {
        try (ContentLengthOutputStream body = new ContentLengthOutputStream(unclosable, length)) {
          request.writeBody(body);
        }
      }
      connection.out.flush();
    } catch (SocketException e) {
      throw new ConnectionLostException("the connection closed while sending the request", e);
    }
  }

  private static List<String> names(HttpFields fields) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      if (!names.contains(fields.name(i))) names.add(fields.name(i));
    }
    return names;
  }

  private ResponseHead readHttp1Head(
      Http1Connection connection, ClientRequest request, boolean upgrade, Deadline deadline)
      throws IOException {
    try {
      while (true) {
        // What is left of the deadline, renewed per head: 1xx heads don't extend the wait.
        if (deadline.isSet() && deadline.remainingNanos() <= 0) throw new SocketTimeoutException();
        connection.socket.setSoTimeout(deadline.remainingMillis());
        ResponseHead head =
            Http1Parser.readResponseHead(connection.in, settings.maxResponseHeadSize());
        if (head == null) {
          throw new ConnectionLostException(
              "the server closed the connection without a response", new EOFException());
        }
        if (trace != null) {
          trace.trace(
              connection.name,
              Direction.IN,
              "HTTP/1." + head.minorVersion() + " " + head.status() + " " + head.reason());
          head.headers()
              .forEach((n, v) -> trace.trace(connection.name, Direction.IN, n + ": " + v));
        }
        if (head.status() == 101 && upgrade) return head;
        if (head.status() == 101) throw new Http1Exception(400, "unexpected 101 response");
        if (head.status() >= 200) return head;
      }
    } catch (SocketTimeoutException e) {
      throw deadline.exceeded("no response from " + origin);
    } catch (EOFException e) {
      throw new Http1Exception(400, "the connection ended within the response head");
    } catch (SocketException e) {
      throw new ConnectionLostException("the server closed the connection before responding", e);
    }
  }

  private ClientResponse http1Response(
      Http1Connection connection, ClientRequest request, ResponseHead head, Exchange exchange)
      throws IOException {
    connection.socket.setSoTimeout(
        (int) Math.min(Integer.MAX_VALUE, settings.idleTimeout().toMillis()));
    BodyFraming framing = BodyFraming.forResponse(request.method(), head.status(), head.headers());
    InputStream raw = framing.open(connection.in, 8192, settings.maxResponseHeadSize());
    boolean keepAlive =
        framing.kind() != BodyFraming.Kind.UNTIL_CLOSE
            && (head.minorVersion() == 1
                ? !Http1Syntax.hasElement(head.headers(), "connection", "close")
                : Http1Syntax.hasElement(head.headers(), "connection", "keep-alive"));
    Supplier<HttpFields> trailers =
        raw instanceof ChunkedInputStream chunked ? chunked::trailers : HttpFields::empty;
    BodyStream body =
        new BodyStream(
            raw,
            new BodyStream.Callbacks() {
              @Override
              public void onEnd() {
                releaseHttp1(connection, keepAlive);
              }

              @Override
              public void onAbort() {
                releaseHttp1(connection, false);
              }
            },
            exchange);
    HttpFields headers = head.headers();
    if (framing.isEmpty()) body.read(); // nothing to read: free the connection now
    return new ClientResponse(
        head.status(), headers, Protocol.HTTP_1_1, body, trailers, request.uri(), exchange);
  }

  // ------------------------------------------------------------------ sockets

  private int connectTimeoutMillis() {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()));
  }

  private Socket openSocket(String name) throws IOException {
    InetAddress[] addresses = InetAddress.getAllByName(origin.host());
    IOException last = null;
    for (InetAddress address : addresses) {
      Socket socket = new Socket();
      try {
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(address, origin.port()), connectTimeoutMillis());
        info(name, "connected to " + address.getHostAddress() + " port " + origin.port());
        return socket;
      } catch (SocketTimeoutException e) {
        closeQuietly(socket);
        last =
            new SocketTimeoutException(
                "connecting to " + origin + " timed out after " + connectTimeoutMillis() + " ms");
      } catch (IOException e) {
        closeQuietly(socket);
        if (e instanceof InterruptedIOException || Thread.currentThread().isInterrupted()) throw e;
        last =
            e instanceof ConnectException
                ? new ConnectException(
                    "cannot connect to "
                        + address.getHostAddress()
                        + " port "
                        + origin.port()
                        + ": "
                        + e.getMessage())
                : e;
      }
    }
    throw last;
  }

  private void info(String connection, String event) {
    if (trace != null) trace.trace(connection, Direction.INFO, event);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  // ------------------------------------------------------------------ upkeep

  /**
   * Closes connections idle too long, sends keep-alive PINGs and closes a connection whose PING
   * went unanswered for {@code pingTimeout}; called by the client's timer.
   */
  void maintain(long now) {
    Http2Connection connection;
    List<Http1Connection> expired = new ArrayList<>();
    lock.lock();
    try {
      connection = http2;
      long idleNanos = settings.idleTimeout().toNanos();
      for (Iterator<Http1Connection> it = idle.iterator(); it.hasNext(); ) {
        Http1Connection c = it.next();
        if (now - c.idleSince >= idleNanos || c.isClosed()) {
          it.remove();
          expired.add(c);
          if (allHttp1.remove(c)) http1Count--;
        }
      }
      // Their slots are free: requests waiting for a connection may open one.
      if (!expired.isEmpty()) http1Freed.signalAll();
      allHttp2.removeIf(c -> c.isClosed() && terminated(c));
    } finally {
      lock.unlock();
    }
    for (Http1Connection c : expired) {
      info(c.name, "closing the connection, idle for " + settings.idleTimeout().toMillis() + " ms");
      c.close();
    }
    if (connection != pinged) {
      pinged = connection;
      lastPingSent = now;
      pendingPing = null;
    }
    if (connection == null) return;
    if (connection.activeStreams() > 0) {
      http2LastActive = now;
    } else if (now - http2LastActive >= settings.idleTimeout().toNanos()) {
      log.debug("{}: closing the idle HTTP/2 connection {}", origin, connection);
      retire(connection);
      return;
    }
    Duration interval = settings.pingInterval();
    if (interval == null) return;
    if (pendingPing != null && !pendingPing.isDone()) {
      Duration timeout = settings.pingTimeout();
      if (now - lastPingSent >= timeout.toNanos()) {
        String reason = "no PING ACK within " + timeout.toMillis() + " ms";
        log.debug("{}: {}, closing {}", origin, reason, connection);
        closeReasons.put(connection, reason);
        http2Closed(connection);
        connection.close();
        pendingPing = null;
      }
      return;
    }
    if (now - lastPingSent >= interval.toNanos()) {
      lastPingSent = now;
      pendingPing = connection.ping();
    }
  }

  private static boolean terminated(Http2Connection c) {
    try {
      return c.awaitTermination(0, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Closes every connection at once; requests in flight fail. */
  void close() {
    List<Http2Connection> http2s;
    List<Http1Connection> http1s;
    List<Socket> sockets;
    lock.lock();
    try {
      closed = true;
      http2s = new ArrayList<>(allHttp2);
      http1s = new ArrayList<>(allHttp1);
      sockets = new ArrayList<>(opening);
      idle.clear();
      http1Freed.signalAll();
    } finally {
      lock.unlock();
    }
    for (Http2Connection c : http2s) c.close();
    for (Http1Connection c : http1s) c.close();
    for (Socket s : sockets) closeQuietly(s);
  }

  /** Waits until every HTTP/2 connection's threads ended. */
  void awaitClosed(Duration timeout) {
    List<Http2Connection> http2s;
    lock.lock();
    try {
      http2s = new ArrayList<>(allHttp2);
    } finally {
      lock.unlock();
    }
    try {
      for (Http2Connection c : http2s) {
        if (!c.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("{}: {} did not stop within {}", origin, c, timeout);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
