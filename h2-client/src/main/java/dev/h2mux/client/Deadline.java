package dev.h2mux.client;

import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * When one request's response timeout runs out: every wait on its way to the response head (a
 * pooled connection, another request's connect, a stream slot, the head itself) takes what is left,
 * so the timeout bounds the whole exchange rather than each step.
 */
final class Deadline {
  private static final Deadline NONE = new Deadline(null, 0);

  private final Duration timeout;
  private final long at;

  private Deadline(Duration timeout, long at) {
    this.timeout = timeout;
    this.at = at;
  }

  /** A deadline {@code timeout} from now; none if {@code timeout} is null. */
  static Deadline after(Duration timeout) {
    return timeout == null ? NONE : new Deadline(timeout, System.nanoTime() + timeout.toNanos());
  }

  boolean isSet() {
    return timeout != null;
  }

  /** Nanoseconds left, at most 0 once passed; {@link Long#MAX_VALUE} without a deadline. */
  long remainingNanos() {
    return timeout == null ? Long.MAX_VALUE : at - System.nanoTime();
  }

  /** Milliseconds left for a socket timeout: at least 1 (0 means none to a socket), 0 if unset. */
  int remainingMillis() {
    if (timeout == null) return 0;
    long millis = Math.ceilDiv(remainingNanos(), 1_000_000L);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
  }

  /** The failure for a wait cut short: names what did not happen and the timeout. */
  SocketTimeoutException exceeded(String what) {
    return new SocketTimeoutException(
        what + " within the response timeout of " + timeout.toMillis() + " ms");
  }
}
