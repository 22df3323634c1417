package dev.h2mux.core.engine;

/**
 * A token bucket for what a peer may do often only if it is abusing us: reset streams it just
 * opened (the "rapid reset" attack, CVE-2023-44487) or send frames that do nothing (empty-frame
 * floods, CVE-2019-9518). It allows a burst, then a steady rate; past it the connection ends with
 * ENHANCE_YOUR_CALM. Used only by the reader thread.
 */
final class RateBudget {
  private final double capacity;
  private final double refillPerNano;
  private double tokens;
  private long last;

  /**
   * @param burst events allowed at once
   * @param perSecond events allowed per second over time
   */
  RateBudget(int burst, int perSecond) {
    this(burst, perSecond, System.nanoTime());
  }

  RateBudget(int burst, int perSecond, long nowNanos) {
    this.capacity = burst;
    this.tokens = burst;
    this.refillPerNano = perSecond / 1e9;
    this.last = nowNanos;
  }

  /** Spends one token; false when the budget is exhausted. */
  boolean take() {
    return take(System.nanoTime());
  }

  /** Gives one token back (up to the burst), for work that shows the peer is not only abusing. */
  void earn() {
    tokens = Math.min(capacity, tokens + 1);
  }

  boolean take(long nowNanos) {
    tokens = Math.min(capacity, tokens + Math.max(0, nowNanos - last) * refillPerNano);
    last = nowNanos;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  }
}
