package dev.h2mux.server.demo;

import dev.h2mux.core.HttpFields;
import dev.h2mux.server.Handler;
import dev.h2mux.server.Request;
import dev.h2mux.server.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's routes: a welcome page, static files from a directory, {@code /bytes/N} and {@code
 * /echo}. Static paths never escape the directory: {@code ..} segments (also percent-encoded),
 * encoded slashes and backslashes, NUL, and symbolic links that resolve outside all answer 404.
 */
final class DemoHandler implements Handler {
  /** The largest {@code /bytes/N}: 1 GiB. */
  static final long MAX_BYTES = 1L << 30;

  /** The {@code /bytes/N} pattern: the byte at offset k is {@code k mod 256}. */
  private static final byte[] PATTERN = new byte[16 * 1024];

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);
  private static final Map<String, String> CONTENT_TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("htm", "text/html; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("md", "text/markdown; charset=utf-8"),
          Map.entry("xml", "application/xml"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("wasm", "application/wasm"),
          Map.entry("pdf", "application/pdf"));
  private static final String WELCOME =
      """
      <!DOCTYPE html>
      <html lang="en">
      <head><meta charset="utf-8"><title>h2mux</title></head>
      <body>
      <h1>h2mux demo server</h1>
      <p>HTTP/2 and HTTP/1.1 on virtual threads. Try:</p>
      <ul>
      <li><a href="/bytes/1024">GET /bytes/1024</a>: 1024 bytes</li>
      <li><code>curl --data-binary @file http://host:port/echo</code>: the body, echoed as it arrives</li>
      </ul>
      </body>
      </html>
      """;

  /** Encoded once: the page is served on every request to {@code /}. */
  private static final byte[] WELCOME_BYTES = WELCOME.getBytes(StandardCharsets.UTF_8);

  static {
    for (int i = 0; i < PATTERN.length; i++) {
      PATTERN[i] = (byte) i;
    }
  }

  private final Path root;

  /**
   * @param dir the directory to serve, or null for no static files
   * @throws IOException if the directory's real path cannot be resolved
   */
  DemoHandler(Path dir) throws IOException {
    this.root = dir == null ? null : dir.toRealPath();
  }

  @Override
  public void handle(Request request, Response response) throws IOException {
    String path = request.path();
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    if (path.equals("/echo")) {
      echo(request, response);
    } else if (path.startsWith("/bytes/")) {
      bytes(request, response, path.substring("/bytes/".length()));
    } else {
      serveStatic(request, response, path);
    }
  }

  private static void echo(Request request, Response response) throws IOException {
    if (!request.method().equals("POST") && !request.method().equals("PUT")) {
      methodNotAllowed(response, "POST, PUT");
      return;
    }
    HttpFields in = request.headers();
    if (in.contains("content-type")) {
      response.headers().set("content-type", in.get("content-type"));
    }
    if (in.contains("content-length")) {
      response.headers().set("content-length", in.get("content-length"));
    }
    InputStream body = request.body();
    OutputStream out = response.body();
    byte[] buffer = new byte[16 * 1024];
    for (int n; (n = body.read(buffer)) >= 0; ) {
      if (n > 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    }
    HttpFields trailers = request.trailers();
    if (!trailers.isEmpty()) {
      response.trailers(trailers);
    }
  }

  private static void bytes(Request request, Response response, String count) throws IOException {
    if (!isGetOrHead(request)) {
      methodNotAllowed(response, "GET, HEAD");
      return;
    }
    long n = parseCount(count);
    if (n < 0) {
      text(request, response, 400, "/bytes/N needs N in 0.." + MAX_BYTES + "\n");
      return;
    }
    response.headers().set("content-type", "application/octet-stream");
    response.headers().set("content-length", Long.toString(n));
    if (request.method().equals("HEAD")) {
      return;
    }
    OutputStream out = response.body();
    for (long left = n; left > 0; ) {
      int chunk = (int) Math.min(left, PATTERN.length);
      out.write(PATTERN, 0, chunk);
      left -= chunk;
    }
  }

  /** Returns N, or -1 unless it is 1–10 digits and at most {@link #MAX_BYTES}. */
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
    return n <= MAX_BYTES ? n : -1;
  }

  private void serveStatic(Request request, Response response, String path) throws IOException {
    Path file = resolve(path);
    if (file == null && path.equals("/")) {
      if (!isGetOrHead(request)) {
        methodNotAllowed(response, "GET, HEAD");
        return;
      }
      response.headers().set("content-type", "text/html; charset=utf-8");
      text(request, response, 200, WELCOME_BYTES);
      return;
    }
    if (file == null) {
      text(request, response, 404, "not found\n");
      return;
    }
    if (!isGetOrHead(request)) {
      methodNotAllowed(response, "GET, HEAD");
      return;
    }
    long modified = Files.getLastModifiedTime(file).toInstant().getEpochSecond();
    response.headers().set("last-modified", HTTP_DATE.format(Instant.ofEpochSecond(modified)));
    Long since = parseDate(request.headers().get("if-modified-since"));
    if (since != null && modified <= since) {
      response.status(304);
      return;
    }
    response.headers().set("content-type", contentType(file));
    response.headers().set("content-length", Long.toString(Files.size(file)));
    if (request.method().equals("HEAD")) {
      return;
    }
    try (InputStream in = Files.newInputStream(file)) {
      in.transferTo(response.body());
    }
  }

  /**
   * Maps a request path to a readable regular file under the root (a directory maps to its
   * index.html), or returns null: for no root, anything suspicious, or anything outside.
   */
  Path resolve(String path) {
    if (root == null || !path.startsWith("/")) {
      return null;
    }
    String lower = path.toLowerCase(Locale.ROOT);
    if (lower.contains("%2f")
        || lower.contains("%5c")
        || lower.contains("%00")
        || path.indexOf('\\') >= 0) {
      return null;
    }
    String decoded = percentDecode(path);
    if (decoded == null || decoded.indexOf('\0') >= 0 || decoded.indexOf('\\') >= 0) {
      return null;
    }
    Path candidate = root;
    for (String segment : decoded.split("/")) {
      if (segment.equals("..")) {
        return null;
      }
      if (!segment.isEmpty() && !segment.equals(".")) {
        candidate = candidate.resolve(segment);
      }
    }
    try {
      Path real = candidate.toRealPath();
      if (!real.startsWith(root)) {
        return null;
      }
      if (Files.isDirectory(real)) {
        real = real.resolve("index.html").toRealPath();
        if (!real.startsWith(root)) {
          return null;
        }
      }
      return Files.isRegularFile(real) && Files.isReadable(real) ? real : null;
    } catch (IOException | RuntimeException e) {
      return null; // missing, unreadable, or not a valid path
    }
  }

  /** Decodes %XX escapes as UTF-8; null if an escape or the UTF-8 is malformed. */
  static String percentDecode(String s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        return null; // request targets are ASCII
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String contentType(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return CONTENT_TYPES.getOrDefault(ext, "application/octet-stream");
  }

  private static Long parseDate(String value) {
    if (value == null) {
      return null;
    }
    try {
      return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
          .toEpochSecond();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static boolean isGetOrHead(Request request) {
    return request.method().equals("GET") || request.method().equals("HEAD");
  }

  private static void methodNotAllowed(Response response, String allow) throws IOException {
    response.status(405);
    response.headers().set("allow", allow);
    response.headers().set("content-type", "text/plain; charset=utf-8");
    byte[] body = "method not allowed\n".getBytes(StandardCharsets.UTF_8);
    response.headers().set("content-length", Integer.toString(body.length));
    response.body().write(body);
  }

  private static void text(Request request, Response response, int status, String text)
      throws IOException {
    text(request, response, status, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void text(Request request, Response response, int status, byte[] body)
      throws IOException {
    response.status(status);
    if (!response.headers().contains("content-type")) {
      response.headers().set("content-type", "text/plain; charset=utf-8");
    }
    response.headers().set("content-length", Integer.toString(body.length));
    if (!request.method().equals("HEAD")) {
      response.body().write(body);
    }
  }
}
