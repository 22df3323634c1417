package dev.h2mux.client.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line download meter: bytes, percentage when the size is known, and the mean rate since the
 * start. Each update rewrites the line after a carriage return, at most every 200 ms; {@link
 * #finish} writes the final figures and ends the line. The clock is a parameter so that the output
 * can be tested without a terminal or real time.
 */
final class Progress {
  static final long INTERVAL_NANOS = 200_000_000L;
  private final Writer out;
  private final long total;
  private final LongSupplier clock;
  private final long start;
  private long done;
  private long lastPrint;

  /**
   * @param out where the line goes (standard error on a terminal)
   * @param total the expected size in bytes, or 0 or less if unknown
   * @param clock nanoseconds, as {@link System#nanoTime}
   */
  Progress(Writer out, long total, LongSupplier clock) {
    this.out = out;
    this.total = total;
    this.clock = clock;
    this.start = clock.getAsLong();
    this.lastPrint = start - INTERVAL_NANOS; // the first bytes show at once
  }

  /** Counts {@code n} more bytes received; redraws the line if the interval passed. */
  void advance(long n) {
    done += n;
    long now = clock.getAsLong();
    if (now - lastPrint >= INTERVAL_NANOS) {
      lastPrint = now;
      print(now);
    }
  }

  /** Draws the final figures and ends the line. */
  void finish() {
    print(clock.getAsLong());
    write(System.lineSeparator());
  }

  private void print(long now) {
    write("\r" + line(done, total, now - start) + "   ");
  }

  /** The meter's text for {@code done} of {@code total} bytes after {@code elapsedNanos}. */
  static String line(long done, long total, long elapsedNanos) {
    double seconds = Math.max(1e-3, elapsedNanos / 1e9);
    String rate = size((long) (done / seconds)) + "/s";
    return total > 0
        ? String.format(
            Locale.ROOT,
            "%5.1f%%  %s of %s  %s",
            100.0 * done / total,
            size(done),
            size(total),
            rate)
        : size(done) + "  " + rate;
  }

  private void write(String text) {
    try {
      out.write(text);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A byte count in B, KiB, MiB or GiB, with a decimal point whatever the locale. */
  static String size(long bytes) {
    if (bytes < 1024) return bytes + " B";
    if (bytes < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
    return String.format(Locale.ROOT, "%.2f GiB", bytes / 1073741824.0);
  }
}
