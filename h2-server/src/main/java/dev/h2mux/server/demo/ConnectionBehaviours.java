package dev.h2mux.server.demo;

import dev.h2mux.core.HttpFields;
import dev.h2mux.server.Connection;
import dev.h2mux.server.Http2ErrorCode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code /goaway} and {@code /ping}: what a connection does on purpose. Each touches only the
 * connection the request came on.
 */
final class ConnectionBehaviours {
  private ConnectionBehaviours() {}

  /**
   * {@code /goaway?after=N&code=NO_ERROR}: once the connection has accepted {@code N} more streams,
   * GOAWAY with {@code code} and the last of them, then the graceful close: streams up to it are
   * answered, later ones are left for the client to retry. HTTP/1.1 has no GOAWAY: the connection
   * closes after {@code N} more requests, the last answered with {@code Connection: close}.
   */
  static void goAway(DemoExchange x) throws IOException, BadRequestException {
    x.params.allowOnly("/goaway", "after", "code");
    int after = (int) x.params.integer("after", 0, Limits.MAX_GOAWAY_AFTER, 0);
    Http2ErrorCode code = x.params.errorCode("code", Http2ErrorCode.NO_ERROR);
    x.request.connection().goAway(code, after);
    String when = after == 0 ? "now" : "once " + after + " more streams have been accepted";
    x.text(
        200,
        x.isHttp2()
            ? "GOAWAY("
                + code
                + ") "
                + when
                + " on this connection; streams up to its last"
                + " stream id are answered, then the connection closes\n"
            : "HTTP/1.1 has no GOAWAY: this connection closes after "
                + after
                + " more requests, the last answered with Connection: close\n");
  }

  /**
   * {@code /ping?count=N}: sends the head, then {@code N} PING frames one after another, a body
   * line for each round trip, and the round trips in the trailer {@code x-ping-rtt-ms}. HTTP/2
   * only: HTTP/1.1 has no PING, and gets 400.
   */
  static void ping(DemoExchange x) throws IOException, BadRequestException {
    x.params.allowOnly("/ping", "count");
    int count = (int) x.params.integer("count", 1, Limits.MAX_PINGS, 3);
    Connection connection = x.request.connection();
    if (!connection.protocol().equals("HTTP/2")) {
      throw new BadRequestException(
          "/ping sends HTTP/2 PING frames; this request came over "
              + x.request.protocol()
              + ", which has none (try curl --http2-prior-knowledge)");
    }
    x.response.headers().set("content-type", "text/plain; charset=utf-8");
    OutputStream out = x.body();
    out.flush(); // the head first: the PINGs happen during the response
    List<String> rtts = new ArrayList<>();
    long deadline = System.nanoTime() + Limits.MAX_WAIT_MILLIS * 1_000_000L;
    boolean answered = true;
    for (int i = 1; i <= count && answered; i++) { // no answer now means none later
      String line;
      try {
        // each ACK gets its timeout, and all of them together the endpoints' longest wait
        long wait = Math.min(Limits.PING_TIMEOUT_MILLIS * 1_000_000L, deadline - System.nanoTime());
        Duration rtt = connection.ping().get(Math.max(0, wait), TimeUnit.NANOSECONDS);
        String millis = String.format(Locale.ROOT, "%.3f", rtt.toNanos() / 1e6);
        rtts.add(millis);
        line = "PING " + i + ": round trip " + millis + " ms\n";
      } catch (TimeoutException e) {
        answered = false;
        rtts.add("timeout");
        line = "PING " + i + ": no ACK in time\n";
      } catch (ExecutionException e) {
        answered = false;
        rtts.add("failed");
        line = "PING " + i + ": failed: " + e.getCause() + "\n";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted waiting for a PING ACK");
      }
      out.write(line.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    x.response.trailers(HttpFields.of("x-ping-rtt-ms", String.join(", ", rtts)));
  }
}
