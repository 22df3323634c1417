package dev.h2mux.client.cli;

import dev.h2mux.client.TraceEvent;
import dev.h2mux.client.TraceListener;
import dev.h2mux.core.HttpFields;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The {@code -v} output on standard error, as curl's: {@code *} lines for what the client does, the
 * head of each request as it is sent prefixed with {@code > } and of each response as it arrives
 * with {@code < } (every hop of a followed redirect, the interim heads of HTTP/1.1, a proxy's
 * answer to {@code CONNECT}), each ending in a bare {@code > } or {@code < } line. Beside them, the
 * HTTP/2 frames in nghttp's style: a timestamp, the connection, {@code send} or {@code recv}, and
 * the frame as {@link dev.h2mux.core.frame.FrameLog} describes it.
 */
final class VerbosePrinter implements TraceListener {
  private final PrintStream err;
  private final LongSupplier clock;
  private final long start;
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * @param err where the lines go
   * @param clock nanoseconds, as {@link System#nanoTime}, for the wire trace's timestamps
   */
  VerbosePrinter(PrintStream err, LongSupplier clock) {
    this.err = err;
    this.clock = clock;
    this.start = clock.getAsLong();
  }

  /** Called by the client's threads, each event as it happens. */
  @Override
  public void trace(TraceEvent event) {
    switch (event) {
      case TraceEvent.Info info -> trace(info.connection(), Direction.INFO, info.text());
      case TraceEvent.Frame frame ->
          trace(frame.connection(), frame.direction(), frame.lines().get(0));
      case TraceEvent.Request request -> print(prefixed("> ", request.lines()));
      case TraceEvent.Response response -> print(prefixed("< ", response.lines()));
    }
  }

  /**
   * One line: a {@code *} line for {@link Direction#INFO}, else a wire line, {@code [ 0.012]
   * [127.0.0.1:8080#1] send SETTINGS 0 ...}.
   */
  @Override
  public void trace(String connection, Direction direction, String event) {
    if (direction == Direction.INFO) {
      print("* [" + connection + "] " + event + "\n");
      return;
    }
    String line =
        " [" + connection + "] " + (direction == Direction.OUT ? "send " : "recv ") + event;
    lock.lock();
    try {
      print(timestamp() + line + "\n"); // taken under the lock: the times go up line by line
    } finally {
      lock.unlock();
    }
  }

  /** A {@code *} line of the CLI's own. */
  void info(String text) {
    print("* " + text + "\n");
  }

  /** The trailer fields, after the body. */
  void trailers(HttpFields trailers) {
    if (!trailers.isEmpty()) print(prefixed("< ", HeadText.trailers(trailers)));
  }

  private static String prefixed(String prefix, String head) {
    StringBuilder sb = new StringBuilder(head.length() + 64);
    int from = 0;
    for (int eol; (eol = head.indexOf("\r\n", from)) >= 0; from = eol + 2) {
      sb.append(prefix).append(head, from, eol + 2);
    }
    return sb.toString();
  }

  /** Each line after {@code prefix}, in CRLF, then the bare prefix that ends a head. */
  private static String prefixed(String prefix, List<String> lines) {
    StringBuilder sb = new StringBuilder(256);
    for (String line : lines) sb.append(prefix).append(line).append("\r\n");
    return sb.append(prefix).append("\r\n").toString();
  }

  private String timestamp() {
    long millis = Math.max(0, clock.getAsLong() - start) / 1_000_000;
    return String.format(Locale.ROOT, "[%3d.%03d]", millis / 1000, millis % 1000);
  }

  private void print(String text) {
    lock.lock();
    try {
      err.print(text);
      err.flush();
    } finally {
      lock.unlock();
    }
  }
}
