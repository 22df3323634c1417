package dev.h2mux.core.engine;

import dev.h2mux.core.frame.ErrorCode;
import java.io.IOException;

/**
 * A stream ended abnormally: reset by the peer or by us, or dropped by a GOAWAY or the connection's
 * end. {@link #reason()} says which, so that callers decide by type, never by message; {@link
 * #isRetryable()} is true only when the peer certainly did not process the stream (RFC 9113 §8.7).
 */
public final class StreamResetException extends IOException {
  /** Why the stream ended. */
  public enum Reason {
    /** The peer reset the stream with RST_STREAM (other than REFUSED_STREAM). */
    PEER_RESET,
    /**
     * The peer did not process the stream (RFC 9113 §8.7): RST_STREAM with REFUSED_STREAM, a stream
     * above the last stream id of a GOAWAY, or a connection that takes no new streams. It may be
     * sent again on another connection.
     */
    REFUSED,
    /**
     * The connection ended while the stream was open: the peer closed it or sent GOAWAY with an
     * error, its socket failed, we found a connection error, or it was closed locally.
     */
    CONNECTION_CLOSED,
    /** We reset the stream: the application cancelled it, or the peer's frames broke a rule. */
    LOCAL_RESET
  }

  /** The error code the stream ended with. */
  private final ErrorCode error;

  /** Why the stream ended. */
  private final Reason reason;

  /** False while Throwable's constructor runs, so that it captures no stack trace of its own. */
  private boolean constructed;

  /**
   * Creates the exception, with a stack trace.
   *
   * @param message what happened, for people
   * @param error the error code the stream ended with
   * @param reason why it ended, for code to decide on
   */
  public StreamResetException(String message, ErrorCode error, Reason reason) {
    this(message, error, reason, true);
  }

  /**
   * With {@code stackTrace} false the exception records no stack trace. The engine keeps such a one
   * as the reason a stream ended and throws a {@linkplain #forCaller copy}, with the application's
   * stack, whenever the application touches the stream: a peer that resets streams in bulk must not
   * make us walk the reader's stack for each.
   */
  StreamResetException(String message, ErrorCode error, Reason reason, boolean stackTrace) {
    super(message);
    this.error = error;
    this.reason = reason;
    constructed = true;
    if (stackTrace) fillInStackTrace();
  }

  /** A fresh copy to throw, with the caller's stack trace; its cause is this one. */
  StreamResetException forCaller() {
    StreamResetException fresh = new StreamResetException(getMessage(), error, reason);
    fresh.initCause(this);
    return fresh;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return constructed ? super.fillInStackTrace() : this;
  }

  /** {@return the error code the stream ended with} */
  public ErrorCode error() {
    return error;
  }

  /** {@return why the stream ended} */
  public Reason reason() {
    return reason;
  }

  /**
   * {@return true if the request may be sent again on another connection: {@link Reason#REFUSED}}
   */
  public boolean isRetryable() {
    return reason == Reason.REFUSED;
  }
}
