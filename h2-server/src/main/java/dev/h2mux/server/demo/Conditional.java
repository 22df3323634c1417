package dev.h2mux.server.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code /cache} and {@code /range/{n}}: conditional and partial responses (RFC 9110 §13, §14). */
final class Conditional {
  static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  /** The letters {@code /range} serves: the byte at offset k is {@code 'a' + k mod 26}. */
  private static final byte[] LETTERS = new byte[26 * 630];

  static {
    for (int i = 0; i < LETTERS.length; i++) {
      LETTERS[i] = (byte) ('a' + i % 26);
    }
  }

  private final Instant lastModified;
  private final String etag;

  /**
   * @param since when the {@code /cache} resource last changed: the server's start
   */
  Conditional(Instant since) {
    this.lastModified = Instant.ofEpochSecond(since.getEpochSecond());
    this.etag = "\"h2mux-" + Long.toHexString(lastModified.getEpochSecond()) + "\"";
  }

  /**
   * {@code /cache}: a resource with an ETag and a Last-Modified date; a request whose If-None-Match
   * matches (weak comparison, or {@code *}), or else whose If-Modified-Since is not older, gets 304
   * (RFC 9110 §13.1.2, §13.1.3, §13.2.2).
   */
  void cache(DemoExchange x) throws IOException, BadRequestException {
    x.params.allowOnly("/cache");
    x.response.headers().set("etag", etag);
    x.response.headers().set("last-modified", HTTP_DATE.format(lastModified));
    x.response.headers().set("cache-control", "public, max-age=60");
    if (notModified(
        x.request.headers().get("if-none-match"), x.request.headers().get("if-modified-since"))) {
      x.response.status(304);
      return;
    }
    JsonWriter json =
        new JsonWriter()
            .beginObject()
            .member("etag", etag)
            .member("last_modified", HTTP_DATE.format(lastModified))
            .member("hint", "send If-None-Match: " + etag + " to get 304 Not Modified");
    x.json(200, json.endObject());
  }

  /** True if the conditions say the client's copy is current. */
  boolean notModified(String ifNoneMatch, String ifModifiedSince) {
    if (ifNoneMatch != null) {
      List<String> tags = entityTags(ifNoneMatch);
      return tags.contains("*") || tags.contains(opaque(etag));
    }
    Instant since = parseDate(ifModifiedSince);
    return since != null && !lastModified.isAfter(since);
  }

  /**
   * {@code /range/{n}}: {@code n} letters, with {@code Accept-Ranges: bytes}. One byte range is
   * honoured (206 with Content-Range; 416 when it lies past the end); several ranges, a range the
   * server cannot read, or an If-Range that does not match the ETag get the whole content, as RFC
   * 9110 §14.2 allows.
   */
  static void range(DemoExchange x) throws IOException, BadRequestException {
    x.params.allowOnly("/range/{n}");
    long n = Params.integer("/range/{n}", x.tail, 0, Limits.MAX_RANGE_BYTES);
    String tag = "\"range-" + n + "\"";
    x.response.headers().set("accept-ranges", "bytes");
    x.response.headers().set("etag", tag);
    x.response.headers().set("content-type", "text/plain; charset=us-ascii");
    String ifRange = x.request.headers().get("if-range");
    long[] range =
        ifRange == null || ifRange.trim().equals(tag)
            ? parseRange(x.request.headers().get("range"), n)
            : null;
    long first = 0;
    long last = n - 1;
    if (range == UNSATISFIABLE) {
      x.response.headers().set("content-range", "bytes */" + n);
      x.text(416, "the range lies outside 0.." + Math.max(0, n - 1) + "\n");
      return;
    } else if (range != null) {
      first = range[0];
      last = range[1];
      x.response.status(206);
      x.response.headers().set("content-range", "bytes " + first + "-" + last + "/" + n);
    }
    x.response.headers().set("content-length", Long.toString(last - first + 1));
    if (x.isHead()) {
      return;
    }
    OutputStream out = x.body();
    for (long offset = first; offset <= last; ) {
      int start = (int) (offset % 26);
      int chunk = (int) Math.min(last - offset + 1, LETTERS.length - start);
      out.write(LETTERS, start, chunk);
      offset += chunk;
    }
  }

  /** What {@link #parseRange} returns for a range past the end. */
  static final long[] UNSATISFIABLE = new long[0];

  /**
   * Parses a Range header for content of {@code length} bytes (RFC 9110 §14.1.2): the first and
   * last byte of its one range, {@link #UNSATISFIABLE}, or null to ignore it (absent, malformed,
   * another unit, or more than one range).
   */
  static long[] parseRange(String header, long length) {
    if (header == null) {
      return null;
    }
    String value = header.trim();
    int eq = value.indexOf('=');
    if (eq < 0 || !value.substring(0, eq).trim().equalsIgnoreCase("bytes")) {
      return null;
    }
    String spec = value.substring(eq + 1).trim();
    if (spec.indexOf(',') >= 0) {
      return null;
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    long first = digits(spec.substring(0, dash).trim());
    long last = digits(spec.substring(dash + 1).trim());
    boolean noFirst = spec.substring(0, dash).isBlank();
    boolean noLast = spec.substring(dash + 1).isBlank();
    if (noFirst) {
      if (noLast || last < 0) {
        return null;
      }
      if (last == 0 || length == 0) {
        return UNSATISFIABLE; // a suffix of zero bytes, or of nothing
      }
      return new long[] {Math.max(0, length - last), length - 1};
    }
    if (first < 0 || (!noLast && (last < 0 || last < first))) {
      return null;
    }
    if (first >= length) {
      return UNSATISFIABLE;
    }
    return new long[] {first, noLast ? length - 1 : Math.min(last, length - 1)};
  }

  /** A non-negative decimal of at most 18 digits, or -1. */
  private static long digits(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return -1;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(s);
  }

  /**
   * The opaque tags of an If-None-Match value ({@code "a"} for both {@code "a"} and {@code W/"a"}:
   * the weak comparison), or {@code *}; what cannot be parsed is left out.
   */
  static List<String> entityTags(String value) {
    List<String> tags = new ArrayList<>();
    int i = 0;
    int n = value.length();
    while (i < n) {
      char c = value.charAt(i);
      if (c == ' ' || c == '\t' || c == ',') {
        i++;
      } else if (c == '*') {
        tags.add("*");
        i++;
      } else {
        if (value.startsWith("W/", i)) {
          i += 2;
        }
        if (i >= n || value.charAt(i) != '"') {
          return tags; // malformed from here on
        }
        int close = value.indexOf('"', i + 1);
        if (close < 0) {
          return tags;
        }
        tags.add(value.substring(i, close + 1));
        i = close + 1;
      }
    }
    return tags;
  }

  private static String opaque(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }

  /** An HTTP-date (IMF-fixdate, RFC 9110 §5.6.7), or null. */
  static Instant parseDate(String value) {
    if (value == null) {
      return null;
    }
    try {
      return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
