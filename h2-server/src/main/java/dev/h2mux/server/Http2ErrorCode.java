package dev.h2mux.server;

/**
 * The error codes of RFC 9113 §7, for {@link Response#reset} (RST_STREAM) and {@link
 * Connection#goAway} (GOAWAY).
 */
public enum Http2ErrorCode {
  /** Not an error: a graceful end. */
  NO_ERROR(0x0),
  /** The peer broke the protocol. */
  PROTOCOL_ERROR(0x1),
  /** Something failed on our side. */
  INTERNAL_ERROR(0x2),
  /** The peer broke the flow-control rules. */
  FLOW_CONTROL_ERROR(0x3),
  /** SETTINGS were not acknowledged in time. */
  SETTINGS_TIMEOUT(0x4),
  /** A frame arrived on a stream already half-closed. */
  STREAM_CLOSED(0x5),
  /** A frame had the wrong size. */
  FRAME_SIZE_ERROR(0x6),
  /** The stream was refused before any processing: the client may retry it elsewhere. */
  REFUSED_STREAM(0x7),
  /** The stream is no longer needed. */
  CANCEL(0x8),
  /** The HPACK state could not be kept. */
  COMPRESSION_ERROR(0x9),
  /** A CONNECT tunnel failed. */
  CONNECT_ERROR(0xa),
  /** The peer is generating too much load. */
  ENHANCE_YOUR_CALM(0xb),
  /** The transport does not meet the security requirements. */
  INADEQUATE_SECURITY(0xc),
  /** The request must be sent over HTTP/1.1 instead. */
  HTTP_1_1_REQUIRED(0xd);

  private final int code;

  Http2ErrorCode(int code) {
    this.code = code;
  }

  /**
   * The code on the wire.
   *
   * @return the 32-bit error code of RFC 9113 §7
   */
  public int code() {
    return code;
  }
}
