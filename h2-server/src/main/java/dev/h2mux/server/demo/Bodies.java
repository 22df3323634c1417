package dev.h2mux.server.demo;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.http1.Http1Syntax;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * {@code /bytes/N}, {@code /echo}, {@code /gzip} and {@code /trailers}: what the body is, and what
 * follows it.
 */
final class Bodies {
  /** The {@code /bytes/N} pattern: the byte at offset k is {@code k mod 256}. */
  private static final byte[] PATTERN = new byte[16 * 1024];

  /**
   * Fields that must not be trailers: they frame, route or control the message or its content (RFC
   * 9110 §6.5.1), or HTTP/2 forbids them anywhere (RFC 9113 §8.2.2).
   */
  private static final Set<String> NOT_TRAILERS =
      Set.of(
          "age",
          "authorization",
          "cache-control",
          "connection",
          "content-encoding",
          "content-length",
          "content-range",
          "content-type",
          "date",
          "expires",
          "host",
          "keep-alive",
          "location",
          "proxy-connection",
          "retry-after",
          "set-cookie",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "vary",
          "www-authenticate");

  static {
    for (int i = 0; i < PATTERN.length; i++) {
      PATTERN[i] = (byte) i;
    }
  }

  private Bodies() {}

  /** {@code /bytes/N}: N bytes of the pattern, with their length. */
  static void bytes(DemoExchange x) throws IOException, BadRequestException {
    long n = parseCount(x.tail);
    if (n < 0) {
      throw new BadRequestException("/bytes/N needs N in 0.." + Limits.MAX_BYTES);
    }
    x.response.headers().set("content-type", "application/octet-stream");
    x.response.headers().set("content-length", Long.toString(n));
    if (x.isHead()) {
      return;
    }
    writePattern(x.body(), n);
  }

  /** Writes the first {@code n} bytes of the {@code /bytes} pattern. */
  static void writePattern(OutputStream out, long n) throws IOException {
    for (long left = n; left > 0; ) {
      int chunk = (int) Math.min(left, PATTERN.length);
      out.write(PATTERN, 0, chunk);
      left -= chunk;
    }
  }

  /** Returns N, or -1 unless it is 1–10 digits and at most {@link Limits#MAX_BYTES}. */
  static long parseCount(String s) {
    if (s.isEmpty() || s.length() > 10) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n <= Limits.MAX_BYTES ? n : -1;
  }

  /** {@code /echo}: the body back as it arrives, with its type, length and trailers. */
  static void echo(DemoExchange x) throws IOException {
    HttpFields in = x.request.headers();
    if (in.contains("content-type")) {
      x.response.headers().set("content-type", in.get("content-type"));
    }
    if (in.contains("content-length")) {
      x.response.headers().set("content-length", in.get("content-length"));
    }
    InputStream body = x.request.body();
    OutputStream out = x.body();
    byte[] buffer = new byte[16 * 1024];
    for (int n; (n = body.read(buffer)) >= 0; ) {
      if (n > 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    }
    HttpFields trailers = x.request.trailers();
    if (!trailers.isEmpty()) {
      x.response.trailers(trailers);
    }
  }

  /**
   * {@code /gzip}: the {@code /get} document, gzip-compressed, with {@code content-encoding: gzip}
   * whatever the request's Accept-Encoding ({@code curl --compressed} decodes it).
   */
  static void gzip(DemoExchange x) throws IOException, BadRequestException {
    Inspection.BodyDigest body = Inspection.readBody(x);
    JsonWriter json = new JsonWriter().beginObject().member("gzipped", true);
    Inspection.describe(x, json, body);
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      gzip.write(json.endObject().utf8());
    }
    x.response.headers().set("content-encoding", "gzip");
    x.response.headers().set("vary", "accept-encoding");
    x.bytes(200, "application/json", compressed.toByteArray());
  }

  /**
   * {@code /trailers?name=value...}: reads the request body, then answers with each query parameter
   * as a response trailer, followed by the request's own trailers echoed back, and {@code
   * x-request-bytes}, the body's length. HTTP/1.1 sends them after the last chunk.
   */
  static void trailers(DemoExchange x) throws IOException, BadRequestException {
    HttpFields trailers = new HttpFields();
    int size = 0;
    for (Map.Entry<String, String> pair : x.params.pairs()) {
      checkTrailer(pair.getKey(), pair.getValue());
      trailers.add(pair.getKey(), pair.getValue());
      size += pair.getKey().length() + pair.getValue().length();
    }
    if (trailers.size() > Limits.MAX_TRAILERS || size > Limits.MAX_TRAILER_BYTES) {
      throw new BadRequestException(
          "/trailers sends at most "
              + Limits.MAX_TRAILERS
              + " trailers of "
              + Limits.MAX_TRAILER_BYTES
              + " bytes in all");
    }
    long received = 0;
    InputStream in = x.request.body();
    byte[] buffer = new byte[16 * 1024];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      received += n;
    }
    x.request
        .trailers()
        .forEach(
            (name, value) -> {
              if (!NOT_TRAILERS.contains(name)) trailers.add(name, value);
            });
    trailers.add("x-request-bytes", Long.toString(received));
    x.response.headers().set("content-type", "text/plain; charset=utf-8");
    x.response.headers().set("trailer", String.join(", ", trailerNames(trailers)));
    x.response.trailers(trailers);
    if (!x.isHead()) {
      x.body()
          .write(
              (trailers.size() + " trailer fields follow the body\n")
                  .getBytes(StandardCharsets.UTF_8));
    }
  }

  private static Set<String> trailerNames(HttpFields fields) {
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < fields.size(); i++) {
      names.add(fields.name(i));
    }
    return names;
  }

  /** Checks one trailer the client asked for: a token name allowed in trailers, a clean value. */
  static void checkTrailer(String name, String value) throws BadRequestException {
    String lower = name.toLowerCase(Locale.ROOT);
    if (!Http1Syntax.isToken(name) || NOT_TRAILERS.contains(lower)) {
      throw new BadRequestException(
          "trailer names must be field names (tokens) that may be trailers; not framing, routing"
              + " or content fields such as content-length or content-type (RFC 9110 §6.5.1),"
              + " got "
              + Params.quote(name));
    }
    boolean clean = true;
    for (int i = 0; i < value.length() && clean; i++) {
      char c = value.charAt(i);
      clean = (c >= 0x20 && c < 0x7f) || c == '\t';
    }
    if (!clean
        || (!value.isEmpty()
            && (Character.isWhitespace(value.charAt(0))
                || Character.isWhitespace(value.charAt(value.length() - 1))))) {
      throw new BadRequestException(
          "trailer values must be visible ASCII, without spaces at either end; got "
              + Params.quote(value)
              + " for "
              + name);
    }
  }
}
