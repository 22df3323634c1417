package dev.h2mux.core.engine;

import java.time.Duration;

/**
 * How much a peer may do that only an attacker does often; see docs/SECURITY.md for each attack,
 * the defaults and why.
 *
 * @param handshakeTimeout how long a new connection may take to deliver the client preface (server
 *     side) and its first SETTINGS before it is closed
 * @param resetBurst streams the peer may reset at once before their response is complete
 * @param resetsPerSecond such resets allowed per second over time
 * @param noOpFrameBurst frames that do nothing (DATA without payload or END_STREAM, empty header
 *     block fragments, empty SETTINGS, PRIORITY, unknown types, WINDOW_UPDATE for no known stream)
 *     and frames we must answer with a stream error, allowed at once
 * @param noOpFramesPerSecond such frames allowed per second over time
 */
public record AbuseLimits(
    Duration handshakeTimeout,
    int resetBurst,
    int resetsPerSecond,
    int noOpFrameBurst,
    int noOpFramesPerSecond) {

  /** 10 s handshake; 256 resets at once then 32/s; 100 no-op frames at once then 10/s. */
  public static final AbuseLimits DEFAULTS =
      new AbuseLimits(Duration.ofSeconds(10), 256, 32, 100, 10);

  /**
   * Checks the limits.
   *
   * @throws IllegalArgumentException for a timeout that is not positive, a burst below 1 or a
   *     negative rate
   */
  public AbuseLimits {
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException("handshakeTimeout must be positive");
    }
    if (resetBurst < 1 || resetsPerSecond < 0 || noOpFrameBurst < 1 || noOpFramesPerSecond < 0) {
      throw new IllegalArgumentException("bursts must be at least 1, rates at least 0");
    }
  }

  /**
   * {@return these limits with another handshake timeout}
   *
   * @param value how long the preface and first SETTINGS may take
   */
  public AbuseLimits withHandshakeTimeout(Duration value) {
    return new AbuseLimits(value, resetBurst, resetsPerSecond, noOpFrameBurst, noOpFramesPerSecond);
  }

  /**
   * {@return these limits with another budget of streams reset before their response}
   *
   * @param burst resets allowed at once
   * @param perSecond resets allowed per second over time
   */
  public AbuseLimits withResets(int burst, int perSecond) {
    return new AbuseLimits(handshakeTimeout, burst, perSecond, noOpFrameBurst, noOpFramesPerSecond);
  }

  /**
   * {@return these limits with another budget of frames that do nothing}
   *
   * @param burst such frames allowed at once
   * @param perSecond such frames allowed per second over time
   */
  public AbuseLimits withNoOpFrames(int burst, int perSecond) {
    return new AbuseLimits(handshakeTimeout, resetBurst, resetsPerSecond, burst, perSecond);
  }
}
