package dev.h2mux.core.engine;

import dev.h2mux.core.frame.ErrorCode;
import java.io.IOException;

/**
 * A stream ended abnormally: reset by the peer or by us, or dropped by a GOAWAY or the connection's
 * end. {@link #isRetryable()} is true only when the peer certainly did not process the stream
 * (REFUSED_STREAM, or above a GOAWAY's last stream id; RFC 9113 §8.7).
 */
public final class StreamResetException extends IOException {
  private final ErrorCode error;
  private final boolean retryable;

  public StreamResetException(String message, ErrorCode error, boolean retryable) {
    super(message);
    this.error = error;
    this.retryable = retryable;
  }

  /** The error code the stream ended with. */
  public ErrorCode error() {
    return error;
  }

  /** True if the request may be sent again on another connection. */
  public boolean isRetryable() {
    return retryable;
  }
}
