package dev.h2mux.client;

import java.io.IOException;

/**
 * A connection ended before the response head arrived: the server may or may not have seen the
 * request, so only an idempotent request is sent again.
 */
final class ConnectionLostException extends IOException {
  ConnectionLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
