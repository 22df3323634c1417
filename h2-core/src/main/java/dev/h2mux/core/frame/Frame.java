package dev.h2mux.core.frame;

import java.util.Arrays;

/**
 * One HTTP/2 frame (RFC 9113 §4, §6) as an immutable value. Padding is stripped on read and never
 * written; DATA keeps its padded length because flow control counts it.
 */
public sealed interface Frame {
  /** {@return the stream the frame belongs to, 0 for the connection} */
  int streamId();

  /** {@return the frame type code, one of {@link FrameType}'s or an unknown one} */
  int type();

  /**
   * DATA (§6.1).
   *
   * @param streamId the stream
   * @param data the array holding the payload, which may be larger
   * @param offset where the payload starts in {@code data}
   * @param length the payload's length, padding excluded
   * @param endStream the END_STREAM flag
   * @param flowLength the whole payload, padding included: what flow control counts
   */
  record Data(int streamId, byte[] data, int offset, int length, boolean endStream, int flowLength)
      implements Frame {
    /**
     * DATA of all of {@code data}, unpadded.
     *
     * @param streamId the stream
     * @param data the payload
     * @param endStream the END_STREAM flag
     */
    public Data(int streamId, byte[] data, boolean endStream) {
      this(streamId, data, 0, data.length, endStream, data.length);
    }

    @Override
    public int type() {
      return FrameType.DATA;
    }

    /** {@return a copy of the payload's bytes} */
    public byte[] bytes() {
      return Arrays.copyOfRange(data, offset, offset + length);
    }

    @Override
    public String toString() {
      return "DATA stream=" + streamId + " length=" + length + (endStream ? " END_STREAM" : "");
    }
  }

  /**
   * A stream dependency (§5.3.2 of RFC 7540, deprecated by RFC 9113 but still parsed).
   *
   * @param dependency the stream depended on
   * @param exclusive the E flag
   * @param weight the weight, 1 to 256
   */
  record Priority(int dependency, boolean exclusive, int weight) {}

  /**
   * HEADERS (§6.2): the first fragment of a field block.
   *
   * @param streamId the stream
   * @param block the field block fragment
   * @param endStream the END_STREAM flag
   * @param endHeaders the END_HEADERS flag: no CONTINUATION follows
   * @param priority the PRIORITY fields, or null without the flag
   */
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

  /**
   * PRIORITY (§6.3): parsed and validated, otherwise ignored.
   *
   * @param streamId the stream
   * @param priority what it signals
   */
  record PriorityFrame(int streamId, Priority priority) implements Frame {
    @Override
    public int type() {
      return FrameType.PRIORITY;
    }
  }

  /**
   * RST_STREAM (§6.4). The raw code is kept: unknown codes are legal.
   *
   * @param streamId the stream
   * @param errorCode the error code as on the wire
   */
  record RstStream(int streamId, int errorCode) implements Frame {
    /**
     * RST_STREAM with a known code.
     *
     * @param streamId the stream
     * @param error the error code
     */
    public RstStream(int streamId, ErrorCode error) {
      this(streamId, error.code());
    }

    /** {@return the error code; an unknown one as INTERNAL_ERROR (§7)} */
    public ErrorCode error() {
      return ErrorCode.of(errorCode);
    }

    @Override
    public int type() {
      return FrameType.RST_STREAM;
    }
  }

  /**
   * SETTINGS (§6.5); an ACK carries no settings.
   *
   * @param ack the ACK flag
   * @param settings the values set, in order
   */
  record Settings(boolean ack, Http2Settings settings) implements Frame {
    /** The acknowledgement of a peer's SETTINGS. */
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

  /**
   * PUSH_PROMISE (§6.6), which h2mux never enables: received, it is a connection error.
   *
   * @param streamId the stream it is associated with
   * @param promisedStreamId the stream it reserves
   * @param block the field block fragment of the promised request
   * @param endHeaders the END_HEADERS flag
   */
  record PushPromise(int streamId, int promisedStreamId, byte[] block, boolean endHeaders)
      implements Frame {
    @Override
    public int type() {
      return FrameType.PUSH_PROMISE;
    }
  }

  /**
   * PING (§6.7).
   *
   * @param ack the ACK flag
   * @param payload the 8 opaque bytes, as a long
   */
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

  /**
   * GOAWAY (§6.8).
   *
   * @param lastStreamId the last stream the sender processed or may process
   * @param errorCode the error code as on the wire
   * @param debugData opaque debug data, usually text
   */
  record GoAway(int lastStreamId, int errorCode, byte[] debugData) implements Frame {
    /**
     * GOAWAY with a known code and text.
     *
     * @param lastStreamId the last stream the sender processed or may process
     * @param error the error code
     * @param debug the debug data, sent as UTF-8
     */
    public GoAway(int lastStreamId, ErrorCode error, String debug) {
      this(lastStreamId, error.code(), debug.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** {@return the error code; an unknown one as INTERNAL_ERROR (§7)} */
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

  /**
   * WINDOW_UPDATE (§6.9).
   *
   * @param streamId the stream, or 0 for the connection
   * @param increment the credit added, 1 to 2^31-1
   */
  record WindowUpdate(int streamId, int increment) implements Frame {
    @Override
    public int type() {
      return FrameType.WINDOW_UPDATE;
    }
  }

  /**
   * CONTINUATION (§6.10): a further fragment of a field block.
   *
   * @param streamId the stream
   * @param block the field block fragment
   * @param endHeaders the END_HEADERS flag: the block ends here
   */
  record Continuation(int streamId, byte[] block, boolean endHeaders) implements Frame {
    @Override
    public int type() {
      return FrameType.CONTINUATION;
    }
  }

  /**
   * A frame of a type this implementation does not know: read and ignored (§4.1, §5.5).
   *
   * @param type its type code
   * @param flags its flags
   * @param streamId its stream
   * @param length its payload's length; the payload itself is skipped
   */
  record Unknown(int type, int flags, int streamId, int length) implements Frame {}
}
