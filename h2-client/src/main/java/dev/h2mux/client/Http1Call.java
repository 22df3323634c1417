package dev.h2mux.client;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.http1.BodyFraming;
import dev.h2mux.core.http1.ChunkedInputStream;
import dev.h2mux.core.http1.ChunkedOutputStream;
import dev.h2mux.core.http1.Http1Exception;
import dev.h2mux.core.http1.Http1HeadWriter;
import dev.h2mux.core.http1.Http1Parser;
import dev.h2mux.core.http1.Http1ResponseHead;
import dev.h2mux.core.http1.Http1Syntax;
import dev.h2mux.core.http1.UncloseableOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One exchange on an HTTP/1.1 connection (RFC 9112): the request head and its body framing, the
 * body sent on its own thread while the response head is awaited (1xx heads skipped), and the
 * response body's framing and whether the connection can carry another exchange.
 *
 * <p>A server may answer before it has read the whole body (413, 401). Its answer is delivered; if
 * it is not a success the rest of the body is not sent, and a connection whose request body did not
 * go out whole is not reused.
 */
final class Http1Call {
  /** How long an upload told to stop may take to end before its connection is closed. */
  private static final long STOP_GRACE_MILLIS = 100;

  private final Http2Client client;
  private final ClientConfig config;
  private final Origin origin;
  private final Http1Pool pool;
  private final TraceListener trace;

  /** Whether requests go to an HTTP proxy, in absolute form (RFC 9112 §3.2.2). */
  private final boolean viaProxy;

  Http1Call(Http2Client client, Origin origin, Http1Pool pool) {
    this.client = client;
    this.config = client.settings;
    this.origin = origin;
    this.pool = pool;
    this.trace = config.trace();
    this.viaProxy = config.proxy() != null && !origin.tls();
  }

  ClientResponse exchange(
      Http1Connection connection,
      ClientRequest request,
      Cancellation cancel,
      Deadline deadline,
      Exchange exchange)
      throws IOException {
    cancel.onCancel(connection::close);
    exchange.connection(connection.remote, connection.local);
    Upload upload = null;
    try {
      Sent sent = send(connection, request, HttpFields.empty(), exchange, deadline, true);
      upload = sent.upload();
      Http1ResponseHead head =
          sent.early() != null ? sent.early() : readHead(connection, request, false, deadline);
      if (sent.early() != null && head.status() == 417) {
        pool.release(connection, false);
        throw new ExpectationFailedException();
      }
      return response(connection, request, head, upload, exchange, sent.early() != null);
    } catch (ExpectationFailedException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      pool.release(connection, false);
      if (upload != null && upload.cause() != null) throw upload.cause();
      throw e;
    }
  }

  /**
   * What {@link #send} did: the body's upload (null if there is none, or it was withheld), and the
   * final head that answered an {@code expect: 100-continue} before the body went, if one did.
   */
  record Sent(Upload upload, Http1ResponseHead early) {}

