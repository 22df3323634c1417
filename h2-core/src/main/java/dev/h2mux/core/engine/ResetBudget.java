package dev.h2mux.core.engine;

/**
 * A token bucket for streams the peer resets. Opening and at once resetting streams costs the peer
 * two frames and us a handler each (the "rapid reset" attack, CVE-2023-44487); past the budget the
 * connection ends with ENHANCE_YOUR_CALM. Normal clients, which cancel now and then, never get near
 * it. Used only by the reader thread.
 */
final class ResetBudget {
  private final double capacity;
  private final double refillPerNano;
  private double tokens;
  private long last = System.nanoTime();

  /**
   * @param burst resets allowed at once
   * @param perSecond resets allowed per second over time
   */
  ResetBudget(int burst, int perSecond) {
    this.capacity = burst;
    this.tokens = burst;
    this.refillPerNano = perSecond / 1e9;
  }

  /** Spends one token; false when the budget is exhausted. */
  boolean take() {
    long now = System.nanoTime();
    tokens = Math.min(capacity, tokens + (now - last) * refillPerNano);
    last = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  }
}
