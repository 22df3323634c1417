package dev.h2mux.server.demo;

import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * What any client may make the demo spend, and the one shared budget: requests that wait (delays,
 * drips, slow reads, pings) are capped per server, so an anonymous client can hold at most that
 * many waiting threads and each for a bounded time. The index page lists these values.
 */
final class Limits {
  /** The largest {@code /bytes/N}: 1 GiB. */
  static final long MAX_BYTES = 1L << 30;

  /** The largest {@code /range/N}: 1 GiB. */
  static final long MAX_RANGE_BYTES = 1L << 30;

  /** The longest any endpoint waits on purpose: {@code /delay}, {@code /drip}, {@code /stream}. */
  static final int MAX_WAIT_MILLIS = 10_000;

  /** The most chunks of {@code /stream/N}. */
  static final int MAX_STREAM_CHUNKS = 1000;

  /** The longest pause between two {@code /stream} chunks. */
  static final int MAX_STREAM_INTERVAL_MILLIS = 1000;

  /** The most bytes {@code /drip} sends. */
  static final int MAX_DRIP_BYTES = 1 << 20;

  /** The most separate writes {@code /drip} makes; larger drips send several bytes each time. */
  static final int MAX_DRIPS = 1000;

  /** The longest redirect chain of {@code /redirect/N}. */
  static final int MAX_REDIRECTS = 20;

  /** The longest {@code /redirect-to?url=}. */
  static final int MAX_URL_LENGTH = 2048;

  /** The largest response header section of {@code /headers-big}, in KiB. */
  static final int MAX_HEADERS_KIB = 128;

  /** The most PINGs one {@code /ping} sends, and how long it waits for each ACK. */
  static final int MAX_PINGS = 10;

  static final int PING_TIMEOUT_MILLIS = 5000;

  /** How many more streams {@code /goaway?after=N} may wait for. */
  static final int MAX_GOAWAY_AFTER = 1000;

  /** The largest request body the inspection endpoints read (and hash). */
  static final long MAX_BODY_BYTES = 64L << 20;

  /** {@code /slow-window}: the read rate range in bytes per second, and its longest read. */
  static final int MIN_READ_RATE = 1024;

  static final int MAX_READ_RATE = 16 << 20;
  static final int MAX_SLOW_READ_MILLIS = 30_000;

  /** {@code /trailers}: the most trailer fields, and their total size in bytes. */
  static final int MAX_TRAILERS = 32;

  static final int MAX_TRAILER_BYTES = 8192;

  /** Requests that wait on purpose, at once, per server; more get 503. */
  static final int MAX_WAITING_REQUESTS = 256;

  private final Semaphore waiting;

  Limits() {
    this(MAX_WAITING_REQUESTS);
  }

  /** With room for {@code maxWaiting} waiting requests instead of the usual number; for tests. */
  Limits(int maxWaiting) {
    this.waiting = new Semaphore(maxWaiting);
  }

  /** Takes a slot for a request that waits; false if all are taken. */
  boolean tryStartWaiting() {
    return waiting.tryAcquire();
  }

  /** Gives back a slot taken by {@link #tryStartWaiting}. */
  void stopWaiting() {
    waiting.release();
  }

  /** What the index page shows: one line per limit. */
  static List<String> describe() {
    return List.of(
        "Requests that wait on purpose (/delay, /drip, /stream, /slow-window, /ping): at most "
            + MAX_WAITING_REQUESTS
            + " at once per server (more get 503), none longer than "
            + MAX_WAIT_MILLIS / 1000
            + " s ("
            + MAX_SLOW_READ_MILLIS / 1000
            + " s for /slow-window).",
        "Bodies the inspection endpoints read and hash: at most "
            + (MAX_BODY_BYTES >> 20)
            + " MiB (more get 413).",
        "/bytes/N and /range/N: at most " + (MAX_BYTES >> 30) + " GiB, streamed.",
        "/stream/N: at most "
            + MAX_STREAM_CHUNKS
            + " chunks; /drip: at most "
            + MAX_DRIP_BYTES
            + " bytes in "
            + MAX_DRIPS
            + " writes.",
        "/redirect/N: at most "
            + MAX_REDIRECTS
            + "; /redirect-to: same origin only, URL at most "
            + MAX_URL_LENGTH
            + " characters.",
        "/headers-big: at most "
            + MAX_HEADERS_KIB
            + " KiB, and never more than the client's SETTINGS_MAX_HEADER_LIST_SIZE.",
        "/ping: at most "
            + MAX_PINGS
            + " PINGs, "
            + PING_TIMEOUT_MILLIS / 1000
            + " s for each ACK; /trailers: at most "
            + MAX_TRAILERS
            + " fields, "
            + MAX_TRAILER_BYTES
            + " bytes.",
        "Everything else is the server's: request headers at most 16 KiB, 128 streams per"
            + " connection, 60 s idle timeout, flow-control windows of 1 MiB per stream.");
  }
}
