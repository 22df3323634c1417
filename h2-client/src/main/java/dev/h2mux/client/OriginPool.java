package dev.h2mux.client;

import dev.h2mux.client.Http2Client.Cancellation;
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
import java.io.EOFException;
import java.io.FilterOutputStream;
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
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
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
 * The connections to one origin: at most one HTTP/2 connection in use at a time (a new one
 * replaces it once it can take no new streams), or a bounded pool of HTTP/1.1 keep-alive
 * connections, and the knowledge of which of the two the origin speaks. Retries live here.
 */
final class OriginPool {
  private static final Logger log = LoggerFactory.getLogger(OriginPool.class);
  /** Attempts for a request the server refused unprocessed (REFUSED_STREAM, GOAWAY). */
  private static final int MAX_REFUSED_ATTEMPTS = 5;
  /** Attempts for an idempotent request whose connection was lost before the response. */
  private static final int MAX_LOST_ATTEMPTS = 3;

  private final Http2Client client;
  private final Http2Client.Settings settings;
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
  private int http1Count;
  private boolean closed;
  // Timer thread only.
  private long http2LastActive = System.nanoTime();
  private long lastPingSent = System.nanoTime();
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

  ClientResponse send(ClientRequest request, Cancellation cancel) throws IOException {
    for (int attempt = 1; ; attempt++) {
      cancel.check();
      try {
        return exchange(request, cancel);
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
          log.debug("{}: {} not processed ({}), sending it again", origin, request, io.getMessage());
          continue;
        }
        if (io instanceof ConnectionLostException && request.isIdempotent()
            && attempt < MAX_LOST_ATTEMPTS) {
          log.debug("{}: {} lost ({}), sending it again", origin, request, io.getMessage());
          continue;
        }
        throw Failures.translate(io);
      }
    }
  }

  private ClientResponse exchange(ClientRequest request, Cancellation cancel) throws IOException {
    if (settings.mode() != ConnectionMode.HTTP_1_1 && known != Protocol.HTTP_1_1) {
      Object acquired = acquireHttp2(request, cancel);
      if (acquired instanceof ClientResponse response) return response;
      if (acquired instanceof Http2Connection connection) {
        return http2Exchange(connection, request, cancel);
      }
    }
    return http1Exchange(acquireHttp1(cancel), request, cancel);
  }

  private long responseTimeoutNanos(ClientRequest request) {
    Duration d = request.timeout() != null ? request.timeout() : settings.responseTimeout();
    return d == null ? Long.MAX_VALUE : d.toNanos();
  }

  private int responseTimeoutMillis(ClientRequest request) {
    long nanos = responseTimeoutNanos(request);
    return nanos == Long.MAX_VALUE ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, nanos / 1_000_000));
  }

  // ------------------------------------------------------------------ HTTP/2

  /**
   * The HTTP/2 connection to use: the current one, or a new one. Returns a
   * {@link Http2Connection}; null if the origin speaks HTTP/1.1; or, when this request
   * performed an h2c Upgrade, its {@link ClientResponse}.
   */
  private Object acquireHttp2(ClientRequest request, Cancellation cancel) throws IOException {
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
        Http2Connection connection = await(pending);
        if (connection == null) return null;
        if (!connection.isShutdown()) return connection;
        continue;
      }
      try {
        Object result = connectHttp2(request, cancel);
        Http2Connection connection = result instanceof Http2Connection c ? c
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
      } catch (IOException | RuntimeException e) {
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

  private static Http2Connection await(CompletableFuture<Http2Connection> pending) throws IOException {
    try {
      return pending.get();
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
  private Object connectHttp2(ClientRequest request, Cancellation cancel) throws IOException {
    String name = origin.host() + ":" + origin.port() + "#" + client.nextConnectionNumber();
    Socket socket = openSocket(name);
    try {
      if (origin.tls()) {
        SSLSocket ssl = Tls.handshake(Tls.context(settings), socket, origin, settings.insecure(),
            List.of("h2", "http/1.1"), connectTimeoutMillis());
        String alpn = ssl.getApplicationProtocol();
        info(name, "TLS " + ssl.getSession().getProtocol() + ", ALPN "
            + (alpn == null || alpn.isEmpty() ? "not negotiated" : alpn));
        if ("h2".equals(alpn)) return startHttp2(ssl, ssl.getInputStream(), name);
        known = Protocol.HTTP_1_1;
        adoptHttp1(new Http1Connection(ssl, name));
        return null;
      }
      if (settings.mode() == ConnectionMode.UPGRADE) return upgrade(socket, name, request, cancel);
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
    }
  }

  private Http2Connection startHttp2(Socket socket, InputStream in, String name) throws IOException {
    Http2Connection connection = newHttp2Connection(socket, in, name);
    connection.start();
    awaitReady(connection, name);
    return connection;
  }

  private Http2Connection newHttp2Connection(Socket socket, InputStream in, String name)
      throws IOException {
    InputStream input = trace == null ? in : FrameTap.inbound(in, trace, name);
    OutputStream output = trace == null ? socket.getOutputStream()
        : FrameTap.outbound(socket.getOutputStream(), trace, name);
    Http2Connection connection = new Http2Connection(Http2Connection.Role.CLIENT,
        settings.http2(), socket, input, output, new Http2Connection.Listener() {
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
   * Waits until the server's first SETTINGS were applied: the answer to a PING follows them, so
   * no request is sent before the server's stream limit is known.
   */
  private void awaitReady(Http2Connection connection, String name) throws IOException {
    try {
      connection.ping().get(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
      info(name, "HTTP/2 connection ready");
    } catch (TimeoutException e) {
      connection.close();
      throw new SocketTimeoutException("no HTTP/2 answer from " + origin + " within "
          + settings.connectTimeout().toMillis() + " ms");
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

  private ClientResponse http2Exchange(Http2Connection connection, ClientRequest request,
      Cancellation cancel) throws IOException {
    long timeout = responseTimeoutNanos(request);
    boolean hasContent = request.hasBody() || !request.trailers().isEmpty();
    Http2Stream stream = connection.newStream(http2Fields(request), !hasContent, timeout);
    cancel.onCancel(() -> stream.reset(ErrorCode.CANCEL));
    try {
      if (hasContent) {
        Http2Stream.StreamOutput out = stream.output();
        request.writeBody(out);
        if (request.trailers().isEmpty()) out.close();
        else out.closeWithTrailers(request.trailers());
      }
      return http2Response(stream, stream.awaitResponse(timeout));
    } catch (StreamResetException e) {
      if (e.isRetryable() && e.error() == ErrorCode.REFUSED_STREAM && !connection.isShutdown()) {
        // The retry goes to a fresh connection; streams in flight here may finish.
        retire(connection);
      }
      if (!e.isRetryable() && e.error() == ErrorCode.CANCEL && connection.isClosed()
          && !cancel.isCancelled()) {
        throw new ConnectionLostException(
            "the server closed the connection before responding", e);
      }
      throw e;
    } catch (IOException | RuntimeException e) {
      stream.reset(ErrorCode.CANCEL);
      throw e;
    }
  }

  private ClientResponse http2Response(Http2Stream stream,
      dev.h2mux.core.http.ResponseHead head) {
    BodyStream body = new BodyStream(stream.input(), new BodyStream.Callbacks() {
      @Override
      public void onEnd() {}

      @Override
      public void onAbort() {
        stream.reset(ErrorCode.CANCEL);
      }
    });
    return new ClientResponse(head.status(), head.headers(), Protocol.HTTP_2, body,
        stream::trailers);
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
        case "host", "connection", "keep-alive", "proxy-connection", "transfer-encoding",
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
        {2, 0}, {3, config.maxConcurrentStreams()}, {4, config.initialWindowSize()},
        {5, config.maxFrameSize()}, {6, config.maxHeaderListSize()}};
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
  private Upgraded upgrade(Socket socket, String name, ClientRequest request, Cancellation cancel)
      throws IOException {
    Http1Connection connection = new Http1Connection(socket, name);
    cancel.onCancel(connection::close);
    HttpFields extra = HttpFields.of(
        "connection", "Upgrade, HTTP2-Settings",
        "upgrade", "h2c",
        "http2-settings", http2SettingsHeader());
    ResponseHead head;
    try {
      writeHttp1Request(connection, request, extra);
      head = readHttp1Head(connection, request, true);
    } catch (IOException e) {
      connection.close();
      throw e;
    }
    if (head.status() == 101) {
      if (!"h2c".equalsIgnoreCase(head.headers().get("upgrade"))) {
        connection.close();
        throw new Http1Exception(400, "101 Switching Protocols to " + head.headers().get("upgrade"));
      }
      info(name, "upgraded to h2c");
      socket.setSoTimeout(0);
      Http2Connection http2Connection = newHttp2Connection(socket, connection.in, name);
      Http2Stream first = http2Connection.startUpgradedClient();
      cancel.onCancel(() -> first.reset(ErrorCode.CANCEL));
      awaitReady(http2Connection, name);
      return new Upgraded(http2Connection,
          http2Response(first, first.awaitResponse(responseTimeoutNanos(request))));
    }
    info(name, "the server declined the h2c upgrade: using HTTP/1.1");
    known = Protocol.HTTP_1_1;
    adoptHttp1(connection);
    return new Upgraded(null, http1Response(connection, request, head));
  }

  // ------------------------------------------------------------------ HTTP/1.1

  private Http1Connection acquireHttp1(Cancellation cancel) throws IOException {
    lock.lock();
    try {
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
        http1Freed.await();
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
        SSLSocket ssl = Tls.handshake(Tls.context(settings), socket, origin, settings.insecure(),
            List.of("http/1.1"), connectTimeoutMillis());
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
        http1Freed.signal();
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
      http1Freed.signal();
    } finally {
      lock.unlock();
    }
  }

  private void discardLocked(Http1Connection connection) {
    connection.close();
    if (allHttp1.remove(connection)) http1Count--;
  }

  private ClientResponse http1Exchange(Http1Connection connection, ClientRequest request,
      Cancellation cancel) throws IOException {
    cancel.onCancel(connection::close);
    try {
      writeHttp1Request(connection, request, HttpFields.empty());
      ResponseHead head = readHttp1Head(connection, request, false);
      return http1Response(connection, request, head);
    } catch (IOException | RuntimeException e) {
      releaseHttp1(connection, false);
      throw e;
    }
  }

  private void writeHttp1Request(Http1Connection connection, ClientRequest request,
      HttpFields extra) throws IOException {
    HttpFields fields = new HttpFields();
    HttpFields headers = request.headers();
    String host = headers.get("host");
    fields.add("host", host != null ? host : origin.authority());
    boolean chunked = !request.trailers().isEmpty()
        || (request.hasBody() && request.contentLength() < 0 && !headers.contains("content-length"));
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
      length = request.contentLength() >= 0 ? request.contentLength()
          : Long.parseLong(headers.get("content-length").trim());
      if (!headers.contains("content-length")) fields.add("content-length", Long.toString(length));
    } else if (request.method().equals("POST") || request.method().equals("PUT")) {
      fields.add("content-length", "0");
    }
    for (int i = 0; i < extra.size(); i++) fields.add(extra.name(i), extra.value(i));
    if (trace != null) {
      trace.trace(connection.name, Direction.OUT, request.method() + " " + request.target() + " HTTP/1.1");
      fields.forEach((n, v) -> trace.trace(connection.name, Direction.OUT, n + ": " + v));
    }
    try {
      Http1HeadWriter.writeRequestHead(connection.out, request.method(), request.target(), fields);
      OutputStream unclosable = new FilterOutputStream(connection.out) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          out.flush();
        }
      };
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

  private ResponseHead readHttp1Head(Http1Connection connection, ClientRequest request,
      boolean upgrade) throws IOException {
    connection.socket.setSoTimeout(responseTimeoutMillis(request));
    try {
      while (true) {
        ResponseHead head = Http1Parser.readResponseHead(connection.in, settings.maxResponseHeadSize());
        if (head == null) {
          throw new ConnectionLostException(
              "the server closed the connection without a response", new EOFException());
        }
        if (trace != null) {
          trace.trace(connection.name, Direction.IN,
              "HTTP/1." + head.minorVersion() + " " + head.status() + " " + head.reason());
          head.headers().forEach((n, v) -> trace.trace(connection.name, Direction.IN, n + ": " + v));
        }
        if (head.status() == 101 && upgrade) return head;
        if (head.status() == 101) throw new Http1Exception(400, "unexpected 101 response");
        if (head.status() >= 200) return head;
      }
    } catch (SocketTimeoutException e) {
      throw new SocketTimeoutException("no response from " + origin + " within "
          + responseTimeoutMillis(request) + " ms");
    } catch (EOFException e) {
      throw new Http1Exception(400, "the connection ended within the response head");
    } catch (SocketException e) {
      throw new ConnectionLostException("the server closed the connection before responding", e);
    }
  }

  private ClientResponse http1Response(Http1Connection connection, ClientRequest request,
      ResponseHead head) throws IOException {
    connection.socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, settings.idleTimeout().toMillis()));
    BodyFraming framing = BodyFraming.forResponse(request.method(), head.status(), head.headers());
    InputStream raw = framing.open(connection.in, 8192, settings.maxResponseHeadSize());
    boolean keepAlive = framing.kind() != BodyFraming.Kind.UNTIL_CLOSE
        && (head.minorVersion() == 1
            ? !Http1Syntax.hasElement(head.headers(), "connection", "close")
            : Http1Syntax.hasElement(head.headers(), "connection", "keep-alive"));
    Supplier<HttpFields> trailers =
        raw instanceof ChunkedInputStream chunked ? chunked::trailers : HttpFields::empty;
    BodyStream body = new BodyStream(raw, new BodyStream.Callbacks() {
      @Override
      public void onEnd() {
        releaseHttp1(connection, keepAlive);
      }

      @Override
      public void onAbort() {
        releaseHttp1(connection, false);
      }
    });
    HttpFields headers = head.headers();
    if (framing.isEmpty()) body.read(); // nothing to read: free the connection now
    return new ClientResponse(head.status(), headers, Protocol.HTTP_1_1, body, trailers);
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
        last = new SocketTimeoutException("connecting to " + origin + " timed out after "
            + connectTimeoutMillis() + " ms");
      } catch (IOException e) {
        closeQuietly(socket);
        if (e instanceof InterruptedIOException || Thread.currentThread().isInterrupted()) throw e;
        last = e instanceof ConnectException ? new ConnectException(
            "cannot connect to " + address.getHostAddress() + " port " + origin.port() + ": "
                + e.getMessage()) : e;
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

  /** Closes connections idle too long, sends keep-alive PINGs; called by the client's timer. */
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
      allHttp2.removeIf(c -> c.isClosed() && terminated(c));
    } finally {
      lock.unlock();
    }
    for (Http1Connection c : expired) c.close();
    if (connection == null) {
      pendingPing = null;
      return;
    }
    if (connection.activeStreams() > 0) {
      http2LastActive = now;
    } else if (now - http2LastActive >= settings.idleTimeout().toNanos()) {
      log.debug("{}: closing the idle HTTP/2 connection {}", origin, connection);
      connection.shutdownGracefully();
      return;
    }
    Duration ping = settings.pingInterval();
    if (ping != null && now - lastPingSent >= ping.toNanos()) {
      if (pendingPing != null && !pendingPing.isDone()) {
        log.debug("{}: PING unanswered for {}, closing {}", origin, ping, connection);
        connection.close();
        pendingPing = null;
        return;
      }
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
    lock.lock();
    try {
      closed = true;
      http2s = new ArrayList<>(allHttp2);
      http1s = new ArrayList<>(allHttp1);
      idle.clear();
      http1Freed.signalAll();
    } finally {
      lock.unlock();
    }
    for (Http2Connection c : http2s) c.close();
    for (Http1Connection c : http1s) c.close();
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
