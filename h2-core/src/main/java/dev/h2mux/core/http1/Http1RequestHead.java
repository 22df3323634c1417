package dev.h2mux.core.http1;

import dev.h2mux.core.HttpFields;
import java.util.Objects;

/**
 * A parsed HTTP/1.x request line and header section.
 *
 * @param method the method token, such as {@code GET} (case-sensitive)
 * @param target the request target exactly as sent: origin-form {@code /a?b}, absolute-form,
 *     authority-form (CONNECT) or {@code *}
 * @param minorVersion 0 for HTTP/1.0, 1 for HTTP/1.1
 * @param headers the header fields in order, frozen
 */
public record Http1RequestHead(String method, String target, int minorVersion, HttpFields headers) {
  /**
   * Checks that nothing is null.
   *
   * @throws NullPointerException for a null method, target or headers
   */
  public Http1RequestHead {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(headers, "headers");
  }

  /** {@return {@code HTTP/1.0} or {@code HTTP/1.1}} */
  public String version() {
    return minorVersion == 0 ? "HTTP/1.0" : "HTTP/1.1";
  }
}
