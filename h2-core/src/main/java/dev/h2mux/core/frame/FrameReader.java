package dev.h2mux.core.frame;

import static dev.h2mux.core.frame.ErrorCode.FRAME_SIZE_ERROR;
import static dev.h2mux.core.frame.ErrorCode.PROTOCOL_ERROR;
import static dev.h2mux.core.frame.Http2Exception.connectionError;
import static dev.h2mux.core.frame.Http2Exception.streamError;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Parses frames from a byte stream, validating each against RFC 9113 §4 and §6 as it goes.
 *
 * <p>Every payload is read whole before it is parsed, so a stream error leaves the reader at the
 * next frame and the connection can go on. Not thread-safe: one reader thread per connection.
 */
public final class FrameReader {
  /** The client connection preface (§3.4). */
  public static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private static final byte[] NO_BYTES = new byte[0];

  private final InputStream in;
  private final byte[] header = new byte[FrameType.HEADER_LENGTH];
  private int maxFrameSize;
  private IntFunction<byte[]> dataBuffers = byte[]::new;

  /**
   * @param in the stream to read; should be buffered
   * @param maxFrameSize the SETTINGS_MAX_FRAME_SIZE we advertise
   */
  public FrameReader(InputStream in, int maxFrameSize) {
    this.in = in;
    this.maxFrameSize = maxFrameSize;
  }

  /**
   * Sets where DATA payloads are read into: {@code source} returns an array of at least the given
   * length that nothing else uses. By default each frame gets a fresh array; the engine passes
   * arrays it reuses once the application has read them.
   */
  public void dataBuffers(IntFunction<byte[]> source) {
    this.dataBuffers = source;
  }

  /** Changes the largest frame accepted. */
  public void maxFrameSize(int maxFrameSize) {
    this.maxFrameSize = maxFrameSize;
  }

  /** Reads and checks the client connection preface; a mismatch is a PROTOCOL_ERROR. */
  public void readPreface() throws IOException {
    byte[] got = in.readNBytes(PREFACE.length);
    if (!Arrays.equals(got, PREFACE)) {
      throw connectionError(PROTOCOL_ERROR, "invalid connection preface");
    }
  }

  /**
   * Reads the next frame.
   *
   * @return the frame, or null at a clean end of stream between frames
   * @throws Http2Exception for a protocol violation, with its scope and error code
   * @throws EOFException if the stream ends inside a frame
   */
  public Frame readFrame() throws IOException {
    // The first byte alone: a read timeout here leaves the stream at a frame boundary, so the
    // caller may wait again. A timeout anywhere later is fatal (see readRest).
    int first = in.read();
    if (first < 0) {
      return null;
    }
    header[0] = (byte) first;
    int n = 1 + readRest(header, 1, FrameType.HEADER_LENGTH - 1);
    if (n < FrameType.HEADER_LENGTH) {
      throw new EOFException("connection closed inside a frame header");
    }
    int length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | (header[2] & 0xff);
    int type = header[3] & 0xff;
    int flags = header[4] & 0xff;
    int streamId = readInt(header, 5) & 0x7fffffff; // the reserved bit is ignored (§4.1)
    if (length > maxFrameSize) {
      // A peer that ignores our limit cannot be trusted to frame anything else right.
      throw connectionError(
          FRAME_SIZE_ERROR,
          "%s frame of %d bytes exceeds max frame size %d",
          FrameType.name(type),
          length,
          maxFrameSize);
    }
    byte[] payload = NO_BYTES;
    if (length > 0) {
      // One exact array, filled in place: readNBytes(int) gathers partial reads into chunks
      // and copies them together, which was the top of the client's download profile.
      payload = type == FrameType.DATA ? dataBuffers.apply(length) : new byte[length];
      if (readRest(payload, 0, length) < length) {
        throw new EOFException("connection closed inside a " + FrameType.name(type) + " frame");
      }
    }
    return switch (type) {
      case FrameType.DATA -> data(streamId, flags, payload, length);
      case FrameType.HEADERS -> headers(streamId, flags, payload);
      case FrameType.PRIORITY -> priority(streamId, payload);
      case FrameType.RST_STREAM -> rstStream(streamId, payload);
      case FrameType.SETTINGS -> settings(streamId, flags, payload);
      case FrameType.PUSH_PROMISE -> pushPromise(streamId, flags, payload);
      case FrameType.PING -> ping(streamId, flags, payload);
      case FrameType.GOAWAY -> goAway(streamId, payload);
      case FrameType.WINDOW_UPDATE -> windowUpdate(streamId, payload);
      case FrameType.CONTINUATION -> continuation(streamId, flags, payload);
      default -> new Frame.Unknown(type, flags, streamId, length);
    };
  }

