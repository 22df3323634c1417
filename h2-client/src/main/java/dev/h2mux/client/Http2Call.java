package dev.h2mux.client;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.engine.Http2Stream;
import dev.h2mux.core.engine.StreamResetException;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.http.ConnectionFields;
import dev.h2mux.core.http.ResponseHead;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.function.Consumer;

/**
 * One exchange on an HTTP/2 stream: the request head (RFC 9113 §8.3.1), the body sent on its own
 * thread while the response is awaited, the response wrapped for the caller, and what a reset of
 * the stream means to the caller, decided by {@link StreamResetException#reason()}.
 */
final class Http2Call {
  private final Http2Client client;
  private final ClientConfig config;
  private final Origin origin;
  private final Consumer<Http2Session> retire;
  private final TraceListener trace;

  /**
   * @param retire stops new streams going to a connection (it refused one)
   */
  Http2Call(Http2Client client, Origin origin, Consumer<Http2Session> retire) {
    this.client = client;
    this.config = client.settings;
    this.origin = origin;
    this.retire = retire;
    this.trace = config.trace();
  }

  ClientResponse exchange(
      Http2Session session,
      ClientRequest request,
      Cancellation cancel,
      Deadline deadline,
      Exchange exchange)
      throws IOException {
    boolean hasContent = request.hasBody() || !request.trailers().isEmpty();
    long declaredLength = hasContent ? request.declaredLength() : 0; // checked before any frame
    session.touch();
    exchange.connection(session.remote, session.local);
    exchange.sending();
    Http2Stream stream;
    HttpFields fields = fields(request).freeze(); // the trace may read it as it is written
    try {
      stream = session.connection.newStream(fields, !hasContent, deadline.remainingNanos());
    } catch (SocketTimeoutException e) {
      throw deadline.exceeded("no stream slot on the HTTP/2 connection to " + origin);
    } catch (StreamResetException e) {
      throw explained(session, e, cancel);
    }
    if (trace != null) traceRequest(session, stream, fields);
    cancel.onCancel(() -> stream.reset(ErrorCode.CANCEL));
    Upload upload = hasContent ? upload(stream, request, declaredLength, exchange) : null;
    try {
      ResponseHead head = awaitHead(session, stream, request, deadline);
      exchange.firstByte();
      return response(session, stream, head, upload, request, exchange);
    } catch (StreamResetException e) {
      if (upload != null && upload.cause() != null) throw upload.cause();
      if (e.reason() == StreamResetException.Reason.REFUSED
          && e.error() == ErrorCode.REFUSED_STREAM
          && !session.isShutdown()) {
        retire.accept(session); // the retry goes to a fresh connection; others may finish
      }
      throw explained(session, e, cancel);
    } catch (IOException | RuntimeException e) {
      stream.reset(ErrorCode.CANCEL);
      throw e;
    }
  }

  private void traceRequest(Http2Session session, Http2Stream stream, HttpFields fields) {
    Tracer.emit(
        trace,
        new TraceEvent.Request(
            session.name,
            Protocol.HTTP_2,
            stream.id(),
            fields.get(":method"),
            fields.get(":path"),
            fields.get(":authority"),
            fields));
  }

  /** Traces the response head that arrived on {@code stream}, if tracing is on. */
  void traceResponse(Http2Session session, Http2Stream stream, ResponseHead head) {
    if (trace == null) return;
    Tracer.emit(
        trace,
        new TraceEvent.Response(
            session.name, Protocol.HTTP_2, stream.id(), head.status(), "", head.headers()));
  }

  /** Sends the body and trailers on their own thread; a failure of its source resets the stream. */
  private Upload upload(
      Http2Stream stream, ClientRequest request, long declaredLength, Exchange exchange) {
    Http2Stream.StreamOutput out = stream.output();
    Runnable cut = () -> stream.reset(ErrorCode.CANCEL);
    Upload.Finish finish =
        request.trailers().isEmpty() ? out::close : () -> out.closeWithTrailers(request.trailers());
    return Upload.start(client, request, out, declaredLength, finish, cut, true, exchange);
  }

