package dev.h2mux.server;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.http1.BodyFraming;
import dev.h2mux.core.http1.ChunkedOutputStream;
import dev.h2mux.core.http1.ContentLengthOutputStream;
import dev.h2mux.core.http1.Http1Exception;
import dev.h2mux.core.http1.Http1HeadWriter;
import dev.h2mux.core.http1.Http1Syntax;
import dev.h2mux.core.http1.UncloseableOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A response on an HTTP/1.x connection. At commit it decides the body framing: none for HEAD, 204
 * and 304; Content-Length if the handler set one; chunked for HTTP/1.1; otherwise the body ends
 * when the connection closes (HTTP/1.0). Trailers go out only with chunked framing. The fields it
 * adds for that (Content-Length, Transfer-Encoding, Connection, Date) are in the header fields
 * frozen at commit, which so show the head as sent.
 */
final class Http1Response extends ResponseState {
  private final OutputStream out;
  private final boolean headRequest;
  private final boolean http11;
  private final BooleanSupplier connectionMustClose;
  private final Runnable abortConnection;
  private final Body body = new Body();
  private boolean closeAfter;
  private boolean continueSent;
  private OutputStream framed;
  private ChunkedOutputStream chunked;

  /**
   * @param out the connection's buffered output
   * @param headRequest true if answering HEAD: no body bytes are sent
   * @param http11 true if the request was HTTP/1.1 (chunked framing allowed)
   * @param connectionMustClose asked at commit: true if the connection closes after this response
   * @param abortConnection closes the connection at once, for {@link #reset}
   */
  Http1Response(
      OutputStream out,
      boolean headRequest,
      boolean http11,
      BooleanSupplier connectionMustClose,
      Runnable abortConnection) {
    this.out = out;
    this.headRequest = headRequest;
    this.http11 = http11;
    this.connectionMustClose = connectionMustClose;
    this.abortConnection = abortConnection;
  }

  @Override
  public OutputStream body() {
    return body;
  }

  @Override
  public void sendInformational(int status, HttpFields headers) throws IOException {
    checkInformational(status, headers);
    if (!http11) {
      return; // RFC 9110 §15.2: no 1xx to an HTTP/1.0 client
    }
    out.write(Http1HeadWriter.encodeResponseHead(status, null, headers));
    out.flush();
    if (status == 100) {
      continueSent = true;
    }
  }

  @Override
  public void reset(Http2ErrorCode error) {
    Objects.requireNonNull(error, "error");
    if (!markReset()) {
      return;
    }
    if (isCommitted() && !isEnded()) {
      try {
        framed.flush();
        out.flush();
      } catch (IOException e) {
        // the client is gone already; closing is all that is left
      }
    }
    markEnded();
    closeAfter = true;
    abortConnection.run(); // no last chunk, or fewer bytes than the content-length: cut short
  }

  /** True if the handler sent 100 Continue itself. */
  boolean continueSent() {
    return continueSent;
  }

  /** True if {@link #reset} closed the connection. */
  boolean aborted() {
    return isReset();
  }

  /** True if the connection must close after this response (decided at commit). */
  boolean closeAfter() {
    return closeAfter;
  }

  /**
   * Commits if needed (with {@code content-length: 0} when no body was written), ends the body with
   * its trailers, and flushes. Idempotent.
   *
   * @throws IOException if fewer bytes than the Content-Length were written, or the write fails
   */
  void finish() throws IOException {
    if (isEnded()) {
      return;
    }
    int status = status();
    if (!isCommitted()
        && !headRequest
        && status != 204
        && status != 304
        && !headers().contains("content-length")) {
      headers().set("content-length", "0");
    }
    commit();
    markEnded();
    if (chunked != null) {
      chunked.finish(trailerFields());
    } else {
      framed.close();
    }
    out.flush();
  }

  private void commit() throws IOException {
    if (isCommitted()) {
      return;
    }
    int status = status();
    HttpFields h = headers();
    boolean close =
        connectionMustClose.getAsBoolean() || Http1Syntax.hasElement(h, "connection", "close");
    h.remove("connection");
    h.remove("keep-alive");
    h.remove("transfer-encoding");
    long length;
    try {
      length = BodyFraming.contentLength(h);
    } catch (Http1Exception e) {
      throw new IllegalStateException(
          "the handler set an invalid content-length: " + h.all("content-length"));
    }
    if (status == 204) {
      h.remove("content-length");
      length = -1;
    } else if (length >= 0) {
      h.set("content-length", Long.toString(length));
    }
    OutputStream bodyOut;
    ChunkedOutputStream chunkedOut = null;
    if (headRequest || status == 204 || status == 304) {
      bodyOut = OutputStream.nullOutputStream();
    } else if (length >= 0) {
      bodyOut = new ContentLengthOutputStream(out, length);
    } else if (http11) {
      h.set("transfer-encoding", "chunked");
      bodyOut = chunkedOut = new ChunkedOutputStream(out);
    } else {
      close = true;
      bodyOut = new UncloseableOutputStream(out);
    }
    if (close) {
      h.set("connection", "close");
    } else if (!http11) {
      h.set("connection", "keep-alive");
    }
    if (!h.contains("date")) {
      h.add("date", HttpDate.now());
    }
    byte[] head = Http1HeadWriter.encodeResponseHead(status, null, h);
    markCommitted();
    closeAfter = close;
    framed = bodyOut;
    chunked = chunkedOut;
    out.write(head);
  }

  /** What the handler writes to; commits on the first write or flush. */
  private final class Body extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      ensureOpen();
      commit();
      framed.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      ensureOpen();
      if (len == 0) {
        return; // commits nothing, so an empty body can still get content-length: 0
      }
      commit();
      framed.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      if (isEnded()) {
        return;
      }
      commit();
      framed.flush();
      out.flush();
    }

    @Override
    public void close() throws IOException {
      finish();
    }

    private void ensureOpen() throws IOException {
      requireOpen();
    }
  }
}