  /**
   * Writes the request head with {@code extra} fields; a body goes out on its own thread, after the
   * wait for a {@code 100 Continue} if the request expects one and {@code mayExpect}.
   */
  Sent send(
      Http1Connection connection,
      ClientRequest request,
      HttpFields extra,
      Exchange exchange,
      Deadline deadline,
      boolean mayExpect)
      throws IOException {
    HttpFields headers = request.headers();
    HttpFields fields = new HttpFields();
    String host = headers.get("host");
    fields.add("host", host != null ? host : origin.authority());
    boolean hasContent = request.hasBody() || !request.trailers().isEmpty();
    boolean chunked = !request.trailers().isEmpty() || (hasContent && request.declaredLength() < 0);
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
    long length = chunked ? -1 : hasContent ? request.declaredLength() : 0;
    if (chunked) {
      fields.add("transfer-encoding", "chunked");
      if (!request.trailers().isEmpty()) {
        fields.add("trailer", String.join(", ", names(request.trailers())));
      }
    } else if (hasContent && !headers.contains("content-length")) {
      fields.add("content-length", Long.toString(length));
    } else if (!hasContent && (request.method().equals("POST") || request.method().equals("PUT"))) {
      fields.add("content-length", "0");
    }
    if (config.decompress() && !headers.contains("accept-encoding")) {
      fields.add("accept-encoding", Decompression.ACCEPT);
    }
    ClientConfig.ProxyConfig proxy = config.proxy();
    if (viaProxy && proxy.authorization() != null) {
      fields.add("proxy-authorization", proxy.authorization());
    }
    for (int i = 0; i < extra.size(); i++) fields.add(extra.name(i), extra.value(i));
    boolean expects = mayExpect && hasContent && request.expectsContinue();
    if (expects && !headers.contains("expect")) fields.add("expect", "100-continue");
    String target = viaProxy ? origin + request.target() : request.target();
    if (trace != null) {
      Tracer.emit(
          trace,
          new TraceEvent.Request(
              connection.name,
              Protocol.HTTP_1_1,
              0,
              request.method(),
              target,
              fields.get("host"),
              fields.freeze()));
    }
    exchange.sending();
    try {
      Http1HeadWriter.writeRequestHead(connection.out, request.method(), target, fields);
      if (!hasContent) {
        connection.out.flush();
        return new Sent(null, null);
      }
      // A body in memory leaves with its head in one write; any other may take its time to
      // produce its first byte, and the server should have the head meanwhile.
      if (expects || !request.isBodyInMemory()) connection.out.flush();
    } catch (SocketException e) {
      throw new ConnectionLostException("the connection closed while sending the request", e);
    }
    if (expects) {
      Http1ResponseHead early = ExpectContinue.await(this, connection, request, deadline);
      if (early != null) return new Sent(null, early);
    }
    return new Sent(startBody(connection, request, chunked, length, exchange), null);
  }

  private Upload startBody(
      Http1Connection connection,
      ClientRequest request,
      boolean chunked,
      long length,
      Exchange exchange) {
    OutputStream raw = new UncloseableOutputStream(connection.out);
    if (chunked) {
      ChunkedOutputStream body = new ChunkedOutputStream(raw, 16 * 1024);
      return Upload.start(
          client,
          request,
          body,
          -1,
          () -> {
            body.finish(request.trailers());
            connection.out.flush();
          },
          connection::close,
          false,
          exchange);
    }
    return Upload.start(
        client, request, raw, length, connection.out::flush, connection::close, false, exchange);
  }

