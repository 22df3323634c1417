package dev.h2mux.core.frame;

/** Frame type codes and flags of RFC 9113 §6. */
public final class FrameType {
  /** DATA (§6.1). */
  public static final int DATA = 0x0;

  /** HEADERS (§6.2). */
  public static final int HEADERS = 0x1;

  /** PRIORITY (§6.3). */
  public static final int PRIORITY = 0x2;

  /** RST_STREAM (§6.4). */
  public static final int RST_STREAM = 0x3;

  /** SETTINGS (§6.5). */
  public static final int SETTINGS = 0x4;

  /** PUSH_PROMISE (§6.6). */
  public static final int PUSH_PROMISE = 0x5;

  /** PING (§6.7). */
  public static final int PING = 0x6;

  /** GOAWAY (§6.8). */
  public static final int GOAWAY = 0x7;

  /** WINDOW_UPDATE (§6.9). */
  public static final int WINDOW_UPDATE = 0x8;

  /** CONTINUATION (§6.10). */
  public static final int CONTINUATION = 0x9;

  /** END_STREAM, of DATA and HEADERS. */
  public static final int FLAG_END_STREAM = 0x1;

  /** ACK, of SETTINGS and PING. */
  public static final int FLAG_ACK = 0x1;

  /** END_HEADERS, of HEADERS, PUSH_PROMISE and CONTINUATION. */
  public static final int FLAG_END_HEADERS = 0x4;

  /** PADDED, of DATA, HEADERS and PUSH_PROMISE. */
  public static final int FLAG_PADDED = 0x8;

  /** PRIORITY, of HEADERS. */
  public static final int FLAG_PRIORITY = 0x20;

  /** The length of a frame header. */
  public static final int HEADER_LENGTH = 9;

  /** The smallest SETTINGS_MAX_FRAME_SIZE, and the initial one. */
  public static final int DEFAULT_MAX_FRAME_SIZE = 16_384;

  /** The largest SETTINGS_MAX_FRAME_SIZE. */
  public static final int MAX_MAX_FRAME_SIZE = 16_777_215;

  private FrameType() {}

  /**
   * A name for logs and traces.
   *
   * @param type a frame type code
   * @return its RFC name ({@code WINDOW_UPDATE}), or {@code UNKNOWN(0x..)}
   */
  public static String name(int type) {
    return switch (type) {
      case DATA -> "DATA";
      case HEADERS -> "HEADERS";
      case PRIORITY -> "PRIORITY";
      case RST_STREAM -> "RST_STREAM";
      case SETTINGS -> "SETTINGS";
      case PUSH_PROMISE -> "PUSH_PROMISE";
      case PING -> "PING";
      case GOAWAY -> "GOAWAY";
      case WINDOW_UPDATE -> "WINDOW_UPDATE";
      case CONTINUATION -> "CONTINUATION";
      default -> "UNKNOWN(0x" + Integer.toHexString(type) + ")";
    };
  }
}
