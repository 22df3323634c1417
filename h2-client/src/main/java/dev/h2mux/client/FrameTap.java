package dev.h2mux.client;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Follows the HTTP/2 frames in a byte stream without changing it, and describes each frame to a
 * {@link TraceListener}: the frame header always, and the payload of the small control frames.
 * Installed between the socket and the engine only when tracing is on.
 */
final class FrameTap {
  private static final String[] TYPES = {
    "DATA",
    "HEADERS",
    "PRIORITY",
    "RST_STREAM",
    "SETTINGS",
    "PUSH_PROMISE",
    "PING",
    "GOAWAY",
    "WINDOW_UPDATE",
    "CONTINUATION"
  };
  private static final String[] ERRORS = {
    "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT",
    "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR",
    "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"
  };
  private static final String[] SETTINGS = {
    "",
    "HEADER_TABLE_SIZE",
    "ENABLE_PUSH",
    "MAX_CONCURRENT_STREAMS",
    "INITIAL_WINDOW_SIZE",
    "MAX_FRAME_SIZE",
    "MAX_HEADER_LIST_SIZE"
  };
  private static final int CAPTURE = 256;

  private final TraceListener listener;
  private final String connection;
  private final TraceListener.Direction direction;
  private int skip;
  private final byte[] header = new byte[9];
  private int headerFill;
  private long payloadLeft;
  private final byte[] payload = new byte[CAPTURE];
  private int payloadFill;
  private int length;
  private int type;
  private int flags;
  private int streamId;

  private FrameTap(
      TraceListener listener, String connection, TraceListener.Direction direction, int skip) {
    this.listener = listener;
    this.connection = connection;
    this.direction = direction;
    this.skip = skip;
  }

  /** Taps what the client writes; the first 24 bytes, the connection preface, are skipped. */
  static OutputStream outbound(OutputStream out, TraceListener listener, String connection) {
    FrameTap tap = new FrameTap(listener, connection, TraceListener.Direction.OUT, 24);
    return new FilterOutputStream(out) {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
        tap.accept(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        tap.accept(b, off, len);
      }
    };
  }

  /** Taps what the client reads. */
  static InputStream inbound(InputStream in, TraceListener listener, String connection) {
    FrameTap tap = new FrameTap(listener, connection, TraceListener.Direction.IN, 0);
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = in.read();
        if (b >= 0) tap.accept(new byte[] {(byte) b}, 0, 1);
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) tap.accept(b, off, n);
        return n;
      }
    };
  }

  void accept(byte[] b, int off, int len) {
    try {
      while (len > 0) {
        if (skip > 0) {
          int n = Math.min(skip, len);
          skip -= n;
          off += n;
          len -= n;
        } else if (headerFill < 9) {
          int n = Math.min(9 - headerFill, len);
          System.arraycopy(b, off, header, headerFill, n);
          headerFill += n;
          off += n;
          len -= n;
          if (headerFill == 9) startFrame();
        } else {
          int n = (int) Math.min(payloadLeft, len);
          int keep = Math.min(n, CAPTURE - payloadFill);
          if (keep > 0 && captures(type)) {
            System.arraycopy(b, off, payload, payloadFill, keep);
            payloadFill += keep;
          }
          payloadLeft -= n;
          off += n;
          len -= n;
          if (payloadLeft == 0) endFrame();
        }
      }
    } catch (RuntimeException e) {
      // A listener that fails must not break the connection; stop tracing this stream.
      skip = Integer.MAX_VALUE;
    }
  }

  private static boolean captures(int type) {
    return type == 3 || type == 4 || type == 6 || type == 7 || type == 8;
  }

  private void startFrame() {
    length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | (header[2] & 0xff);
    type = header[3] & 0xff;
    flags = header[4] & 0xff;
    streamId =
        ((header[5] & 0x7f) << 24)
            | (header[6] & 0xff) << 16
            | (header[7] & 0xff) << 8
            | (header[8] & 0xff);
    payloadLeft = length;
    payloadFill = 0;
    if (length == 0) endFrame();
  }

  private void endFrame() {
    headerFill = 0;
    listener.trace(connection, direction, describe());
  }

  private String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append(type < TYPES.length ? TYPES[type] : "UNKNOWN(0x" + Integer.toHexString(type) + ")");
    sb.append(" stream=").append(streamId).append(" length=").append(length);
    switch (type) {
      case 0 -> flag(sb, 0x1, "END_STREAM");
      case 1 -> {
        flag(sb, 0x1, "END_STREAM");
        flag(sb, 0x4, "END_HEADERS");
      }
      case 9 -> flag(sb, 0x4, "END_HEADERS");
      case 3 -> sb.append(' ').append(error(readInt(0)));
      case 4 -> {
        if ((flags & 1) != 0) {
          sb.append(" ACK");
        } else {
          sb.append(" {");
          for (int i = 0; i + 6 <= payloadFill; i += 6) {
            int id = (payload[i] & 0xff) << 8 | (payload[i + 1] & 0xff);
            if (i > 0) sb.append(", ");
            sb.append(
                    id > 0 && id < SETTINGS.length ? SETTINGS[id] : "0x" + Integer.toHexString(id))
                .append('=')
                .append(readInt(i + 2) & 0xffffffffL);
          }
          sb.append('}');
        }
      }
      case 6 -> flag(sb, 0x1, "ACK");
      case 7 -> {
        sb.append(" last_stream=")
            .append(readInt(0) & 0x7fffffff)
            .append(' ')
            .append(error(readInt(4)));
        if (payloadFill > 8) {
          sb.append(" \"")
              .append(new String(payload, 8, payloadFill - 8, StandardCharsets.UTF_8))
              .append('"');
        }
      }
      case 8 -> sb.append(" increment=").append(readInt(0) & 0x7fffffff);
      default -> {}
    }
    return sb.toString();
  }

  private void flag(StringBuilder sb, int bit, String name) {
    if ((flags & bit) != 0) sb.append(' ').append(name);
  }

  private int readInt(int at) {
    if (at + 4 > payloadFill) return 0;
    return (payload[at] & 0xff) << 24
        | (payload[at + 1] & 0xff) << 16
        | (payload[at + 2] & 0xff) << 8
        | (payload[at + 3] & 0xff);
  }

  private static String error(int code) {
    return code >= 0 && code < ERRORS.length ? ERRORS[code] : "0x" + Integer.toHexString(code);
  }
}
