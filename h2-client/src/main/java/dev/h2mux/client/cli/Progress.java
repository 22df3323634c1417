package dev.h2mux.client.cli;

import java.io.PrintStream;

/** A one-line download meter on a terminal: bytes, percentage when the size is known, rate. */
final class Progress {
  private static final long INTERVAL_NANOS = 200_000_000L;
  private final PrintStream err;
  private final long total;
  private final long start = System.nanoTime();
  private long done;
  private long lastPrint;

  Progress(PrintStream err, long total) {
    this.err = err;
    this.total = total;
  }

  void advance(long n) {
    done += n;
    long now = System.nanoTime();
    if (now - lastPrint >= INTERVAL_NANOS) {
      lastPrint = now;
      print(now);
    }
  }

  void finish() {
    print(System.nanoTime());
    err.println();
  }

  private void print(long now) {
    double seconds = Math.max(1e-3, (now - start) / 1e9);
    String rate = size((long) (done / seconds)) + "/s";
    String line = total > 0
        ? String.format("\r%5.1f%%  %s of %s  %s   ", 100.0 * done / total, size(done), size(total), rate)
        : String.format("\r%s  %s   ", size(done), rate);
    err.print(line);
    err.flush();
  }

  static String size(long bytes) {
    if (bytes < 1024) return bytes + " B";
    if (bytes < 1024 * 1024) return String.format("%.1f KiB", bytes / 1024.0);
    if (bytes < 1024L * 1024 * 1024) return String.format("%.1f MiB", bytes / 1048576.0);
    return String.format("%.2f GiB", bytes / 1073741824.0);
  }
}
