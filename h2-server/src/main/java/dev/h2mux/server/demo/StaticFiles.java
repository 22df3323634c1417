package dev.h2mux.server.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * Static files from the {@code --dir} directory, for paths no endpoint claims. Paths never escape
 * the directory: {@code ..} segments (also percent-encoded), encoded slashes and backslashes, NUL,
 * and symbolic links that resolve outside all answer 404.
 */
final class StaticFiles {
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

  private final Path root;

  /**
   * @param dir the directory to serve, or null for none
   * @throws IOException if the directory's real path cannot be resolved
   */
  StaticFiles(Path dir) throws IOException {
    this.root = dir == null ? null : dir.toRealPath();
  }

  /**
   * Serves the file for {@code x.path}; false (nothing sent) if there is none. Only GET and HEAD
   * read files; other methods get 405.
   */
  boolean serve(DemoExchange x) throws IOException {
    Path file = resolve(x.path);
    if (file == null) {
      return false;
    }
    if (!x.request.method().equals("GET") && !x.isHead()) {
      x.methodNotAllowed("GET, HEAD");
      return true;
    }
    long modified = Files.getLastModifiedTime(file).toInstant().getEpochSecond();
    x.response
        .headers()
        .set("last-modified", Conditional.HTTP_DATE.format(Instant.ofEpochSecond(modified)));
    Instant since = Conditional.parseDate(x.request.headers().get("if-modified-since"));
    if (since != null && modified <= since.getEpochSecond()) {
      x.response.status(304);
      return true;
    }
    x.response.headers().set("content-type", contentType(file));
    x.response.headers().set("content-length", Long.toString(Files.size(file)));
    if (!x.isHead()) {
      try (InputStream in = Files.newInputStream(file)) {
        in.transferTo(x.body());
      }
    }
    return true;
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

  /**
   * Decodes %XX escapes (ASCII hex digits only) as UTF-8; null if an escape or the UTF-8 is
   * malformed, or the path is not ASCII.
   */
  static String percentDecode(String s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Params.hexDigit(s.charAt(i + 1));
        int lo = Params.hexDigit(s.charAt(i + 2));
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
}
