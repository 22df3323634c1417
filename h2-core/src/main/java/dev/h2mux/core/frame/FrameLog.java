package dev.h2mux.core.frame;

import dev.h2mux.core.HttpFields;
import java.nio.charset.StandardCharsets;

/**
 * One line per frame, for traces and tests: the direction, the type, the stream, the flags, then
 * what the frame says.
 *
 * <pre>
 * &lt;&lt; HEADERS 1 END_STREAM|END_HEADERS 23
 * &lt;&lt; HEADERS 1 END_HEADERS :status=200 content-length=5    (the block decoded)
 * &lt;&lt; DATA 1 END_STREAM 5
 * &gt;&gt; SETTINGS 0 MAX_CONCURRENT_STREAMS=128 INITIAL_WINDOW_SIZE=1048576
 * &gt;&gt; SETTINGS 0 ACK
 * &gt;&gt; WINDOW_UPDATE 0 16711681
 * &lt;&lt; RST_STREAM 3 CANCEL
 * &gt;&gt; PING 0 ACK 0000000000000001
 * &gt;&gt; GOAWAY 0 last_stream=5 PROTOCOL_ERROR "DATA on idle stream 7"
 * </pre>
 *
 * <p>What follows the flags: DATA its length (and {@code padding=N} if it was padded); HEADERS,
 * PUSH_PROMISE and CONTINUATION their fragment's length, or the fields of the whole block when the
 * caller decoded it; PRIORITY and a prioritized HEADERS the dependency and weight; RST_STREAM and
 * GOAWAY their error code, by name or in hex when unknown; SETTINGS each value set; PING its 8
 * bytes in hex; WINDOW_UPDATE the increment. The names of flags, error codes and settings are kept
 * here, those of frame types in {@link FrameType#name}.
 *
 * <p>Field values are shown as they are, credentials included: a trace of a connection is as
 * sensitive as the connection.
 */
public final class FrameLog {
  /** GOAWAY debug data longer than this is cut, so a line stays a line. */
  private static final int MAX_DEBUG_BYTES = 128;

  private FrameLog() {}

  /**
   * The line for a frame that went {@code direction}: {@code << DATA 1 END_STREAM 5}.
   *
   * @param direction which way the frame went
   * @param frame the frame
   * @return the line, without a line end
   */
  public static String describe(FrameObserver.Direction direction, Frame frame) {
    return describe(direction, frame, null);
  }

  /**
   * The line for a frame whose field block the caller decoded: the fields are shown in place of the
   * fragment's length. For the frame that ends a block (HEADERS or PUSH_PROMISE with END_HEADERS,
   * or the last CONTINUATION); {@code fields} is ignored for other frames, and may be null.
   *
   * @param direction which way the frame went
   * @param frame the frame
   * @param fields the decoded fields of the block the frame ends, or null
   * @return the line, without a line end
   */
  public static String describe(FrameObserver.Direction direction, Frame frame, HttpFields fields) {
    StringBuilder line = new StringBuilder(64).append(direction.arrow()).append(' ');
    append(line, frame, fields);
    return line.toString();
  }

  /**
   * The line for a frame without its direction: {@code DATA 1 END_STREAM 5}.
   *
   * @param frame the frame
   * @return the line, without a line end
   */
  public static String describe(Frame frame) {
    StringBuilder line = new StringBuilder(64);
    append(line, frame, null);
    return line.toString();
  }

  /**
   * The line for a frame the reader refused: its header, then the error. {@code << HEADERS 0
   * END_HEADERS 23 rejected: connection error PROTOCOL_ERROR: HEADERS frame on stream 0}
   *
   * @param type the frame's type
   * @param flags the frame's flags
   * @param streamId the frame's stream
   * @param length the frame's payload length
   * @param error what the reader threw
   * @return the line, without a line end
   */
  public static String rejected(
      int type, int flags, int streamId, int length, Http2Exception error) {
    StringBuilder line = new StringBuilder(96);
    line.append(FrameObserver.Direction.RECEIVED.arrow()).append(' ');
    start(line, type, streamId, flags(type, flags));
    return line.append(length).append(" rejected: ").append(error.getMessage()).toString();
  }

