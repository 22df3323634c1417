package dev.h2mux.client;

import dev.h2mux.client.ConnectTimeoutException.Step;
import java.time.Duration;

/**
 * The one connect timeout of a connection being opened: each step (the name lookup, each address,
 * the proxy's tunnel, TLS, the HTTP/2 preface) waits for what is left of it, so the timeout bounds
 * the whole connect rather than each step, as curl's {@code --connect-timeout} does.
 */
final class ConnectBudget {
  private final long timeoutMillis;
  private final long deadline;

  private ConnectBudget(Duration timeout) {
    this.timeoutMillis = timeout.toMillis();
    this.deadline = System.nanoTime() + timeout.toNanos();
  }

  /** A budget of {@code timeout}, starting now. */
  static ConnectBudget start(Duration timeout) {
    return new ConnectBudget(timeout);
  }

  /** Nanoseconds left; 0 or less once spent. */
  long remainingNanos() {
    return deadline - System.nanoTime();
  }

  /**
   * Milliseconds left for a socket timeout, at least 1 (0 would mean none).
   *
   * @param step the step about to wait
   * @param what that step, for people: {@code resolving example.com}
   * @throws ConnectTimeoutException if nothing is left
   */
  int remainingMillis(Step step, String what) throws ConnectTimeoutException {
    long nanos = remainingNanos();
    if (nanos <= 0) throw exceeded(step, what);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceilDiv(nanos, 1_000_000L)));
  }

  /**
   * What one of several addresses may take: half of what is left, so that a silent address leaves
   * time for the next one (curl does the same); the last address takes all of it.
   */
  int perAddressMillis(String what, boolean last) throws ConnectTimeoutException {
    int left = remainingMillis(Step.CONNECT, what);
    return last ? left : Math.max(1, left / 2);
  }

  /** The failure when {@code step} was under way as the time ran out. */
  ConnectTimeoutException exceeded(Step step, String what) {
    return new ConnectTimeoutException(
        what + " did not finish within the connect timeout of " + timeoutMillis + " ms", step);
  }
}
