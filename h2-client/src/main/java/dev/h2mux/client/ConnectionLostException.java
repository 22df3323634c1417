package dev.h2mux.client;

import java.io.IOException;

/**
 * A connection ended before the response head arrived: the server may or may not have seen the
 * request, so only an idempotent request is sent again. Given to the caller as an {@link
 * Http2ClientException}, or an {@link EmptyResponseException} if not a byte of a response came.
 */
final class ConnectionLostException extends IOException {
  private final boolean emptyResponse;

  ConnectionLostException(String message, Throwable cause) {
    this(message, cause, false);
  }

  private ConnectionLostException(String message, Throwable cause, boolean emptyResponse) {
    super(message, cause);
    this.emptyResponse = emptyResponse;
  }

  /** The server closed the connection without a byte of a response (curl's exit code 52). */
  static ConnectionLostException emptyResponse(String message, Throwable cause) {
    return new ConnectionLostException(message, cause, true);
  }

  /** Whether not a byte of a response came before the end. */
  boolean isEmptyResponse() {
    return emptyResponse;
  }
}
