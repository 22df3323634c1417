package dev.h2mux.core.http;

import dev.h2mux.core.HttpFields;

/**
 * A validated response head.
 *
 * @param status the status code
 * @param headers the regular fields, in order
 * @param contentLength the content-length, or -1 when absent
 */
public record ResponseHead(int status, HttpFields headers, long contentLength) {
  /** {@return true for a 1xx response, which another head follows} */
  public boolean isInformational() {
    return status >= 100 && status < 200;
  }
}
