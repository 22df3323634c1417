package dev.h2mux.core.frame;

/** The error codes of RFC 9113 §7, carried by RST_STREAM and GOAWAY. */
public enum ErrorCode {
  /** Not an error: a graceful shutdown, or a stream no longer needed. */
  NO_ERROR(0x0),
  /** A protocol error not covered by a more specific code. */
  PROTOCOL_ERROR(0x1),
  /** An unexpected internal error; also what an unknown code means. */
  INTERNAL_ERROR(0x2),
  /** The peer broke flow control. */
  FLOW_CONTROL_ERROR(0x3),
  /** SETTINGS were not acknowledged in time. */
  SETTINGS_TIMEOUT(0x4),
  /** A frame on a stream already half-closed or closed. */
  STREAM_CLOSED(0x5),
  /** A frame of the wrong size. */
  FRAME_SIZE_ERROR(0x6),
  /** The stream was refused before any processing: it may be retried (§8.7). */
  REFUSED_STREAM(0x7),
  /** The stream is no longer needed. */
  CANCEL(0x8),
  /** The field compression context can't be maintained. */
  COMPRESSION_ERROR(0x9),
  /** A CONNECT tunnel was reset or closed abnormally. */
  CONNECT_ERROR(0xa),
  /** The peer behaves in a way that may be generating excessive load. */
  ENHANCE_YOUR_CALM(0xb),
  /** The transport's security is not enough. */
  INADEQUATE_SECURITY(0xc),
  /** The request must be sent over HTTP/1.1 instead. */
  HTTP_1_1_REQUIRED(0xd);

  private static final ErrorCode[] BY_CODE = values();

  private final int code;

  ErrorCode(int code) {
    this.code = code;
  }

  /** {@return the code on the wire} */
  public int code() {
    return code;
  }

  /**
   * Returns the error for a wire code. Unknown codes must not trigger special behaviour (RFC 9113
   * §7), so they map to INTERNAL_ERROR.
   *
   * @param code the code as on the wire
   * @return its error code, or INTERNAL_ERROR when unknown
   */
  public static ErrorCode of(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : INTERNAL_ERROR;
  }
}
