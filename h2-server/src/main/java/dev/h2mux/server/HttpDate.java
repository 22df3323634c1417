package dev.h2mux.server;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The IMF-fixdate for the Date header (RFC 9110 §5.6.7), formatted at most once a second. */
final class HttpDate {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private record Cached(long second, String text) {}

  private static volatile Cached cached = new Cached(-1, "");

  private HttpDate() {}

  /** The current time as an IMF-fixdate, such as {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
  static String now() {
    long second = System.currentTimeMillis() / 1000;
    Cached c = cached;
    if (c.second() != second) {
      c = new Cached(second, FORMAT.format(Instant.ofEpochSecond(second)));
      cached = c;
    }
    return c.text();
  }
}
