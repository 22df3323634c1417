package dev.h2mux.server.demo;

/**
 * A request an endpoint cannot serve as asked: answered with {@link #status()} (400 unless said
 * otherwise) and the message, which says what is allowed, as a text body.
 */
final class BadRequestException extends Exception {
  private final int status;

  BadRequestException(String message) {
    this(400, message);
  }

  BadRequestException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The status to answer with. */
  int status() {
    return status;
  }
}