  /**
   * Reads the rest of a frame that has begun. A read timeout here would lose the bytes read so far
   * and leave the stream in the middle of a frame, so it is reported as a plain IOException (the
   * connection ends) rather than a timeout the caller could retry.
   */
  private int readRest(byte[] b, int off, int len) throws IOException {
    try {
      return in.readNBytes(b, off, len);
    } catch (java.net.SocketTimeoutException e) {
      throw new IOException("the peer stalled inside a frame", e);
    }
  }

  /** DATA; {@code payload} may be longer than the frame's {@code length}. */
  private static Frame data(int streamId, int flags, byte[] payload, int length)
      throws Http2Exception {
    requireStream(streamId, "DATA");
    int padding = padLength(flags, payload, length, "DATA");
    int offset = padding < 0 ? 0 : 1;
    int dataLength = length - offset - Math.max(padding, 0);
    return new Frame.Data(
        streamId, payload, offset, dataLength, (flags & FrameType.FLAG_END_STREAM) != 0, length);
  }

  private static Frame headers(int streamId, int flags, byte[] payload) throws Http2Exception {
    requireStream(streamId, "HEADERS");
    int padding = padLength(flags, payload, payload.length, "HEADERS");
    int offset = padding < 0 ? 0 : 1;
    int end = payload.length - Math.max(padding, 0);
    Frame.Priority priority = null;
    if ((flags & FrameType.FLAG_PRIORITY) != 0) {
      if (end - offset < 5) {
        throw connectionError(FRAME_SIZE_ERROR, "HEADERS too short for its priority fields");
      }
      priority = readPriority(payload, offset);
      offset += 5;
    }
    byte[] block =
        offset == 0 && end == payload.length ? payload : Arrays.copyOfRange(payload, offset, end);
    return new Frame.Headers(
        streamId,
        block,
        (flags & FrameType.FLAG_END_STREAM) != 0,
        (flags & FrameType.FLAG_END_HEADERS) != 0,
        priority);
  }

  private static Frame priority(int streamId, byte[] payload) throws Http2Exception {
    requireStream(streamId, "PRIORITY");
    if (payload.length != 5) {
      throw streamError(
          streamId, FRAME_SIZE_ERROR, "PRIORITY length %d, must be 5", payload.length);
    }
    Frame.Priority priority = readPriority(payload, 0);
    if (priority.dependency() == streamId) {
      throw streamError(streamId, PROTOCOL_ERROR, "stream depends on itself");
    }
    return new Frame.PriorityFrame(streamId, priority);
  }

  private static Frame rstStream(int streamId, byte[] payload) throws Http2Exception {
    requireStream(streamId, "RST_STREAM");
    if (payload.length != 4) {
      throw connectionError(FRAME_SIZE_ERROR, "RST_STREAM length %d, must be 4", payload.length);
    }
    return new Frame.RstStream(streamId, readInt(payload, 0));
  }

  private static Frame settings(int streamId, int flags, byte[] payload) throws Http2Exception {
    requireConnection(streamId, "SETTINGS");
    if ((flags & FrameType.FLAG_ACK) != 0) {
      if (payload.length != 0) {
        throw connectionError(FRAME_SIZE_ERROR, "SETTINGS ACK with a payload");
      }
      return Frame.Settings.ACK;
    }
    return new Frame.Settings(false, Http2Settings.parsePayload(payload));
  }

