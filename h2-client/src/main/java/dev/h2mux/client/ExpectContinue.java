package dev.h2mux.client;

import dev.h2mux.core.http1.Http1Exception;
import dev.h2mux.core.http1.Http1ResponseHead;
import java.io.IOException;
import java.net.SocketTimeoutException;

/**
 * The client's side of {@code Expect: 100-continue} over HTTP/1.1 (RFC 9110 §10.1.1): with the head
 * sent, the body waits for the server's {@code 100 Continue}, at most {@link #WAIT_MILLIS} (as
 * curl's default {@code --expect100-timeout}), then goes anyway, as the RFC lets a client do for a
 * server that ignores the expectation. A final answer that comes first is the response, and the
 * body is not sent; a {@code 417 Expectation Failed} has the request sent again without the
 * expectation (see {@link ExpectationFailedException}).
 */
final class ExpectContinue {
  /** How long a body waits for {@code 100 Continue}. */
  static final int WAIT_MILLIS = 1_000;

  private ExpectContinue() {}

  /**
   * Waits for the server's word on the body.
   *
   * @return null to send the body (a {@code 100} came, or nothing within the wait), or the final
   *     head that answered the request first
   */
  static Http1ResponseHead await(
      Http1Call call, Http1Connection connection, ClientRequest request, Deadline deadline)
      throws IOException {
    long waitUntil = System.nanoTime() + WAIT_MILLIS * 1_000_000L;
    for (boolean first = true; ; first = false) {
      long waitNanos = Math.min(waitUntil - System.nanoTime(), deadline.remainingNanos());
      if (waitNanos <= 0) return null;
      connection.socket.setSoTimeout((int) Math.max(1, Math.ceilDiv(waitNanos, 1_000_000L)));
      try {
        // Without consuming: a head that starts to arrive is then read under the deadline.
        if (!connection.in.awaitData()) return null; // closed: the body's send and read tell
      } catch (SocketTimeoutException silent) {
        return null;
      }
      connection.socket.setSoTimeout(deadline.remainingMillis());
      Http1ResponseHead head = call.nextHead(connection, request, first);
      if (head.status() == 100) return null;
      if (head.status() == 101) throw new Http1Exception(400, "unexpected 101 response");
      if (head.status() >= 200) return head;
      // another interim response (103 Early Hints): still waiting
    }
  }
}