  /**
   * The names of the flags set, joined by {@code |} in bit order ({@code END_STREAM|END_HEADERS});
   * bits the type does not define are shown in hex; empty if none is set.
   *
   * @param type the frame type, which decides what each bit means
   * @param flags the flags byte
   * @return the names, or an empty string
   */
  public static String flags(int type, int flags) {
    StringBuilder names = new StringBuilder();
    for (int bit = 1; bit <= 0x80; bit <<= 1) {
      if ((flags & bit) == 0) continue;
      if (!names.isEmpty()) names.append('|');
      String name = flagName(type, bit);
      names.append(name != null ? name : "0x" + Integer.toHexString(bit));
    }
    return names.toString();
  }

  /**
   * The name of one flag bit of a frame type (RFC 9113 §6), or null if the type has no such flag.
   */
  private static String flagName(int type, int bit) {
    return switch (type) {
      case FrameType.DATA -> bit == 0x1 ? "END_STREAM" : bit == 0x8 ? "PADDED" : null;
      case FrameType.HEADERS ->
          switch (bit) {
            case 0x1 -> "END_STREAM";
            case 0x4 -> "END_HEADERS";
            case 0x8 -> "PADDED";
            case 0x20 -> "PRIORITY";
            default -> null;
          };
      case FrameType.SETTINGS, FrameType.PING -> bit == 0x1 ? "ACK" : null;
      case FrameType.PUSH_PROMISE -> bit == 0x4 ? "END_HEADERS" : bit == 0x8 ? "PADDED" : null;
      case FrameType.CONTINUATION -> bit == 0x4 ? "END_HEADERS" : null;
      default -> null;
    };
  }

  /**
   * The name of an error code (RFC 9113 §7).
   *
   * @param code the code as it is on the wire
   * @return its name, or the code in hex when unknown: {@code 0x1f}
   */
  public static String errorName(int code) {
    for (ErrorCode error : ErrorCode.values()) {
      if (error.code() == code) return error.name();
    }
    return "0x" + Integer.toHexString(code);
  }

  /**
   * The name of a setting (RFC 9113 §6.5.2).
   *
   * @param id the setting's identifier
   * @return its name, or the identifier in hex when unknown
   */
  public static String settingName(int id) {
    return switch (id) {
      case Http2Settings.HEADER_TABLE_SIZE -> "HEADER_TABLE_SIZE";
      case Http2Settings.ENABLE_PUSH -> "ENABLE_PUSH";
      case Http2Settings.MAX_CONCURRENT_STREAMS -> "MAX_CONCURRENT_STREAMS";
      case Http2Settings.INITIAL_WINDOW_SIZE -> "INITIAL_WINDOW_SIZE";
      case Http2Settings.MAX_FRAME_SIZE -> "MAX_FRAME_SIZE";
      case Http2Settings.MAX_HEADER_LIST_SIZE -> "MAX_HEADER_LIST_SIZE";
      default -> "0x" + Integer.toHexString(id);
    };
  }

