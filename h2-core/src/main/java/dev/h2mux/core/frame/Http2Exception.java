package dev.h2mux.core.frame;

import java.io.IOException;

/**
 * A violation of RFC 9113, scoped to one stream (answered with RST_STREAM) or to the whole
 * connection (answered with GOAWAY), as the RFC classifies it.
 */
public final class Http2Exception extends IOException {
  /** The error code to send. */
  private final ErrorCode error;

  /** The stream in error, or 0 for the connection. */
  private final int streamId;

  private Http2Exception(ErrorCode error, int streamId, String message) {
    super(message);
    this.error = error;
    this.streamId = streamId;
  }

  /**
   * A connection error (§5.4.1): the connection ends with GOAWAY carrying {@code error}.
   *
   * @param error the code of the GOAWAY
   * @param format the message, a {@link String#format} pattern when {@code args} are given
   * @param args the pattern's arguments
   * @return the exception, for the caller to throw
   */
  public static Http2Exception connectionError(ErrorCode error, String format, Object... args) {
    return new Http2Exception(error, 0, args.length == 0 ? format : String.format(format, args));
  }

  /**
   * A stream error (§5.4.2): the stream ends with RST_STREAM carrying {@code error}.
   *
   * @param streamId the stream in error, not 0
   * @param error the code of the RST_STREAM
   * @param format the message, a {@link String#format} pattern when {@code args} are given
   * @param args the pattern's arguments
   * @return the exception, for the caller to throw
   */
  public static Http2Exception streamError(
      int streamId, ErrorCode error, String format, Object... args) {
    if (streamId == 0) {
      throw new IllegalArgumentException("a stream error needs a stream");
    }
    return new Http2Exception(
        error, streamId, args.length == 0 ? format : String.format(format, args));
  }

  /** {@return the error code to send} */
  public ErrorCode error() {
    return error;
  }

  /** {@return the stream in error, or 0 for a connection error} */
  public int streamId() {
    return streamId;
  }

  /** {@return true if the whole connection must end} */
  public boolean isConnectionError() {
    return streamId == 0;
  }

  @Override
  public String getMessage() {
    return (isConnectionError() ? "connection error " : "stream " + streamId + " error ")
        + error
        + ": "
        + super.getMessage();
  }
}
