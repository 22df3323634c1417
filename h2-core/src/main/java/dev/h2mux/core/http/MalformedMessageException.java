package dev.h2mux.core.http;

/** A request or response that breaks the rules of RFC 9113 §8 or RFC 9110. */
public final class MalformedMessageException extends Exception {
  /**
   * Creates the exception.
   *
   * @param message which rule the message breaks
   */
  public MalformedMessageException(String message) {
    super(message);
  }
}
