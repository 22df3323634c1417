package dev.h2mux.client;

/**
 * The server closed an HTTP/1.1 connection without sending a byte of a response to the request
 * (curl's exit code 52, "Empty reply from server"). An idempotent request was already sent again on
 * a new connection, as often as the client retries; this is the last attempt's failure.
 */
public final class EmptyResponseException extends Http2ClientException {
  EmptyResponseException(String message, Throwable cause) {
    super(message, null, cause);
  }
}