  private static List<String> names(HttpFields fields) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      if (!names.contains(fields.name(i))) names.add(fields.name(i));
    }
    return names;
  }

  /** The final response head (or a 101 if {@code upgrade}), within the deadline. */
  Http1ResponseHead readHead(
      Http1Connection connection, ClientRequest request, boolean upgrade, Deadline deadline)
      throws IOException {
    try {
      for (boolean first = true; ; first = false) {
        // What is left of the deadline, renewed per head: 1xx heads don't extend the wait.
        if (deadline.isSet() && deadline.remainingNanos() <= 0) throw new SocketTimeoutException();
        connection.socket.setSoTimeout(deadline.remainingMillis());
        Http1ResponseHead head = nextHead(connection, request, first);
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

  /**
   * The next response head, traced; an interim one told to the request's listener (but an Upgrade's
   * {@code 101}, which is the connection's business).
   *
   * @param first whether no head came before on this exchange: a close now is an empty response
   */
  Http1ResponseHead nextHead(Http1Connection connection, ClientRequest request, boolean first)
      throws IOException {
    Http1ResponseHead head =
        Http1Parser.readResponseHead(connection.in, config.maxResponseHeadSize());
    if (head == null && first) {
      throw ConnectionLostException.emptyResponse(
          "the server closed the connection without a response", new EOFException());
    }
    if (head == null) {
      throw new ConnectionLostException(
          "the server closed the connection after an interim response", new EOFException());
    }
    if (trace != null) {
      Tracer.emit(
          trace,
          new TraceEvent.Response(
              connection.name, Protocol.HTTP_1_1, 0, head.status(), head.reason(), head.headers()));
    }
    InterimResponseListener interim = request.interimListener();
    if (interim != null && head.status() < 200 && head.status() != 101) {
      interim.interimResponse(Protocol.HTTP_1_1, head.status(), head.reason(), head.headers());
    }
    return head;
  }

  /**
   * The caller's view of the response to {@code request}. If the upload still runs, a success lets
   * it go on (an echo answers as the body arrives); anything else stops it. The body's end waits
   * for the upload to finish, and a connection whose body did not go out whole is closed.
   *
   * @param bodyWithheld whether the request's body was not sent (a final answer came while it
   *     waited for a {@code 100 Continue}): the server may take what comes next for it, so the
   *     connection is not reused
   */
  ClientResponse response(
      Http1Connection connection,
      ClientRequest request,
      Http1ResponseHead head,
      Upload upload,
      Exchange exchange,
      boolean bodyWithheld)
      throws IOException {
    exchange.firstByte();
    // An answer before the whole body went out: a success may still want the rest (an echo
    // answers as the body arrives); anything else does not (RFC 9112 §9.5), so the rest is not
    // sent. The connection is reused only if the body went out whole (then the server, which
    // keeps the connection, reads or discards it): a body cut short leaves it unusable.
    boolean cutShort = upload != null && !upload.isDone() && head.status() >= 300;
    if (cutShort) upload.stop();
    connection.socket.setSoTimeout(
        (int) Math.min(Integer.MAX_VALUE, config.idleTimeout().toMillis()));
    BodyFraming framing = BodyFraming.forResponse(request.method(), head.status(), head.headers());
    InputStream raw = framing.open(connection.in, 8192, config.maxResponseHeadSize());
    boolean persistent =
        framing.kind() != BodyFraming.Kind.UNTIL_CLOSE
            && Http1Syntax.isPersistent(head.minorVersion(), head.headers());
    Supplier<HttpFields> trailers =
        raw instanceof ChunkedInputStream chunked ? chunked::trailers : HttpFields::empty;
    InputStream input =
        upload == null ? raw : new AwaitingUpload(raw, upload, connection, cutShort);
    BodyStream body =
        new BodyStream(
            input,
            new BodyStream.Callbacks() {
              @Override
              public void onEnd() {
                pool.release(
                    connection,
                    persistent && !bodyWithheld && (upload == null || upload.succeeded()));
              }

              @Override
              public void onAbort() {
                pool.release(connection, false);
              }
            },
            exchange);
    // Nothing to read: free the connection now, unless the body still goes out (then the
    // caller's read or close does it, and this call does not wait for the upload).
    if (framing.isEmpty() && (upload == null || upload.isDone())) body.read();
    return new ClientResponse(
        head.status(),
        head.reason(),
        head.headers(),
        Protocol.HTTP_1_1,
        body,
        trailers,
        request.uri(),
        exchange);
  }

  /**
   * A response body whose end waits for the request body's upload: up to the idle timeout (the
   * server may still be reading it), or briefly if the upload was {@code cutShort}. An upload still
   * running then is ended by closing the connection, which is not reused anyway.
   */
  private final class AwaitingUpload extends FilterInputStream {
    private final Upload upload;
    private final Http1Connection connection;
    private final boolean cutShort;

    AwaitingUpload(InputStream in, Upload upload, Http1Connection connection, boolean cutShort) {
      super(in);
      this.upload = upload;
      this.connection = connection;
      this.cutShort = cutShort;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = super.read(b, off, len);
      } catch (IOException e) {
        // the upload's failure closed the connection under this read: that is the news
        if (upload.cause() != null) throw upload.cause();
        throw e;
      }
      if (n < 0 && !upload.isDone()) {
        // A writer blocked on a server that stopped reading only ends with the connection. One
        // told to stop is given a moment: it may have sent its last byte already.
        long grace = cutShort ? STOP_GRACE_MILLIS : config.idleTimeout().toMillis();
        if (!upload.awaitEnd(grace)) connection.close();
      }
      if (n < 0) upload.awaitEnd();
      return n;
    }
  }
}
