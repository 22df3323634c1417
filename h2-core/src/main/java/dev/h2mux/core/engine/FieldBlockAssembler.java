package dev.h2mux.core.engine;

import static dev.h2mux.core.frame.ErrorCode.PROTOCOL_ERROR;
import static dev.h2mux.core.frame.Http2Exception.connectionError;

import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.frame.Http2Exception;
import java.io.ByteArrayOutputStream;

/**
 * Assembles a field block sent as HEADERS and CONTINUATION frames (RFC 9113 §4.3, §6.10): nothing
 * but CONTINUATIONs of the same stream may come between the HEADERS and the frame with END_HEADERS,
 * and a block is bounded in bytes and in frames. A block can't be decoded without holding it all,
 * and a block not decoded leaves HPACK out of step, so each violation is a connection error
 * (§10.5.1).
 *
 * <p>Used by the reader thread only.
 */
final class FieldBlockAssembler {
  /** CONTINUATION frames one block may span: an empty-CONTINUATION flood is cut off here. */
  static final int MAX_CONTINUATIONS = 512;

  private final int maxBlockBytes;

  /** The HEADERS that began the block being assembled, or null between blocks. */
  private Frame.Headers headers;

  private ByteArrayOutputStream block;
  private int continuations;

  /**
   * @param maxBlockBytes the most compressed bytes a block may have, all its frames together
   */
  FieldBlockAssembler(int maxBlockBytes) {
    this.maxBlockBytes = maxBlockBytes;
  }

  /**
   * Checks that {@code frame} may come now: inside a block only its CONTINUATIONs may.
   *
   * @throws Http2Exception PROTOCOL_ERROR of the connection for any other frame inside a block
   */
  void check(Frame frame) throws Http2Exception {
    if (headers != null && !(frame instanceof Frame.Continuation)) {
      throw connectionError(
          PROTOCOL_ERROR,
          "%s inside a field block of stream %d",
          FrameType.name(frame.type()),
          headers.streamId());
    }
  }

  /** Begins a block with a HEADERS frame without END_HEADERS. */
  void begin(Frame.Headers first) {
    headers = first;
    block = new ByteArrayOutputStream(first.block().length * 2);
    block.writeBytes(first.block());
    continuations = 0;
  }

  /**
   * Adds a CONTINUATION to the block.
   *
   * @return true once it ended the block, whose HEADERS and bytes {@link #headers} and {@link
   *     #takeBlock} then give
   * @throws Http2Exception PROTOCOL_ERROR without a block of its stream begun; ENHANCE_YOUR_CALM
   *     past the limits
   */
  boolean add(Frame.Continuation continuation) throws Http2Exception {
    if (headers == null || continuation.streamId() != headers.streamId()) {
      throw connectionError(PROTOCOL_ERROR, "CONTINUATION without a HEADERS before it");
    }
    if (++continuations > MAX_CONTINUATIONS
        || block.size() + continuation.block().length > maxBlockBytes) {
      throw connectionError(ErrorCode.ENHANCE_YOUR_CALM, "field block too large");
    }
    block.writeBytes(continuation.block());
    return continuation.endHeaders();
  }

  /** The HEADERS that began the block just ended. */
  Frame.Headers headers() {
    return headers;
  }

  /** The bytes of the block just ended; the assembler is then ready for the next one. */
  byte[] takeBlock() {
    byte[] bytes = block.toByteArray();
    headers = null;
    block = null;
    return bytes;
  }
}
