package dev.h2mux.core.frame;

import java.util.Arrays;

/**
 * One HTTP/2 frame (RFC 9113 §4, §6) as an immutable value. Padding is stripped on read and never
 * written; DATA keeps its padded length because flow control counts it.
 */
public sealed interface Frame {
  /** The stream the frame belongs to, 0 for the connection. */
  int streamId();

  /** The frame type code. */
  int type();

  /** DATA (§6.1). {@code flowLength} is the whole payload, padding included. */
  record Data(int streamId, byte[] data, int offset, int length, boolean endStream, int flowLength)
      implements Frame {
    public Data(int streamId, byte[] data, boolean endStream) {
      this(streamId, data, 0, data.length, endStream, data.length);
    }

    @Override
    public int type() {
      return FrameType.DATA;
    }

    /** A copy of the data bytes. */
    public byte[] bytes() {
      return Arrays.copyOfRange(data, offset, offset + length);
    }

    @Override
    public String toString() {
      return "DATA stream=" + streamId + " length=" + length + (endStream ? " END_STREAM" : "");
    }
  }

  /** A stream dependency (§5.3.2 of RFC 7540, deprecated by RFC 9113 but still parsed). */
  record Priority(int dependency, boolean exclusive, int weight) {}

  /** HEADERS (§6.2): the first fragment of a field block. {@code priority} may be null. */
  record Headers(
      int streamId, byte[] block, boolean endStream, boolean endHeaders, Priority priority)
      implements Frame {
    @Override
    public int type() {
      return FrameType.HEADERS;
    }

    @Override
    public String toString() {
      return "HEADERS stream="
          + streamId
          + " block="
          + block.length
          + (endStream ? " END_STREAM" : "")
          + (endHeaders ? " END_HEADERS" : "");
    }
  }

  /** PRIORITY (§6.3): parsed and validated, otherwise ignored. */
  record PriorityFrame(int streamId, Priority priority) implements Frame {
    @Override
    public int type() {
      return FrameType.PRIORITY;
    }
  }

  /** RST_STREAM (§6.4). The raw code is kept: unknown codes are legal. */
  record RstStream(int streamId, int errorCode) implements Frame {
    public RstStream(int streamId, ErrorCode error) {
      this(streamId, error.code());
    }

    public ErrorCode error() {
      return ErrorCode.of(errorCode);
    }

    @Override
    public int type() {
      return FrameType.RST_STREAM;
    }
  }

  /** SETTINGS (§6.5); an ACK carries no settings. */
  record Settings(boolean ack, Http2Settings settings) implements Frame {
    public static final Settings ACK = new Settings(true, Http2Settings.EMPTY);

    @Override
    public int streamId() {
      return 0;
    }

    @Override
    public int type() {
      return FrameType.SETTINGS;
    }
  }

  /** PUSH_PROMISE (§6.6). */
  record PushPromise(int streamId, int promisedStreamId, byte[] block, boolean endHeaders)
      implements Frame {
    @Override
    public int type() {
      return FrameType.PUSH_PROMISE;
    }
  }

  /** PING (§6.7); the 8 opaque bytes as a long. */
  record Ping(boolean ack, long payload) implements Frame {
    @Override
    public int streamId() {
      return 0;
    }

    @Override
    public int type() {
      return FrameType.PING;
    }
  }

  /** GOAWAY (§6.8). */
  record GoAway(int lastStreamId, int errorCode, byte[] debugData) implements Frame {
    public GoAway(int lastStreamId, ErrorCode error, String debug) {
      this(lastStreamId, error.code(), debug.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public ErrorCode error() {
      return ErrorCode.of(errorCode);
    }

    @Override
    public int streamId() {
      return 0;
    }

    @Override
    public int type() {
      return FrameType.GOAWAY;
    }

    @Override
    public String toString() {
      return "GOAWAY last="
          + lastStreamId
          + " "
          + error()
          + " "
          + new String(debugData, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** WINDOW_UPDATE (§6.9). */
  record WindowUpdate(int streamId, int increment) implements Frame {
    @Override
    public int type() {
      return FrameType.WINDOW_UPDATE;
    }
  }

  /** CONTINUATION (§6.10): a further fragment of a field block. */
  record Continuation(int streamId, byte[] block, boolean endHeaders) implements Frame {
    @Override
    public int type() {
      return FrameType.CONTINUATION;
    }
  }

  /** A frame of a type this implementation does not know: read and ignored (§4.1, §5.5). */
  record Unknown(int type, int flags, int streamId, int length) implements Frame {}
}
