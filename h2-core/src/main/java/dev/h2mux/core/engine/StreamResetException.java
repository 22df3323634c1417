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

  /** False while Throwable's constructor runs, so that it captures no stack trace of its own. */
  private boolean constructed;

  public StreamResetException(String message, ErrorCode error, boolean retryable) {
    this(message, error, retryable, true);
  }

  /**
   * With {@code stackTrace} false the exception records no stack trace. The engine keeps such a one
   * as the reason a stream ended and throws a {@linkplain Http2Stream#copy copy}, with the
   * application's stack, whenever the application touches the stream: a peer that resets streams in
   * bulk must not make us walk the reader's stack for each.
   */
  StreamResetException(String message, ErrorCode error, boolean retryable, boolean stackTrace) {
    super(message);
    this.error = error;
    this.retryable = retryable;
    constructed = true;
    if (stackTrace) fillInStackTrace();
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return constructed ? super.fillInStackTrace() : this;
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
