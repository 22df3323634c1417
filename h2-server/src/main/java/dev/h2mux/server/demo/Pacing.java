package dev.h2mux.server.demo;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * {@code /delay/{ms}}, {@code /stream/{n}} and {@code /drip}: responses that take their time, each
 * bounded by {@link Limits#MAX_WAIT_MILLIS}.
 */
final class Pacing {
  private Pacing() {}

  /** {@code /delay/{ms}}: waits, then answers like {@code /anything}. */
  static void delay(DemoExchange x) throws IOException, BadRequestException {
    long millis = Params.integer("/delay/{ms}", x.tail, 0, Limits.MAX_WAIT_MILLIS);
    long start = System.nanoTime();
    Inspection.BodyDigest body = Inspection.readBody(x);
    sleepUntil(start + millis * 1_000_000);
    JsonWriter json = new JsonWriter().beginObject().member("delay_ms", millis);
    Inspection.describe(x, json, body);
    x.json(200, json.endObject());
  }

  /**
   * {@code /stream/{n}?interval=ms}: {@code n} lines of JSON, each flushed on its own, so each is
   * one HTTP/2 DATA frame (the last one carries END_STREAM) or one HTTP/1.1 chunk.
   */
  static void stream(DemoExchange x) throws IOException, BadRequestException {
    x.params.allowOnly("/stream/{n}", "interval");
    int n = (int) Params.integer("/stream/{n}", x.tail, 1, Limits.MAX_STREAM_CHUNKS);
    long interval = x.params.integer("interval", 0, Limits.MAX_STREAM_INTERVAL_MILLIS, 0);
    if (n * interval > Limits.MAX_WAIT_MILLIS) {
      throw new BadRequestException(
          "/stream/{n} takes at most "
              + Limits.MAX_WAIT_MILLIS
              + " ms: n x interval must not exceed it, got "
              + n
              + " x "
              + interval);
    }
    x.response.headers().set("content-type", "application/x-ndjson");
    if (x.isHead()) {
      return;
    }
    OutputStream out = x.body();
    long start = System.nanoTime();
    for (int i = 1; i <= n; i++) {
      if (i > 1) {
        sleepUntil(start + (i - 1) * interval * 1_000_000);
      }
      JsonWriter line = new JsonWriter().beginInlineObject().member("chunk", i).member("of", n);
      out.write(line.endObject().utf8());
      if (i < n) {
        out.flush(); // the last chunk goes out with the end of the stream
      }
    }
  }

  /**
   * {@code /drip?bytes=N&duration=ms}: the head at once, then {@code N} bytes of {@code *} spread
   * evenly over the duration, in at most {@link Limits#MAX_DRIPS} writes, each flushed.
   */
  static void drip(DemoExchange x) throws IOException, BadRequestException {
    x.params.allowOnly("/drip", "bytes", "duration");
    int bytes = (int) x.params.integer("bytes", 0, Limits.MAX_DRIP_BYTES, 10);
    long duration = x.params.integer("duration", 0, Limits.MAX_WAIT_MILLIS, 2000);
    x.response.headers().set("content-type", "application/octet-stream");
    x.response.headers().set("content-length", Integer.toString(bytes));
    if (x.isHead() || bytes == 0) {
      return;
    }
    OutputStream out = x.body();
    out.flush(); // the head now: the client sees the response begin before the first drip
    int drips = Math.min(bytes, Limits.MAX_DRIPS);
    byte[] stars = new byte[bytes / drips + 1];
    Arrays.fill(stars, (byte) '*');
    long start = System.nanoTime();
    for (int i = 0; i < drips; i++) {
      sleepUntil(start + duration * 1_000_000 * (i + 1) / drips);
      out.write(stars, 0, bytes / drips + (i < bytes % drips ? 1 : 0));
      out.flush();
    }
  }

  /** Sleeps until {@link System#nanoTime()} reaches {@code deadline}. */
  static void sleepUntil(long deadline) throws InterruptedIOException {
    try {
      for (long left; (left = deadline - System.nanoTime()) > 0; ) {
        Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the server is closing
      throw new InterruptedIOException("interrupted while waiting");
    }
  }
}
