package dev.h2mux.client.cli;

import dev.h2mux.client.ClientRequest;
import dev.h2mux.client.ClientResponse;
import dev.h2mux.client.TraceListener;
import dev.h2mux.core.HttpFields;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The {@code -v} output on standard error, as curl's: {@code *} lines for what the client does, the
 * request head prefixed with {@code > } and the response head with {@code < }, each ending in a
 * bare {@code > } or {@code < } line. Beside them, the wire trace in nghttp's style: a timestamp,
 * the connection, {@code send} or {@code recv}, and each HTTP/2 frame (or HTTP/1.1 head line) as
 * the client library describes it.
 *
 * <p>The client reports a request's head only through the response (its trace has the HEADERS frame
 * but not the fields), so the {@code >} block is printed when the response head arrives, right
 * before the {@code <} block.
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

  /** Called by the client's connection threads. */
  @Override
  public void trace(String connection, Direction direction, String event) {
    String line =
        switch (direction) {
          case INFO -> "* [" + connection + "] " + event;
          case OUT, IN ->
              timestamp() + " [" + connection + "] " + wireVerb(direction) + " " + event;
        };
    print(line + "\n");
  }

  private static String wireVerb(Direction direction) {
    return direction == Direction.OUT ? "send" : "recv";
  }

  /** A {@code *} line of the CLI's own. */
  void info(String text) {
    print("* " + text + "\n");
  }

  /**
   * The request as sent, and the response head that answered it. After followed redirects (whose
   * heads the client library does not report) a {@code *} line between them says where the response
   * came from.
   */
  void exchange(ClientRequest request, ClientResponse response, boolean absoluteForm) {
    int redirects = response.info().redirects();
    String followed =
        redirects == 0
            ? ""
            : "* Followed "
                + redirects
                + (redirects == 1 ? " redirect" : " redirects")
                + "; the response is from "
                + response.uri()
                + "\n";
    print(
        prefixed("> ", HeadText.request(request, response.protocol(), absoluteForm))
            + followed
            + prefixed("< ", HeadText.response(response)));
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
