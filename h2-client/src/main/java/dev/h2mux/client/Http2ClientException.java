package dev.h2mux.client;

import java.io.IOException;

/**
 * A request failed because of what happened on its connection: the server reset the stream, went
 * away, violated the protocol, sent a malformed response, or closed the connection mid-response.
 * {@link #errorCode()} names the HTTP/2 error code when there is one.
 */
public class Http2ClientException extends IOException {
  private final String errorCode;

  /**
   * @param message what failed, for people
   * @param errorCode the HTTP/2 error code name, or null
   * @param cause the underlying failure, or null
   */
  public Http2ClientException(String message, String errorCode, Throwable cause) {
    super(message, cause);
    this.errorCode = errorCode;
  }

  /** The HTTP/2 error code, such as {@code CANCEL} or {@code PROTOCOL_ERROR}; null if none. */
  public String errorCode() {
    return errorCode;
  }
}
