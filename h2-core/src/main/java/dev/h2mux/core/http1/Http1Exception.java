package dev.h2mux.core.http1;

import java.io.IOException;

/**
 * A message that breaks the HTTP/1.1 grammar or framing rules (RFC 9112).
 *
 * <p>{@link #status()} is the status a server should answer with (400, 431, 501, 505) before
 * closing the connection; a client treats every instance as a broken response.
 */
public class Http1Exception extends IOException {
  /** The status a server answers this with. */
  private final int status;

  /**
   * Creates the exception.
   *
   * @param status the status a server answers this with, such as 400
   * @param message what is wrong, for logs
   */
  public Http1Exception(int status, String message) {
    super(message);
    this.status = status;
  }

  /** {@return the status a server answers this with} */
  public int status() {
    return status;
  }
}
