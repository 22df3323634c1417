package dev.h2mux.core.frame;

import java.util.Arrays;

/**
 * The parameters a SETTINGS frame carries (RFC 9113 §6.5.2). Immutable; only the values that were
 * set are sent, and {@link #mergeInto} applies them over the values in force. Identifiers other
 * than the six of the RFC are ignored, as §6.5.2 requires.
 */
public final class Http2Settings {
  /** SETTINGS_HEADER_TABLE_SIZE: the HPACK dynamic table the sender's decoder keeps. */
  public static final int HEADER_TABLE_SIZE = 1;

  /** SETTINGS_ENABLE_PUSH: 0 or 1. */
  public static final int ENABLE_PUSH = 2;

  /** SETTINGS_MAX_CONCURRENT_STREAMS: streams the sender lets the other end open at once. */
  public static final int MAX_CONCURRENT_STREAMS = 3;

  /** SETTINGS_INITIAL_WINDOW_SIZE: the window of every stream at its start (§6.9.2). */
  public static final int INITIAL_WINDOW_SIZE = 4;

  /** SETTINGS_MAX_FRAME_SIZE: the largest frame payload the sender accepts. */
  public static final int MAX_FRAME_SIZE = 5;

  /** SETTINGS_MAX_HEADER_LIST_SIZE: the largest field section the sender accepts (advisory). */
  public static final int MAX_HEADER_LIST_SIZE = 6;

  private static final int COUNT = 7;

  /** What an endpoint assumes before the peer's SETTINGS arrive (§6.5.2). */
  public static final Http2Settings DEFAULTS =
      new Http2Settings()
          .with(HEADER_TABLE_SIZE, 4096)
          .with(ENABLE_PUSH, 1)
          .with(MAX_CONCURRENT_STREAMS, Integer.MAX_VALUE)
          .with(INITIAL_WINDOW_SIZE, 65_535)
          .with(MAX_FRAME_SIZE, FrameType.DEFAULT_MAX_FRAME_SIZE)
          .with(MAX_HEADER_LIST_SIZE, Integer.MAX_VALUE);

  /** No values set: what an empty SETTINGS frame carries. */
  public static final Http2Settings EMPTY = new Http2Settings();

  // values are unsigned 32-bit on the wire; long keeps them exact
  private final long[] values = new long[COUNT];
  private int setMask;

  private Http2Settings() {}

  private Http2Settings copy() {
    Http2Settings copy = new Http2Settings();
    System.arraycopy(values, 0, copy.values, 0, COUNT);
    copy.setMask = setMask;
    return copy;
  }

  /**
   * Returns settings that are these plus {@code id} set to {@code value}.
   *
   * @param id one of the six identifiers
   * @param value its value, not checked here
   * @return the new settings; these stay as they are
   * @throws IllegalArgumentException for another identifier
   */
  public Http2Settings with(int id, long value) {
    if (id <= 0 || id >= COUNT) {
      throw new IllegalArgumentException("unknown setting " + id);
    }
    Http2Settings copy = copy();
    copy.values[id] = value;
    copy.setMask |= 1 << id;
    return copy;
  }

  /**
   * {@return true if {@code id} has a value}
   *
   * @param id a setting identifier
   */
  public boolean isSet(int id) {
    return id > 0 && id < COUNT && (setMask & (1 << id)) != 0;
  }

  /**
   * {@return the value of {@code id}, or {@code fallback} if unset}
   *
   * @param id a setting identifier
   * @param fallback what an unset value reads as
   */
  public long get(int id, long fallback) {
    return isSet(id) ? values[id] : fallback;
  }

  /** {@return the number of values set} */
  public int size() {
    return Integer.bitCount(setMask);
  }

  /**
   * {@return {@code base} with every value set here laid over it}
   *
   * @param base the values in force
   */
  public Http2Settings mergeInto(Http2Settings base) {
    Http2Settings merged = base.copy();
    for (int id = 1; id < COUNT; id++) {
      if (isSet(id)) {
        merged.values[id] = values[id];
        merged.setMask |= 1 << id;
      }
    }
    return merged;
  }

  /**
   * Calls {@code consumer} for each set value, in identifier order.
   *
   * @param consumer called with each identifier and its value
   */
  public void forEach(SettingConsumer consumer) {
    for (int id = 1; id < COUNT; id++) {
      if (isSet(id)) consumer.accept(id, values[id]);
    }
  }

  /** Receives one setting. */
  @FunctionalInterface
  public interface SettingConsumer {
    /**
     * One setting.
     *
     * @param id its identifier
     * @param value its value, an unsigned 32-bit number
     */
    void accept(int id, long value);
  }

  /**
   * The payload of a SETTINGS frame carrying these values (RFC 9113 §6.5.1): six bytes per value, a
   * 16-bit identifier and a 32-bit value, in identifier order. Also the content of the {@code
   * HTTP2-Settings} header of an h2c Upgrade, before its base64url encoding (RFC 7540 §3.2.1).
   *
   * @return the payload bytes
   */
  public byte[] toPayload() {
    byte[] payload = new byte[size() * 6];
    int at = 0;
    for (int id = 1; id < COUNT; id++) {
      if (!isSet(id)) continue;
      long value = values[id];
      payload[at] = (byte) (id >>> 8);
      payload[at + 1] = (byte) id;
      payload[at + 2] = (byte) (value >>> 24);
      payload[at + 3] = (byte) (value >>> 16);
      payload[at + 4] = (byte) (value >>> 8);
      payload[at + 5] = (byte) value;
      at += 6;
    }
    return payload;
  }

