package dev.h2mux.client;

import dev.h2mux.core.engine.StreamResetException;
import java.io.IOException;

/**
 * Which failed attempts are sent again, on a new stream or connection, within the one deadline of
 * the request. A request the server certainly did not process (REFUSED_STREAM, above a GOAWAY's
 * last stream id; RFC 9113 §8.7) is retried if its body can be sent again; one whose connection was
 * lost before any response may have been processed, so only an idempotent request is retried (RFC
 * 9110 §9.2.2).
 */
final class RetryPolicy {
  /** Attempts for a request the server refused unprocessed. */
  static final int MAX_REFUSED_ATTEMPTS = 5;

  /** Attempts for an idempotent request whose connection was lost before the response. */
  static final int MAX_LOST_ATTEMPTS = 3;

  private RetryPolicy() {}

  /**
   * True if {@code request}, whose attempt number {@code attempt} failed with {@code e}, goes
   * again.
   */
  static boolean shouldRetry(IOException e, ClientRequest request, int attempt) {
    if (e instanceof StreamResetException reset && reset.isRetryable()) {
      return request.isReplayable() && attempt < MAX_REFUSED_ATTEMPTS;
    }
    if (e instanceof ConnectionLostException) {
      return request.isIdempotent() && attempt < MAX_LOST_ATTEMPTS;
    }
    return false;
  }
}
