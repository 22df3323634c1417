package dev.h2mux.server;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.engine.Http2Stream;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.http.ConnectionFields;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A response on an HTTP/2 stream: the head is a HEADERS frame, sent at the first write or flush, or
 * with END_STREAM when the handler returns without a body; closing the body ends the stream, with a
 * trailing HEADERS frame if trailers were set.
 */
final class Http2Response extends ResponseState {
  private static final Logger log = LoggerFactory.getLogger(Http2Response.class);

  private final Http2Stream stream;
  private final boolean headRequest;
  private final Body body = new Body();

  /**
   * @param stream the stream the request came on
   * @param headRequest true if answering HEAD: no body bytes are sent
   */
  Http2Response(Http2Stream stream, boolean headRequest) {
    this.stream = stream;
    this.headRequest = headRequest;
  }

  /**
   * The HEADERS fields of a response: {@code :status}, then the handler's fields without those
   * HTTP/2 does not carry (RFC 9113 §8.2.2), which a handler written for HTTP/1.1 may set.
   */
  static HttpFields responseFields(int status, HttpFields headers) {
    HttpFields fields = new HttpFields();
    fields.add(":status", statusText(status));
    ConnectionFields.copyForHttp2(headers, fields);
    return fields;
  }

  /**
   * The common codes as constants: no string is formatted per response for them (see
   * docs/BENCHMARKS.md, "Small responses").
   */
  private static String statusText(int status) {
    return switch (status) {
      case 200 -> "200";
      case 204 -> "204";
      case 206 -> "206";
      case 304 -> "304";
      case 404 -> "404";
      default -> Integer.toString(status);
    };
  }

  @Override
  public OutputStream body() {
    return body;
  }

  @Override
  public void sendInformational(int status, HttpFields headers) throws IOException {
    checkInformational(status, headers);
    // A HEADERS frame of its own without END_STREAM; the final head follows (RFC 9113 §8.1).
    stream.sendHeaders(responseFields(status, headers), false);
  }

  @Override
  public void reset(Http2ErrorCode error) {
    Objects.requireNonNull(error, "error");
    if (!markReset()) return;
    if (isCommitted() && !isEnded()) {
      try {
        stream.output().flush();
      } catch (IOException e) {
        log.debug("stream {}: flush before reset: {}", stream.id(), e.toString());
      }
    }
    markEnded();
    stream.resetAfterQueued(ErrorCode.of(error.code()));
  }

  /** The handler returned: send what it did not send yet, and end the stream. */
  void complete() throws IOException {
    body.close();
  }

  /**
   * The handler failed before the head was sent: answers 500 in its place.
   *
   * @return false if the head was sent already, and so the stream must be reset instead
   * @throws IOException if the 500 cannot be sent
   */
  boolean sendErrorIfUncommitted() throws IOException {
    if (isCommitted()) return false;
    replaceForError(500);
    markCommitted();
    stream.sendHeaders(HttpFields.of(":status", "500", "content-length", "0"), true);
    return true;
  }

  /** Sends the head; with {@code endStream} the response has no body at all. */
  private void commit(boolean endStream) throws IOException {
    // An origin server with a clock MUST send Date in 2xx, 3xx and 4xx responses (RFC 9110
    // §6.6.1); HTTP/1.1 responses get it the same way (Http1Response).
    if (!headers().contains("date")) headers().add("date", HttpDate.now());
    HttpFields committed = markCommitted();
    stream.sendHeaders(responseFields(status(), committed), endStream);
  }

  /** The response body: the first write commits the head; close ends the stream. */
  private final class Body extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      requireOpen();
      if (!isCommitted()) commit(false);
      if (headRequest || len == 0) return; // HEAD: the head says it all (RFC 9110 §9.3.2)
      stream.output().write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      if (isEnded()) return;
      if (!isCommitted()) commit(false);
      stream.output().flush();
    }

    @Override
    public void close() throws IOException {
      if (isEnded()) return;
      markEnded();
      if (stream.isReset()) return;
      // The connection-specific fields a handler written for HTTP/1.1 may set are not sent
      // (RFC 9113 §8.2.2), in trailers as in the head.
      HttpFields trailers = HttpFields.empty();
      if (!trailerFields().isEmpty()) {
        trailers = new HttpFields();
        ConnectionFields.copyForHttp2(trailerFields(), trailers);
      }
      boolean hasTrailers = !trailers.isEmpty();
      if (!isCommitted()) {
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