  private static void append(StringBuilder line, Frame frame, HttpFields fields) {
    switch (frame) {
      case Frame.Data d -> {
        boolean padded = d.flowLength() > d.length();
        start(line, d, flag(d.endStream(), "END_STREAM", padded, "PADDED"));
        line.append(d.length());
        if (padded) line.append(" padding=").append(d.flowLength() - d.length() - 1);
      }
      case Frame.Headers h -> {
        String flags = flag(h.endStream(), "END_STREAM", h.endHeaders(), "END_HEADERS");
        if (h.priority() != null) flags = flags.isEmpty() ? "PRIORITY" : flags + "|PRIORITY";
        start(line, h, flags);
        if (h.priority() != null) priority(line, h.priority()).append(' ');
        block(line, h.block(), h.endHeaders() ? fields : null);
      }
      case Frame.PriorityFrame p -> priority(start(line, p, ""), p.priority());
      case Frame.RstStream r -> start(line, r, "").append(errorName(r.errorCode()));
      case Frame.Settings s -> {
        start(line, s, s.ack() ? "ACK" : "");
        int before = line.length();
        s.settings()
            .forEach(
                (id, value) -> line.append(settingName(id)).append('=').append(value).append(' '));
        if (line.length() > before) line.setLength(line.length() - 1);
      }
      case Frame.PushPromise p -> {
        start(line, p, p.endHeaders() ? "END_HEADERS" : "");
        line.append("promised=").append(p.promisedStreamId()).append(' ');
        block(line, p.block(), p.endHeaders() ? fields : null);
      }
      case Frame.Ping p ->
          start(line, p, p.ack() ? "ACK" : "").append(String.format("%016x", p.payload()));
      case Frame.GoAway g -> {
        start(line, g, "").append("last_stream=").append(g.lastStreamId()).append(' ');
        line.append(errorName(g.errorCode()));
        if (g.debugData().length > 0) debug(line.append(' '), g.debugData());
      }
      case Frame.WindowUpdate w -> start(line, w, "").append(w.increment());
      case Frame.Continuation c -> {
        start(line, c, c.endHeaders() ? "END_HEADERS" : "");
        block(line, c.block(), c.endHeaders() ? fields : null);
      }
      case Frame.Unknown u -> start(line, u, flags(u.type(), u.flags())).append(u.length());
    }
    // A frame without details (an empty SETTINGS, SETTINGS ACK) ends in no trailing space.
    if (line.charAt(line.length() - 1) == ' ') line.setLength(line.length() - 1);
  }

  private static StringBuilder start(StringBuilder line, Frame frame, String flags) {
    return start(line, frame.type(), frame.streamId(), flags);
  }

  private static StringBuilder start(StringBuilder line, int type, int streamId, String flags) {
    line.append(FrameType.name(type)).append(' ').append(streamId).append(' ');
    if (!flags.isEmpty()) line.append(flags).append(' ');
    return line;
  }

  private static String flag(boolean first, String firstName, boolean second, String secondName) {
    if (first && second) return firstName + "|" + secondName;
    return first ? firstName : second ? secondName : "";
  }

  private static StringBuilder priority(StringBuilder line, Frame.Priority priority) {
    line.append("dependency=").append(priority.dependency());
    line.append(" weight=").append(priority.weight());
    if (priority.exclusive()) line.append(" exclusive");
    return line;
  }

  private static void block(StringBuilder line, byte[] block, HttpFields fields) {
    if (fields == null) {
      line.append(block.length);
      return;
    }
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) line.append(' ');
      line.append(fields.name(i)).append('=');
      String value = fields.value(i);
      if (needsQuotes(value)) {
        quoted(line, value.getBytes(StandardCharsets.ISO_8859_1), value.length());
      } else {
        line.append(value);
      }
    }
  }

  private static boolean needsQuotes(String value) {
    if (value.isEmpty()) return true;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c == '"' || c == '\\' || c >= 0x7f) return true;
    }
    return false;
  }

  private static void debug(StringBuilder line, byte[] data) {
    quoted(line, data, Math.min(data.length, MAX_DEBUG_BYTES));
    if (data.length > MAX_DEBUG_BYTES) line.append("...");
  }

  /** {@code bytes} in double quotes, printable ASCII as it is and the rest escaped. */
  private static void quoted(StringBuilder line, byte[] bytes, int length) {
    line.append('"');
    for (int i = 0; i < length; i++) {
      int b = bytes[i] & 0xff;
      if (b == '"' || b == '\\') {
        line.append('\\').append((char) b);
      } else if (b >= 0x20 && b < 0x7f) {
        line.append((char) b);
      } else {
        line.append(String.format("\\x%02x", b));
      }
    }
    line.append('"');
  }
}
