package dev.h2mux.core.engine;

import dev.h2mux.core.frame.FrameType;
import java.time.Duration;

/**
 * The limits one end of a connection enforces and advertises. See {@link #DEFAULTS} for the values
 * and docs/DESIGN.md for why.
 *
 * @param maxConcurrentStreams SETTINGS_MAX_CONCURRENT_STREAMS we advertise; streams beyond it are
 *     refused with REFUSED_STREAM
 * @param initialWindowSize SETTINGS_INITIAL_WINDOW_SIZE we advertise: what the peer may send on one
 *     stream before we read it; also the most we buffer per stream
 * @param connectionWindowSize the receive window of the whole connection: the most we buffer per
 *     connection
 * @param maxFrameSize SETTINGS_MAX_FRAME_SIZE we advertise
 * @param maxHeaderListSize SETTINGS_MAX_HEADER_LIST_SIZE we advertise and enforce
 * @param maxQueuedControlFrames control frames (PING/SETTINGS ACKs, RST_STREAM, WINDOW_UPDATE) that
 *     may wait for the socket; a peer that makes us queue more is flooding us
 * @param maxQueuedDataBytes DATA bytes that may wait for the socket before writers block
 * @param idleTimeout a connection without streams for this long is closed, whatever frames without
 *     a stream (PING, SETTINGS, ...) still arrive; a stream whose peer neither sends data nor opens
 *     the window for this long is reset
 * @param abuseLimits how much a peer may do that only an attacker does often
 */
public record Http2Config(
    int maxConcurrentStreams,
    int initialWindowSize,
    int connectionWindowSize,
    int maxFrameSize,
    int maxHeaderListSize,
    int maxQueuedControlFrames,
    int maxQueuedDataBytes,
    Duration idleTimeout,
    AbuseLimits abuseLimits) {

  /** 128 streams, 1 MiB stream window, 16 MiB connection window, 16 KiB frames and header lists. */
  public static final Http2Config DEFAULTS =
      new Http2Config(
          128,
          1 << 20,
          16 << 20,
          FrameType.DEFAULT_MAX_FRAME_SIZE,
          16 << 10,
          10_000,
          4 << 20,
          Duration.ofSeconds(60),
          AbuseLimits.DEFAULTS);

  /**
   * Checks the limits against what RFC 9113 allows and against each other.
   *
   * @throws IllegalArgumentException for a value out of its range
   */
  public Http2Config {
    if (maxConcurrentStreams < 1) throw new IllegalArgumentException("maxConcurrentStreams < 1");
    if (initialWindowSize < 1) throw new IllegalArgumentException("initialWindowSize < 1");
    if (connectionWindowSize < 65_535) {
      throw new IllegalArgumentException("connectionWindowSize below the RFC's 65535");
    }
    if (maxFrameSize < FrameType.DEFAULT_MAX_FRAME_SIZE
        || maxFrameSize > FrameType.MAX_MAX_FRAME_SIZE) {
      throw new IllegalArgumentException("maxFrameSize outside 16384..16777215");
    }
    if (maxHeaderListSize < 1024) throw new IllegalArgumentException("maxHeaderListSize < 1024");
    if (maxQueuedControlFrames < 16)
      throw new IllegalArgumentException("maxQueuedControlFrames < 16");
    if (maxQueuedDataBytes < maxFrameSize) {
      throw new IllegalArgumentException("maxQueuedDataBytes below maxFrameSize");
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive");
    }
    java.util.Objects.requireNonNull(abuseLimits, "abuseLimits");
  }

  /**
   * {@return this config with the concurrent streams we accept set to {@code value}}
   *
   * @param value the new value, checked as the constructor checks it
   */
  public Http2Config withMaxConcurrentStreams(int value) {
    return new Http2Config(
        value,
        initialWindowSize,
        connectionWindowSize,
        maxFrameSize,
        maxHeaderListSize,
        maxQueuedControlFrames,
        maxQueuedDataBytes,
        idleTimeout,
        abuseLimits);
  }

  /**
   * {@return this config with the stream window we advertise set to {@code value}}
   *
   * @param value the new value, checked as the constructor checks it
   */
  public Http2Config withInitialWindowSize(int value) {
    return new Http2Config(
        maxConcurrentStreams,
        value,
        connectionWindowSize,
        maxFrameSize,
        maxHeaderListSize,
        maxQueuedControlFrames,
        maxQueuedDataBytes,
        idleTimeout,
        abuseLimits);
  }

  /**
   * {@return this config with the connection window we grant set to {@code value}}
   *
   * @param value the new value, checked as the constructor checks it
   */
  public Http2Config withConnectionWindowSize(int value) {
    return new Http2Config(
        maxConcurrentStreams,
        initialWindowSize,
        value,
        maxFrameSize,
        maxHeaderListSize,
        maxQueuedControlFrames,
        maxQueuedDataBytes,
        idleTimeout,
        abuseLimits);
  }

  /**
   * {@return this config with the frame size we accept set to {@code value}}
   *
   * @param value the new value, checked as the constructor checks it
   */
  public Http2Config withMaxFrameSize(int value) {
    return new Http2Config(
        maxConcurrentStreams,
        initialWindowSize,
        connectionWindowSize,
        value,
        maxHeaderListSize,
        maxQueuedControlFrames,
        maxQueuedDataBytes,
        idleTimeout,
        abuseLimits);
  }

  /**
   * {@return this config with the header list size we accept set to {@code value}}
   *
   * @param value the new value, checked as the constructor checks it
   */
  public Http2Config withMaxHeaderListSize(int value) {
    return new Http2Config(
        maxConcurrentStreams,
        initialWindowSize,
        connectionWindowSize,
        maxFrameSize,
        value,
        maxQueuedControlFrames,
        maxQueuedDataBytes,
        idleTimeout,
        abuseLimits);
  }

  /**
   * {@return this config with the idle timeout set to {@code value}}
   *
   * @param value the new value, checked as the constructor checks it
   */
  public Http2Config withIdleTimeout(Duration value) {
    return new Http2Config(
        maxConcurrentStreams,
        initialWindowSize,
        connectionWindowSize,
        maxFrameSize,
        maxHeaderListSize,
        maxQueuedControlFrames,
        maxQueuedDataBytes,
        value,
        abuseLimits);
  }

  /**
   * {@return this config with the abuse limits set to {@code value}}
   *
   * @param value the new value, checked as the constructor checks it
   */
  public Http2Config withAbuseLimits(AbuseLimits value) {
    return new Http2Config(
        maxConcurrentStreams,
        initialWindowSize,
        connectionWindowSize,
        maxFrameSize,
        maxHeaderListSize,
        maxQueuedControlFrames,
        maxQueuedDataBytes,
        idleTimeout,
        value);
  }

  /** The most compressed field-block bytes (HEADERS plus CONTINUATIONs) we collect. */
  int maxHeaderBlockBytes() {
    // HPACK can expand a little (Huffman worst case, length prefixes); twice the list is ample.
    return 2 * maxHeaderListSize + 1024;
  }
}
