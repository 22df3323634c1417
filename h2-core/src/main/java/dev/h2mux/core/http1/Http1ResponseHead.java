package dev.h2mux.core.http1;

import dev.h2mux.core.HttpFields;
import java.util.Objects;

/**
 * A parsed HTTP/1.x status line and header section.
 *
 * @param minorVersion 0 for HTTP/1.0, 1 for HTTP/1.1
 * @param status the three-digit status code
 * @param reason the reason phrase, possibly empty
 * @param headers the header fields in order, frozen
 */
public record Http1ResponseHead(int minorVersion, int status, String reason, HttpFields headers) {
  /**
   * Checks that nothing is null.
   *
   * @throws NullPointerException for a null reason or headers
   */
  public Http1ResponseHead {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(headers, "headers");
  }
}
