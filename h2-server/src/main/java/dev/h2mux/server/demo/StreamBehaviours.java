package dev.h2mux.server.demo;

import dev.h2mux.core.HttpFields;
import dev.h2mux.server.Connection;
import dev.h2mux.server.Http2ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * {@code /reset}, {@code /headers-big} and {@code /slow-window}: one stream misbehaving on purpose,
 * in ways real servers do. Each touches only its own stream.
 */
final class StreamBehaviours {
  /** Each {@code /headers-big} field counts exactly 1 KiB in a header list (RFC 9113 §6.5.2). */
  private static final int FIELD_SIZE = 1024;

  /** The per-field overhead RFC 9113 §6.5.2 adds to name and value lengths. */
  private static final int FIELD_OVERHEAD = 32;

  private StreamBehaviours() {}

  /**
   * {@code /reset?code=CANCEL&after=N}: with {@code after}, a 200 head and {@code N} body bytes,
   * then the stream is reset with {@code code}; without, the reset is the only answer. HTTP/1.1 has
   * no resets: the connection is closed instead, cutting the (chunked) body short.
   */
  static void reset(DemoExchange x) throws IOException, BadRequestException {
    x.params.allowOnly("/reset", "code", "after");
    Http2ErrorCode code = x.params.errorCode("code", Http2ErrorCode.CANCEL);
    long after = x.params.integer("after", 0, Limits.MAX_BYTES, -1);
    if (after >= 0) {
      x.response.headers().set("content-type", "application/octet-stream");
      Bodies.writePattern(x.body(), after);
      x.body().flush(); // commits the head even for after=0
    }
    x.response.reset(code);
  }

  /**
   * {@code /headers-big?kb=N}: a response whose header list is about N KiB more than usual: fields
   * {@code x-big-0001} … each of exactly 1 KiB as SETTINGS_MAX_HEADER_LIST_SIZE counts them. Their
   * values are {@code X}s, which HPACK's Huffman code does not shrink, so the field block is about
   * as large and HTTP/2 splits it into HEADERS and CONTINUATION frames. A request over HTTP/2 whose
   * client announced a smaller SETTINGS_MAX_HEADER_LIST_SIZE gets 400, saying how much fits.
   */
  static void headersBig(DemoExchange x) throws IOException, BadRequestException {
    x.params.allowOnly("/headers-big", "kb");
    int kb = (int) x.params.integer("kb", 1, Limits.MAX_HEADERS_KIB, 32);
    String text = kb + " KiB of response header fields follow the status line: x-big-0001 ...\n";
    HttpFields fields = new HttpFields();
    fields.add("content-type", "text/plain; charset=utf-8");
    fields.add("content-length", Integer.toString(text.length()));
    long baseSize = listSize(fields) + ":status".length() + 3 + FIELD_OVERHEAD;
    Long peerLimit =
        x.request.connection().peerSettings().get(Connection.SETTINGS_MAX_HEADER_LIST_SIZE);
    if (peerLimit != null && baseSize + (long) kb * FIELD_SIZE > peerLimit) {
      long fits = Math.max(0, (peerLimit - baseSize) / FIELD_SIZE);
      throw new BadRequestException(
          "your client's SETTINGS_MAX_HEADER_LIST_SIZE is "
              + peerLimit
              + " bytes: /headers-big?kb="
              + kb
              + " would exceed it; at most kb="
              + fits
              + " fits");
    }
    for (int i = 1; i <= kb; i++) {
      String name = String.format("x-big-%04d", i);
      char[] value = new char[FIELD_SIZE - FIELD_OVERHEAD - name.length()];
      Arrays.fill(value, 'X');
      x.response.headers().add(name, new String(value));
    }
    x.text(200, text);
  }

  /** The size of {@code fields} as RFC 9113 §6.5.2 counts it. */
  static long listSize(HttpFields fields) {
    long size = 0;
    for (int i = 0; i < fields.size(); i++) {
      size += fields.name(i).length() + fields.value(i).length() + FIELD_OVERHEAD;
    }
    return size;
  }

  /**
   * {@code /slow-window?rate=B}: reads the request body at {@code B} bytes per second, so that a
   * fast client fills the flow-control window (HTTP/2: 1 MiB per stream; HTTP/1.1: the TCP window)
   * and must wait for it to open, then answers what it read: size, SHA-256, and the most bytes it
   * found waiting unread. It stops reading after {@link Limits#MAX_SLOW_READ_MILLIS}.
   */
  static void slowWindow(DemoExchange x) throws IOException, BadRequestException {
    x.params.allowOnly("/slow-window", "rate");
    long rate = x.params.integer("rate", Limits.MIN_READ_RATE, Limits.MAX_READ_RATE, 64 << 10);
    int quantum = (int) Math.max(1024, Math.min(64 << 10, rate / 20)); // a read every ~50 ms
    MessageDigest sha256 = Inspection.sha256();
    InputStream in = x.request.body();
    byte[] buffer = new byte[quantum];
    long start = System.nanoTime();
    long deadline = start + Limits.MAX_SLOW_READ_MILLIS * 1_000_000L;
    long read = 0;
    long peakUnread = 0;
    boolean complete = false;
    while (true) {
      // The next read is due once the bytes read so far took their time at the rate.
      long due = start + (long) (read * 1e9 / rate);
      if (due >= deadline) {
        break;
      }
      Pacing.sleepUntil(due);
      peakUnread = Math.max(peakUnread, in.available());
      int n = in.read(buffer);
      if (n < 0) {
        complete = true;
        break;
      }
      sha256.update(buffer, 0, n);
      read += n;
    }
    JsonWriter json =
        new JsonWriter()
            .beginObject()
            .member("bytes", read)
            .member("sha256", HexFormat.of().formatHex(sha256.digest()))
            .member("complete", complete)
            .member("rate", rate)
            .member("elapsed_ms", (System.nanoTime() - start) / 1_000_000)
            .member("peak_unread_bytes", peakUnread);
    x.json(200, json.endObject());
  }
}
