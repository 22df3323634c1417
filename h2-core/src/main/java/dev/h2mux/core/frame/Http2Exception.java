package dev.h2mux.core.frame;

import java.io.IOException;

/**
 * A violation of RFC 9113, scoped to one stream (answered with RST_STREAM) or to the whole
 * connection (answered with GOAWAY), as the RFC classifies it.
 */
public final class Http2Exception extends IOException {
  private final ErrorCode error;
  private final int streamId;

  private Http2Exception(ErrorCode error, int streamId, String message) {
    super(message);
    this.error = error;
    this.streamId = streamId;
  }

  /** A connection error (§5.4.1): the connection ends with GOAWAY carrying {@code error}. */
  public static Http2Exception connectionError(ErrorCode error, String format, Object... args) {
    return new Http2Exception(error, 0, args.length == 0 ? format : String.format(format, args));
  }

  /** A stream error (§5.4.2): the stream ends with RST_STREAM carrying {@code error}. */
  public static Http2Exception streamError(
      int streamId, ErrorCode error, String format, Object... args) {
    if (streamId == 0) {
      throw new IllegalArgumentException("a stream error needs a stream");
    }
    return new Http2Exception(
        error, streamId, args.length == 0 ? format : String.format(format, args));
  }

  /** The error code to send. */
  public ErrorCode error() {
    return error;
  }

  /** The stream in error, or 0 for a connection error. */
  public int streamId() {
    return streamId;
  }

  /** True if the whole connection must end. */
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
