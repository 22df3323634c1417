package dev.h2mux.core.http;

import dev.h2mux.core.HttpFields;

/** A validated response head. {@code contentLength} is -1 when absent. */
public record ResponseHead(int status, HttpFields headers, long contentLength) {
  /** True for a 1xx response, which another head follows. */
  public boolean isInformational() {
    return status >= 100 && status < 200;
  }
}
