package dev.h2mux.core.frame;

/** Frame type codes and flags of RFC 9113 §6. */
public final class FrameType {
  public static final int DATA = 0x0;
  public static final int HEADERS = 0x1;
  public static final int PRIORITY = 0x2;
  public static final int RST_STREAM = 0x3;
  public static final int SETTINGS = 0x4;
  public static final int PUSH_PROMISE = 0x5;
  public static final int PING = 0x6;
  public static final int GOAWAY = 0x7;
  public static final int WINDOW_UPDATE = 0x8;
  public static final int CONTINUATION = 0x9;

  public static final int FLAG_END_STREAM = 0x1;
  public static final int FLAG_ACK = 0x1;
  public static final int FLAG_END_HEADERS = 0x4;
  public static final int FLAG_PADDED = 0x8;
  public static final int FLAG_PRIORITY = 0x20;

  /** The length of a frame header. */
  public static final int HEADER_LENGTH = 9;

  /** The smallest SETTINGS_MAX_FRAME_SIZE, and the initial one. */
  public static final int DEFAULT_MAX_FRAME_SIZE = 16_384;

  /** The largest SETTINGS_MAX_FRAME_SIZE. */
  public static final int MAX_MAX_FRAME_SIZE = 16_777_215;

  private FrameType() {}

  /** A name for logs and traces. */
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
