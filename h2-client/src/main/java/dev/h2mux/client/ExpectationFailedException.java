package dev.h2mux.client;

import java.io.IOException;

/**
 * The server answered a request's {@code Expect: 100-continue} with {@code 417 Expectation Failed}
 * before its body was sent; the request goes again without the expectation, as RFC 9110 §10.1.1
 * says a client should (and curl does). Never seen by callers.
 */
final class ExpectationFailedException extends IOException {
  ExpectationFailedException() {
    super("417 Expectation Failed");
  }
}