  /**
   * The final response head, or a timeout that names the origin and the timeout. Interim (1xx)
   * heads before it go to the request's listener and the trace, as over HTTP/1.1; they don't extend
   * the wait.
   */
  private ResponseHead awaitHead(
      Http2Session session, Http2Stream stream, ClientRequest request, Deadline deadline)
      throws IOException {
    InterimResponseListener listener = request.interimListener();
    try {
      if (listener == null && trace == null) return stream.awaitResponse(deadline.remainingNanos());
      while (true) {
        ResponseHead head = stream.awaitHead(deadline.remainingNanos());
        traceResponse(session, stream, head);
        if (!head.isInformational()) return head;
        if (listener != null) {
          listener.interimResponse(Protocol.HTTP_2, head.status(), "", head.headers());
        }
      }
    } catch (SocketTimeoutException e) {
      throw deadline.exceeded("no response from " + origin);
    }
  }

  /**
   * The caller's view of a response on {@code stream}. The body's end waits for the upload, if one
   * still runs, so that its failure is reported rather than lost.
   */
  ClientResponse response(
      Http2Session session,
      Http2Stream stream,
      ResponseHead head,
      Upload upload,
      ClientRequest request,
      Exchange exchange) {
    InputStream input =
        new FilterInputStream(stream.input()) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
              n = super.read(b, off, len);
            } catch (StreamResetException e) {
              if (upload != null && upload.cause() != null) throw upload.cause();
              IOException why = explained(session, e, null);
              throw why instanceof ConnectionLostException ? e : why;
            }
            if (n < 0 && upload != null) {
              // A complete answer other than a success does not want the rest of the body
              // (RFC 9112 §9.5 says so for HTTP/1.1): stop it rather than wait on the server.
              if (head.status() >= 300 && !upload.isDone()) stream.reset(ErrorCode.CANCEL);
              upload.awaitEnd();
            }
            return n;
          }
        };
    BodyStream body =
        new BodyStream(
            input,
            new BodyStream.Callbacks() {
              @Override
              public void onEnd() {
                session.touch();
              }

              @Override
              public void onAbort() {
                session.touch();
                stream.reset(ErrorCode.CANCEL);
              }
            },
            exchange);
    return new ClientResponse(
        head.status(),
        "",
        head.headers(),
        Protocol.HTTP_2,
        body,
        stream::trailers,
        request.uri(),
        exchange);
  }

  /**
   * What a stream's end means to the caller: the reason the client closed the connection (an
   * unanswered PING), a lost connection (which an idempotent request may retry), or the reset.
   */
  private IOException explained(Http2Session session, StreamResetException e, Cancellation cancel) {
    if (cancel != null && cancel.isCancelled()) return e;
    if (e.reason() != StreamResetException.Reason.CONNECTION_CLOSED) return e;
    String reason = session.closeReason();
    if (reason != null) {
      return new Http2ClientException(
          "the connection to " + origin + " was closed: " + reason, null, e);
    }
    // CANCEL: the connection ended without a GOAWAY error of ours; the request may be unseen.
    if (e.error() != ErrorCode.CANCEL) return e;
    return new ConnectionLostException("the server closed the connection before responding", e);
  }

  /** The request head: pseudo-fields, then the fields HTTP/2 may carry (RFC 9113 §8.2.2). */
  private HttpFields fields(ClientRequest request) {
    HttpFields headers = request.headers();
    HttpFields fields = new HttpFields();
    String host = headers.get("host");
    fields.add(":method", request.method());
    fields.add(":scheme", origin.scheme());
    fields.add(":authority", host != null ? host : origin.authority());
    fields.add(":path", request.target());
    ConnectionFields.copyForHttp2(headers, fields);
    if (host != null) fields.remove("host"); // it went into :authority
    if (request.hasBody() && request.contentLength() >= 0 && !headers.contains("content-length")) {
      fields.add("content-length", Long.toString(request.contentLength()));
    }
    if (config.decompress() && !headers.contains("accept-encoding")) {
      fields.add("accept-encoding", Decompression.ACCEPT);
    }
    return fields;
  }
}
