package dev.h2mux.core.http1;

import dev.h2mux.core.HttpFields;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a message body is delimited (RFC 9112 §6.3), decided from the head alone.
 *
 * @param kind the kind of framing
 * @param length the body length for {@link Kind#CONTENT_LENGTH}, otherwise -1
 */
public record BodyFraming(Kind kind, long length) {
  /** The ways a body can be delimited. */
  public enum Kind {
    /** No body at all. */
    NONE,
    /** Exactly {@code length} bytes follow the head. */
    CONTENT_LENGTH,
    /** A chunked body with optional trailers follows. */
    CHUNKED,
    /** The body runs until the connection closes (responses only). */
    UNTIL_CLOSE
  }

  /** No body. */
  public static final BodyFraming NONE = new BodyFraming(Kind.NONE, -1);

  /** A chunked body. */
  public static final BodyFraming CHUNKED = new BodyFraming(Kind.CHUNKED, -1);

  /** A body delimited by the end of the connection. */
  public static final BodyFraming UNTIL_CLOSE = new BodyFraming(Kind.UNTIL_CLOSE, -1);

  /**
   * Checks that {@code length} fits {@code kind}.
   *
   * @throws IllegalArgumentException for a length with another kind, or none with CONTENT_LENGTH
   */
  public BodyFraming {
    if ((kind == Kind.CONTENT_LENGTH) != (length >= 0)) {
      throw new IllegalArgumentException("length " + length + " does not fit " + kind);
    }
  }

  /**
   * {@return a body of exactly {@code length} bytes} Length 0 is {@link #NONE}'s equal in effect.
   *
   * @param length the body's length, 0 or more
   */
  public static BodyFraming ofLength(long length) {
    if (length < 0) {
      throw new IllegalArgumentException("negative length " + length);
    }
    return new BodyFraming(Kind.CONTENT_LENGTH, length);
  }

  /** {@return true if no body bytes can follow the head} */
  public boolean isEmpty() {
    return kind == Kind.NONE || (kind == Kind.CONTENT_LENGTH && length == 0);
  }

  /**
   * Decides a request's body framing, rejecting every ambiguous shape a request smuggler could use:
   * Transfer-Encoding together with Content-Length, chunked applied twice or not last, a
   * Transfer-Encoding in HTTP/1.0, differing or malformed Content-Length values.
   *
   * @param head the request head
   * @return the request body's framing
   * @throws Http1Exception with status 400, or 501 for a transfer coding other than chunked
   */
  public static BodyFraming forRequest(Http1RequestHead head) throws Http1Exception {
    HttpFields headers = head.headers();
    if (headers.contains("transfer-encoding")) {
      if (headers.contains("content-length")) {
        throw new Http1Exception(400, "both Transfer-Encoding and Content-Length");
      }
      if (head.minorVersion() == 0) {
        throw new Http1Exception(400, "Transfer-Encoding in an HTTP/1.0 request");
      }
      List<String> codings = transferCodings(headers);
      boolean chunkedLast = !codings.isEmpty() && codings.get(codings.size() - 1).equals("chunked");
      if (!chunkedLast || codings.indexOf("chunked") != codings.size() - 1) {
        throw new Http1Exception(400, "chunked is not the final transfer coding exactly once");
      }
      if (codings.size() > 1) {
        throw new Http1Exception(501, "unsupported transfer coding " + codings.get(0));
      }
      return CHUNKED;
    }
    long length = contentLength(headers);
    return length < 0 ? NONE : ofLength(length);
  }

  /**
   * Decides a response's body framing.
   *
   * @param requestMethod the method of the request this answers
   * @param status the response status
   * @param headers the response header fields
   * @return the response body's framing
   * @throws Http1Exception if Content-Length is malformed or has differing values
   */
  public static BodyFraming forResponse(String requestMethod, int status, HttpFields headers)
      throws Http1Exception {
    if (requestMethod.equals("HEAD") || status < 200 || status == 204 || status == 304) {
      return NONE;
    }
    if (requestMethod.equals("CONNECT") && status < 300) {
      return NONE;
    }
    if (headers.contains("transfer-encoding")) {
      List<String> codings = transferCodings(headers);
      return !codings.isEmpty()
              && codings.get(codings.size() - 1).equals("chunked")
              && codings.indexOf("chunked") == codings.size() - 1
          ? CHUNKED
          : UNTIL_CLOSE;
    }
    long length = contentLength(headers);
    return length < 0 ? UNTIL_CLOSE : ofLength(length);
  }

  /**
   * Opens a stream over the body that follows a head read from {@code in}. Closing it does not
   * close {@code in}.
   *
   * @param in the connection's buffered input, positioned after the head
   * @param maxLineLength the limit for a chunk-size line, extensions included (chunked only)
   * @param maxTrailerSize the limit for the trailer section (chunked only)
   * @return the body, which ends where the framing says
   */
  public InputStream open(InputStream in, int maxLineLength, int maxTrailerSize) {
    return switch (kind) {
      case NONE -> InputStream.nullInputStream();
      case CONTENT_LENGTH -> new ContentLengthInputStream(in, length);
      case CHUNKED -> new ChunkedInputStream(in, maxLineLength, maxTrailerSize);
      case UNTIL_CLOSE -> new UncloseableInputStream(in);
    };
  }

  /**
   * Parses every Content-Length value: each must be 1*DIGIT and fit a long; a comma-separated list
   * or repeated field is accepted only when all elements are equal.
   *
   * @param headers the header fields
   * @return the length, or -1 if there is no Content-Length field
   * @throws Http1Exception (400) if a value is malformed or values differ
   */
  public static long contentLength(HttpFields headers) throws Http1Exception {
    List<String> values = headers.all("content-length");
    if (values.isEmpty()) {
      return -1;
    }
    long length = -1;
    for (String value : values) {
      for (String element : value.split(",", -1)) {
        long parsed = parseLength(Http1Syntax.trimOws(element));
        if (length >= 0 && parsed != length) {
          throw new Http1Exception(400, "differing Content-Length values");
        }
        length = parsed;
      }
    }
    return length;
  }

  private static long parseLength(String s) throws Http1Exception {
    if (s.isEmpty() || s.length() > 18) {
      throw new Http1Exception(400, "malformed Content-Length");
    }
    long value = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new Http1Exception(400, "malformed Content-Length");
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** The transfer codings in order, lowercased; an empty element or one with spaces is an error. */
  private static List<String> transferCodings(HttpFields headers) throws Http1Exception {
    List<String> codings = new ArrayList<>(2);
    for (String value : headers.all("transfer-encoding")) {
      for (String element : value.split(",", -1)) {
        String coding = Http1Syntax.trimOws(element);
        int semicolon = coding.indexOf(';');
        String name = Http1Syntax.trimOws(semicolon < 0 ? coding : coding.substring(0, semicolon));
        if (!Http1Syntax.isToken(name)) {
          throw new Http1Exception(400, "malformed Transfer-Encoding");
        }
        codings.add(name.toLowerCase(Locale.ROOT));
      }
    }
    return codings;
  }
}
