package dev.h2mux.core.http1;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.io.PeekableInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Supplier;

/**
 * A strict parser for HTTP/1.x message heads (RFC 9112 §2–§5).
 *
 * <p>Lines must end in CRLF; a bare CR or a bare LF is an error, as are obsolete line folding,
 * whitespace between a field name and its colon, invalid characters in tokens, control characters
 * in values, and versions other than HTTP/1.0 and HTTP/1.1. The whole head, counting every byte
 * including line ends, is bounded: past the limit the parser throws {@link HeadTooLargeException}.
 * The parser reads byte by byte, so give it a buffered stream (an {@link PeekableInputStream});
 * whatever follows the head stays unread.
 */
public final class Http1Parser {
  /** Empty lines tolerated before a request line (RFC 9112 §2.2). */
  private static final int MAX_LEADING_EMPTY_LINES = 4;

  private Http1Parser() {}

  /**
   * Reads a request head.
   *
   * @param in the connection's buffered input
   * @param maxHeadSize the limit, in bytes, for the request line and the header section
   * @return the head, or null if the stream ended cleanly before the first byte
   * @throws HeadTooLargeException if the head is larger than {@code maxHeadSize} (431)
   * @throws Http1Exception if the request line alone is: 414 (URI Too Long) when the target is what
   *     does not fit, 501 when even the method does not (RFC 9112 §3); if the head is malformed
   *     (status 400 or 505), or has no Host header (or more than one) in HTTP/1.1
   * @throws EOFException if the stream ended within the head
   */
  public static Http1RequestHead readRequestHead(InputStream in, int maxHeadSize)
      throws IOException {
    LineReader reader = new LineReader(in, maxHeadSize);
    String line = reader.readRequestLine(true);
    if (line == null) {
      return null;
    }
    for (int i = 0; line.isEmpty(); i++) {
      if (i == MAX_LEADING_EMPTY_LINES) {
        throw new Http1Exception(400, "too many empty lines before the request line");
      }
      line = reader.readRequestLine(false);
    }
    int sp1 = line.indexOf(' ');
    int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) {
      throw new Http1Exception(400, "malformed request line");
    }
    String method = line.substring(0, sp1);
    String target = line.substring(sp1 + 1, sp2);
    String version = line.substring(sp2 + 1);
    if (!Http1Syntax.isToken(method)) {
      throw new Http1Exception(400, "invalid method");
    }
    if (target.isEmpty() || !Http1Syntax.isVisibleAscii(target)) {
      throw new Http1Exception(400, "invalid request target");
    }
    int minor = parseVersion(version, 505);
    HttpFields headers = readFields(reader);
    List<String> hosts = headers.all("host");
    if (minor == 1 && hosts.size() != 1) {
      throw new Http1Exception(
          400, hosts.isEmpty() ? "missing Host header" : "more than one Host header");
    }
    if (minor == 0 && hosts.size() > 1) {
      throw new Http1Exception(400, "more than one Host header");
    }
    if (!hosts.isEmpty() && !Http1Syntax.isValidHost(hosts.get(0))) {
      throw new Http1Exception(400, "invalid Host header");
    }
    return new Http1RequestHead(method, target, minor, headers.freeze());
  }

  /**
   * Reads a response head.
   *
   * @param in the connection's buffered input
   * @param maxHeadSize the limit, in bytes, for the status line and the header section
   * @return the head, or null if the stream ended cleanly before the first byte
   * @throws HeadTooLargeException if the head is larger than {@code maxHeadSize}
   * @throws Http1Exception if the head is malformed
   * @throws EOFException if the stream ended within the head
   */
  public static Http1ResponseHead readResponseHead(InputStream in, int maxHeadSize)
      throws IOException {
    LineReader reader = new LineReader(in, maxHeadSize);
    String line = reader.readLine(true);
    if (line == null) {
      return null;
    }
    // status-line = HTTP-version SP status-code SP [ reason-phrase ]; tolerate a missing last SP.
    if (line.length() < 12
        || line.charAt(8) != ' '
        || (line.length() > 12 && line.charAt(12) != ' ')) {
      throw new Http1Exception(400, "malformed status line");
    }
    int minor = parseVersion(line.substring(0, 8), 400);
    int status = 0;
    for (int i = 9; i < 12; i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') {
        throw new Http1Exception(400, "malformed status code");
      }
      status = status * 10 + (c - '0');
    }
    if (status < 100) {
      throw new Http1Exception(400, "malformed status code");
    }
    String reason = line.length() > 13 ? line.substring(13) : "";
    if (!Http1Syntax.isFieldValue(reason)) {
      throw new Http1Exception(400, "invalid reason phrase");
    }
    return new Http1ResponseHead(minor, status, reason, readFields(reader).freeze());
  }

  /**
   * Reads a trailer section (field lines up to an empty line), as after the last chunk.
   *
   * @param maxSize the limit, in bytes, for the whole section including line ends
   * @return the fields, mutable
   */
  static HttpFields readTrailers(InputStream in, int maxSize) throws IOException {
    return readFields(new LineReader(in, maxSize));
  }

  /**
   * Reads one line ending in CRLF, for chunk-size lines: bare CR or LF is an error.
   *
   * @param maxLength the limit for the line including CRLF
   * @param tooLong makes the exception to throw past the limit
   */
  static String readLine(InputStream in, int maxLength, Supplier<Http1Exception> tooLong)
      throws IOException {
    return new LineReader(in, maxLength, tooLong).readLine(false);
  }

  private static int parseVersion(String version, int unsupportedStatus) throws Http1Exception {
    if (version.length() != 8
        || !version.startsWith("HTTP/")
        || version.charAt(6) != '.'
        || !isDigit(version.charAt(5))
        || !isDigit(version.charAt(7))) {
      throw new Http1Exception(400, "malformed HTTP version");
    }
    if (version.charAt(5) != '1' || version.charAt(7) > '1') {
      throw new Http1Exception(unsupportedStatus, "unsupported HTTP version " + version);
    }
    return version.charAt(7) - '0';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static HttpFields readFields(LineReader reader) throws IOException {
    HttpFields fields = new HttpFields();
    for (String line = reader.readLine(false); !line.isEmpty(); line = reader.readLine(false)) {
      char first = line.charAt(0);
      if (first == ' ' || first == '\t') {
        throw new Http1Exception(400, "obsolete line folding");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new Http1Exception(400, "field line without a name or colon");
      }
      String name = line.substring(0, colon);
      char last = name.charAt(name.length() - 1);
      if (last == ' ' || last == '\t') {
        throw new Http1Exception(400, "whitespace between field name and colon");
      }
      if (!Http1Syntax.isToken(name)) {
        throw new Http1Exception(400, "invalid field name");
      }
      String value = Http1Syntax.trimOws(line.substring(colon + 1));
      if (!Http1Syntax.isFieldValue(value)) {
        throw new Http1Exception(400, "invalid character in field value");
      }
      fields.add(name, value);
    }
    return fields;
  }

  /** Reads CRLF-terminated lines as ISO-8859-1, counting bytes against a shared budget. */
  private static final class LineReader {
    private final InputStream in;

    /**
     * Makes the exception for a line past the limit. Made only when thrown: one made per head, with
     * its stack trace, was a large part of an HTTP/1.1 keep-alive request's CPU
     * (docs/BENCHMARKS.md).
     */
    private final Supplier<Http1Exception> tooLarge;

    private final int limit;
    private int remaining;
    private final StringBuilder line = new StringBuilder(64);

    LineReader(InputStream in, int limit) {
      this(in, limit, null);
    }

    LineReader(InputStream in, int limit, Supplier<Http1Exception> tooLarge) {
      this.in = in;
      this.limit = limit;
      this.remaining = limit;
      this.tooLarge = tooLarge != null ? tooLarge : () -> new HeadTooLargeException(limit);
    }

    /**
     * Reads a request line. Past the limit, the part read says what was too long: the target (414)
     * once a space was seen, else the method (501).
     */
    String readRequestLine(boolean eofOk) throws IOException {
      try {
        return readLine(eofOk);
      } catch (HeadTooLargeException e) {
        if (line.indexOf(" ") >= 0) {
          throw new Http1Exception(414, "request target longer than the " + limit + "-byte limit");
        }
        throw new Http1Exception(501, "method longer than the " + limit + "-byte limit");
      }
    }

    /** Returns the line without its CRLF; null only if {@code eofOk} and no byte was read. */
    String readLine(boolean eofOk) throws IOException {
      line.setLength(0);
      boolean first = true;
      while (true) {
        int b = in.read();
        if (b < 0) {
          if (first && eofOk) {
            return null;
          }
          throw new EOFException("stream ended within a message head");
        }
        first = false;
        if (--remaining < 0) {
          throw tooLarge.get();
        }
        if (b == '\r') {
          int next = in.read();
          if (next < 0) {
            throw new EOFException("stream ended within a message head");
          }
          if (--remaining < 0) {
            throw tooLarge.get();
          }
          if (next != '\n') {
            throw new Http1Exception(400, "bare CR in message head");
          }
          return line.toString();
        }
        if (b == '\n') {
          throw new Http1Exception(400, "bare LF in message head");
        }
        line.append((char) b);
      }
    }
  }
}
