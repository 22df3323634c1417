package dev.h2mux.server;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.engine.Http2Stream;
import dev.h2mux.core.engine.StreamResetException;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.http.RequestHead;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Objects;

/** One request/response exchange on an HTTP/2 stream, as the {@link Handler} sees it. */
final class Http2Exchange {
  private final Http2Stream stream;
  private final RequestHead head;
  private final String scheme;
  private final InetSocketAddress remote;
  private final Connection connection;
  private final boolean headRequest;
  private final H2Request request = new H2Request();
  private final H2Response response = new H2Response();

  Http2Exchange(
      Http2Stream stream, String scheme, InetSocketAddress remote, Connection connection) {
    this.stream = stream;
    this.head = stream.request();
    this.scheme = scheme;
    this.remote = remote;
    this.connection = connection;
    this.headRequest = head.method().equals("HEAD");
  }

  /**
   * The rule both protocols apply to {@link Response#status(int)}: a final status, since 1xx
   * responses are the server's business (100-continue), not the handler's.
   */
  static int requireFinalStatus(int status) {
    if (status < 200 || status > 999) {
      throw new IllegalArgumentException(
          "status must be a final status in 200..999, got " + status);
    }
    return status;
  }

  /**
   * The rules both protocols apply to {@link Response#sendInformational}: a 1xx status other than
   * 101, and no fields that would frame content a 1xx never has (RFC 9110 §8.6, RFC 9112 §6.1).
   */
  static void requireInformational(int status, HttpFields headers) {
    Objects.requireNonNull(headers, "headers");
    if (status < 100 || status > 199 || status == 101) {
      throw new IllegalArgumentException(
          "an interim status must be 100 or 102..199 (101 is the server's), got " + status);
    }
    if (headers.contains("content-length") || headers.contains("transfer-encoding")) {
      throw new IllegalArgumentException(
          "an interim response has no content: no content-length or transfer-encoding");
    }
  }

  Request request() {
    return request;
  }

  Response response() {
    return response;
  }

  /** The handler returned: send what it did not send yet, and end the stream. */
  void complete() throws IOException {
    response.body.close();
  }

  /** The handler threw: 500 if nothing was sent yet, otherwise reset the stream. */
  void fail(Throwable e) {
    if (e instanceof StreamResetException || stream.isReset()) {
      Http2ServerConnection.log().debug("stream {} ended early: {}", stream.id(), e.toString());
      return;
    }
    if (!response.committed) {
      Http2ServerConnection.log().warn("handler failed on stream {}", stream.id(), e);
      try {
        response.committed = true;
        stream.sendHeaders(HttpFields.of(":status", "500", "content-length", "0"), true);
        return;
      } catch (IOException sendFailure) {
        e.addSuppressed(sendFailure);
      }
    } else {
      Http2ServerConnection.log()
          .warn("handler failed on stream {} after the response began", stream.id(), e);
    }
    stream.reset(ErrorCode.INTERNAL_ERROR);
  }

  private final class H2Request implements Request {
    @Override
    public String method() {
      return head.method();
    }

    @Override
    public String scheme() {
      return head.scheme() == null ? scheme : head.scheme();
    }

    @Override
    public String authority() {
      return head.authority();
    }

    @Override
    public String path() {
      return head.path() == null ? "" : head.path();
    }

    @Override
    public String protocol() {
      return "HTTP/2";
    }

    @Override
    public HttpFields headers() {
      return head.headers();
    }

    @Override
    public HttpFields headersAsReceived() {
      HttpFields fields = new HttpFields();
      for (String name : head.pseudoHeaderNames()) {
        String value =
            switch (name) {
              case ":method" -> head.method();
              case ":scheme" -> head.scheme();
              case ":authority" -> head.authority();
              default -> head.path();
            };
        fields.add(name, value);
      }
      head.headers().forEach(fields::add);
      return fields.freeze();
    }

    @Override
    public InputStream body() {
      return stream.input();
    }

    @Override
    public HttpFields trailers() {
      return stream.trailers();
    }

    @Override
    public InetSocketAddress remoteAddress() {
      return remote;
    }

    @Override
    public Connection connection() {
      return connection;
    }
  }

  private final class H2Response implements Response {
    private int status = 200;
    private final HttpFields headers = new HttpFields();
    private HttpFields trailers;
    private boolean committed;
    private boolean reset;
    private final Body body = new Body();

    @Override
    public Response status(int status) {
      if (committed) throw new IllegalStateException("response already committed");
      this.status = requireFinalStatus(status);
      return this;
    }

    @Override
    public int status() {
      return status;
    }

    @Override
    public HttpFields headers() {
      return committed ? headers.copy().freeze() : headers;
    }

    @Override
    public OutputStream body() {
      return body;
    }

    @Override
    public Response trailers(HttpFields trailers) {
      if (body.closed) throw new IllegalStateException("response body already closed");
      this.trailers = trailers.copy().freeze();
      return this;
    }

    @Override
    public boolean isCommitted() {
      return committed;
    }

    @Override
    public void sendInformational(int status, HttpFields headers) throws IOException {
      requireInformational(status, headers);
      if (committed || reset) throw new IllegalStateException("response already committed");
      // A HEADERS frame of its own without END_STREAM; the final head follows (RFC 9113 §8.1).
      stream.sendHeaders(Http2ServerConnection.responseFields(status, headers), false);
    }

    @Override
    public void reset(Http2ErrorCode error) {
      Objects.requireNonNull(error, "error");
      if (reset) return;
      reset = true;
      if (committed && !body.closed) {
        try {
          stream.output().flush();
        } catch (IOException e) {
          Http2ServerConnection.log().debug("stream {}: flush before reset: {}", stream.id(), e);
        }
      }
      body.closed = true;
      stream.resetAfterQueued(ErrorCode.of(error.code()));
    }

    /** Sends the head; with {@code endStream} the response has no body at all. */
    private void commit(boolean endStream) throws IOException {
      committed = true;
      stream.sendHeaders(Http2ServerConnection.responseFields(status, headers), endStream);
    }

    /** The response body: the first write commits the head; close ends the stream. */
    private final class Body extends OutputStream {
      private boolean closed;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException(reset ? "response was reset" : "response body closed");
        if (!committed) commit(false);
        if (headRequest || len == 0) return; // HEAD: the head says it all (RFC 9110 §9.3.2)
        stream.output().write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        if (closed) return;
        if (!committed) commit(false);
        stream.output().flush();
      }

      @Override
      public void close() throws IOException {
        if (closed) return;
        closed = true;
        if (stream.isReset()) return;
        boolean hasTrailers = trailers != null && !trailers.isEmpty();
        if (!committed) {
          commit(!hasTrailers);
          if (!hasTrailers) return;
        }
        if (hasTrailers) {
          stream.output().closeWithTrailers(trailers);
        } else {
          stream.output().close();
        }
      }
    }
  }
}
