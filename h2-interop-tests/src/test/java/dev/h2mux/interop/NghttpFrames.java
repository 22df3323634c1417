package dev.h2mux.interop;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The frames {@code nghttp -v} reports, and the frames in the bytes {@code nghttp --hexdump}
 * received: what a real peer saw on the wire.
 */
final class NghttpFrames {
  private static final Pattern FRAME =
      Pattern.compile(
          "^\\[[ 0-9.]+\\] (send|recv) ([A-Z_]+) frame <length=(\\d+), flags=0x([0-9a-f]{2}),"
              + " stream_id=(\\d+)>");
  private static final Pattern HEX_LINE =
      Pattern.compile("^([0-9a-f]{8})  ((?:[0-9a-f]{2} {1,2}){1,16})");
  private static final Pattern HEX_END = Pattern.compile("^([0-9a-f]{8})\\s*$");

  /**
   * One frame: {@code received} is true for frames from the server; {@code details} are the
   * indented lines nghttp prints under it (its fields, such as {@code (error_code=CANCEL(0x08))}).
   */
  record Frame(
      boolean received, String type, int length, int flags, int streamId, List<String> details) {
    boolean endStream() {
      return (type.equals("DATA") || type.equals("HEADERS")) && (flags & 0x1) != 0;
    }

    boolean endHeaders() {
      return (flags & 0x4) != 0;
    }

    String detail() {
      return String.join("\n", details);
    }
  }

  private NghttpFrames() {}

  /** The frames of {@code nghttp -v} output, in order. */
  static List<Frame> parseVerbose(String output) {
    List<Frame> frames = new ArrayList<>();
    List<String> details = null;
    for (String line : output.split("\n")) {
      Matcher m = FRAME.matcher(line);
      if (m.find()) {
        details = new ArrayList<>();
        frames.add(
            new Frame(
                m.group(1).equals("recv"),
                m.group(2),
                Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4), 16),
                Integer.parseInt(m.group(5)),
                details));
      } else if (details != null && line.startsWith("          ")) {
        details.add(line.strip());
      } else {
        details = null;
      }
    }
    return frames;
  }

  /** The frames received by nghttp. */
  static List<Frame> received(String verboseOutput) {
    return parseVerbose(verboseOutput).stream().filter(Frame::received).toList();
  }

  /**
   * The frames in the bytes nghttp received, from its {@code --hexdump} output (one dump per read,
   * each counting from offset 0; {@code *} stands for lines equal to the one before). Frames are
   * reported as nghttp itself does not: a field block's CONTINUATION frames one by one.
   */
  static List<Frame> parseHexdump(String output) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] lastLine = new byte[0];
    boolean repeat = false;
    long blockStart = 0;
    for (String line : output.split("\n")) {
      if (line.equals("*")) {
        repeat = true;
        continue;
      }
      Matcher m = HEX_LINE.matcher(line);
      Matcher end = HEX_END.matcher(line);
      long offset;
      if (m.find()) {
        offset = Long.parseLong(m.group(1), 16);
      } else if (end.find()) {
        offset = Long.parseLong(end.group(1), 16);
      } else {
        continue;
      }
      if (offset == 0) {
        blockStart = bytes.size(); // a new read
      }
      if (repeat) {
        while (bytes.size() - blockStart < offset) {
          bytes.write(lastLine, 0, lastLine.length);
        }
        repeat = false;
      }
      if (m.find(0)) {
        String[] hex = m.group(2).trim().split("\\s+");
        lastLine = new byte[hex.length];
        for (int i = 0; i < hex.length; i++) {
          lastLine[i] = (byte) Integer.parseInt(hex[i], 16);
        }
        bytes.write(lastLine, 0, lastLine.length);
      }
    }
    return frames(bytes.toByteArray());
  }

  private static List<Frame> frames(byte[] wire) {
    List<Frame> frames = new ArrayList<>();
    for (int at = 0; at + 9 <= wire.length; ) {
      int length = (wire[at] & 0xff) << 16 | (wire[at + 1] & 0xff) << 8 | (wire[at + 2] & 0xff);
      int type = wire[at + 3] & 0xff;
      int flags = wire[at + 4] & 0xff;
      int stream =
          (wire[at + 5] & 0x7f) << 24
              | (wire[at + 6] & 0xff) << 16
              | (wire[at + 7] & 0xff) << 8
              | (wire[at + 8] & 0xff);
      frames.add(new Frame(true, typeName(type), length, flags, stream, List.of()));
      at += 9 + length;
    }
    return frames;
  }

  private static String typeName(int type) {
    return switch (type) {
      case 0 -> "DATA";
      case 1 -> "HEADERS";
      case 2 -> "PRIORITY";
      case 3 -> "RST_STREAM";
      case 4 -> "SETTINGS";
      case 5 -> "PUSH_PROMISE";
      case 6 -> "PING";
      case 7 -> "GOAWAY";
      case 8 -> "WINDOW_UPDATE";
      case 9 -> "CONTINUATION";
      default -> "UNKNOWN_" + type;
    };
  }
}