  private static Frame pushPromise(int streamId, int flags, byte[] payload) throws Http2Exception {
    requireStream(streamId, "PUSH_PROMISE");
    int padding = padLength(flags, payload, payload.length, "PUSH_PROMISE");
    int offset = padding < 0 ? 0 : 1;
    int end = payload.length - Math.max(padding, 0);
    if (end - offset < 4) {
      throw connectionError(FRAME_SIZE_ERROR, "PUSH_PROMISE too short");
    }
    int promised = readInt(payload, offset) & 0x7fffffff;
    return new Frame.PushPromise(
        streamId,
        promised,
        Arrays.copyOfRange(payload, offset + 4, end),
        (flags & FrameType.FLAG_END_HEADERS) != 0);
  }

  private static Frame ping(int streamId, int flags, byte[] payload) throws Http2Exception {
    requireConnection(streamId, "PING");
    if (payload.length != 8) {
      throw connectionError(FRAME_SIZE_ERROR, "PING length %d, must be 8", payload.length);
    }
    long opaque = (long) readInt(payload, 0) << 32 | (readInt(payload, 4) & 0xffffffffL);
    return new Frame.Ping((flags & FrameType.FLAG_ACK) != 0, opaque);
  }

  private static Frame goAway(int streamId, byte[] payload) throws Http2Exception {
    requireConnection(streamId, "GOAWAY");
    if (payload.length < 8) {
      throw connectionError(FRAME_SIZE_ERROR, "GOAWAY length %d, at least 8", payload.length);
    }
    return new Frame.GoAway(
        readInt(payload, 0) & 0x7fffffff,
        readInt(payload, 4),
        Arrays.copyOfRange(payload, 8, payload.length));
  }

  private static Frame windowUpdate(int streamId, byte[] payload) throws Http2Exception {
    if (payload.length != 4) {
      throw connectionError(FRAME_SIZE_ERROR, "WINDOW_UPDATE length %d, must be 4", payload.length);
    }
    int increment = readInt(payload, 0) & 0x7fffffff;
    if (increment == 0) {
      if (streamId == 0) {
        throw connectionError(PROTOCOL_ERROR, "WINDOW_UPDATE with increment 0");
      }
      throw streamError(streamId, PROTOCOL_ERROR, "WINDOW_UPDATE with increment 0");
    }
    return new Frame.WindowUpdate(streamId, increment);
  }

  private static Frame continuation(int streamId, int flags, byte[] payload) throws Http2Exception {
    requireStream(streamId, "CONTINUATION");
    return new Frame.Continuation(streamId, payload, (flags & FrameType.FLAG_END_HEADERS) != 0);
  }

  /** Returns the pad length, or -1 if not padded; checks it fits (§6.1, §6.2, §6.6). */
  private static int padLength(int flags, byte[] payload, int length, String type)
      throws Http2Exception {
    if ((flags & FrameType.FLAG_PADDED) == 0) {
      return -1;
    }
    if (length < 1) {
      throw connectionError(FRAME_SIZE_ERROR, "padded %s without a pad length", type);
    }
    int padding = payload[0] & 0xff;
    if (padding >= length) {
      throw connectionError(
          PROTOCOL_ERROR, "%s padding %d not shorter than payload %d", type, padding, length);
    }
    return padding;
  }

  private static Frame.Priority readPriority(byte[] payload, int offset) {
    int word = readInt(payload, offset);
    return new Frame.Priority(word & 0x7fffffff, word < 0, (payload[offset + 4] & 0xff) + 1);
  }

  private static void requireStream(int streamId, String type) throws Http2Exception {
    if (streamId == 0) {
      throw connectionError(PROTOCOL_ERROR, "%s frame on stream 0", type);
    }
  }

  private static void requireConnection(int streamId, String type) throws Http2Exception {
    if (streamId != 0) {
      throw connectionError(PROTOCOL_ERROR, "%s frame on stream %d, must be 0", type, streamId);
    }
  }

  static int readInt(byte[] b, int i) {
    return (b[i] & 0xff) << 24
        | (b[i + 1] & 0xff) << 16
        | (b[i + 2] & 0xff) << 8
        | (b[i + 3] & 0xff);
  }
}
