package dev.h2mux.core.http1;

/**
 * A message head (start line and fields) or a trailer section larger than the configured limit. A
 * server answers 431 (Request Header Fields Too Large).
 */
public final class HeadTooLargeException extends Http1Exception {
  /**
   * Creates the exception, status 431.
   *
   * @param limit the limit in bytes that was exceeded
   */
  public HeadTooLargeException(int limit) {
    super(431, "message head exceeds " + limit + " bytes");
  }
}