  /**
   * Reads a SETTINGS payload (RFC 9113 §6.5.1): a SETTINGS frame's, or an h2c Upgrade's {@code
   * HTTP2-Settings} after base64url decoding. Unknown identifiers are ignored (§6.5.2); a later
   * value for an identifier replaces an earlier one.
   *
   * @param payload the payload bytes
   * @return the settings it carries
   * @throws Http2Exception FRAME_SIZE_ERROR if the length is not a multiple of 6, or the connection
   *     error §6.5.2 names for a value out of range
   */
  public static Http2Settings parsePayload(byte[] payload) throws Http2Exception {
    if (payload.length % 6 != 0) {
      throw Http2Exception.connectionError(
          ErrorCode.FRAME_SIZE_ERROR, "SETTINGS length %d not a multiple of 6", payload.length);
    }
    Http2Settings settings = EMPTY;
    for (int i = 0; i < payload.length; i += 6) {
      int id = (payload[i] & 0xff) << 8 | (payload[i + 1] & 0xff);
      long value =
          (payload[i + 2] & 0xffL) << 24
              | (payload[i + 3] & 0xffL) << 16
              | (payload[i + 4] & 0xffL) << 8
              | (payload[i + 5] & 0xffL);
      if (id >= HEADER_TABLE_SIZE && id < COUNT) {
        validate(id, value);
        settings = settings.with(id, value);
      }
    }
    return settings;
  }

  /** Checks a received value against §6.5.2; the connection error to send if it is out of range. */
  static void validate(int id, long value) throws Http2Exception {
    switch (id) {
      case ENABLE_PUSH -> {
        if (value != 0 && value != 1) {
          throw Http2Exception.connectionError(
              ErrorCode.PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH must be 0 or 1, was %d", value);
        }
      }
      case INITIAL_WINDOW_SIZE -> {
        if (value > Integer.MAX_VALUE) {
          throw Http2Exception.connectionError(
              ErrorCode.FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE %d above 2^31-1", value);
        }
      }
      case MAX_FRAME_SIZE -> {
        if (value < FrameType.DEFAULT_MAX_FRAME_SIZE || value > FrameType.MAX_MAX_FRAME_SIZE) {
          throw Http2Exception.connectionError(
              ErrorCode.PROTOCOL_ERROR,
              "SETTINGS_MAX_FRAME_SIZE %d outside 16384..16777215",
              value);
        }
      }
      default -> {}
    }
  }

  // Values in force, the RFC's default where unset (use on merged settings); clamped to an int.

  /** {@return SETTINGS_HEADER_TABLE_SIZE, 4,096 by default} */
  public int headerTableSize() {
    return clamp(get(HEADER_TABLE_SIZE, 4096));
  }

  /** {@return SETTINGS_ENABLE_PUSH, true by default} */
  public boolean enablePush() {
    return get(ENABLE_PUSH, 1) == 1;
  }

  /** {@return SETTINGS_MAX_CONCURRENT_STREAMS, unlimited by default} */
  public int maxConcurrentStreams() {
    return clamp(get(MAX_CONCURRENT_STREAMS, Integer.MAX_VALUE));
  }

  /** {@return SETTINGS_INITIAL_WINDOW_SIZE, 65,535 by default} */
  public int initialWindowSize() {
    return clamp(get(INITIAL_WINDOW_SIZE, 65_535));
  }

  /** {@return SETTINGS_MAX_FRAME_SIZE, 16,384 by default} */
  public int maxFrameSize() {
    return clamp(get(MAX_FRAME_SIZE, FrameType.DEFAULT_MAX_FRAME_SIZE));
  }

  /** {@return SETTINGS_MAX_HEADER_LIST_SIZE, unlimited by default} */
  public int maxHeaderListSize() {
    return clamp(get(MAX_HEADER_LIST_SIZE, Integer.MAX_VALUE));
  }

  private static int clamp(long value) {
    return (int) Math.min(value, Integer.MAX_VALUE);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Http2Settings that
        && setMask == that.setMask
        && Arrays.equals(values, that.values);
  }

  @Override
  public int hashCode() {
    return 31 * setMask + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    forEach(
        (id, value) -> {
          if (sb.length() > 1) sb.append(", ");
          sb.append(name(id)).append('=').append(value);
        });
    return sb.append('}').toString();
  }

  private static String name(int id) {
    return switch (id) {
      case HEADER_TABLE_SIZE -> "HEADER_TABLE_SIZE";
      case ENABLE_PUSH -> "ENABLE_PUSH";
      case MAX_CONCURRENT_STREAMS -> "MAX_CONCURRENT_STREAMS";
      case INITIAL_WINDOW_SIZE -> "INITIAL_WINDOW_SIZE";
      case MAX_FRAME_SIZE -> "MAX_FRAME_SIZE";
      default -> "MAX_HEADER_LIST_SIZE";
    };
  }
}
