package dev.h2mux.client;

import dev.h2mux.core.engine.StreamResetException;
import dev.h2mux.core.http1.Http1Exception;
import java.io.IOException;

/** Turns engine and codec failures into the exceptions the public API promises. */
final class Failures {
  private Failures() {}

  static IOException translate(IOException e) {
    if (e instanceof Http2ClientException) return e;
    if (e instanceof ConnectionLostException lost) {
      return new Http2ClientException(lost.getMessage(), null, lost.getCause());
    }
    if (e instanceof StreamResetException r) {
      return new Http2ClientException(describe(r), r.error().name(), r);
    }
    if (e instanceof Http1Exception h) {
      return new Http2ClientException("malformed HTTP/1.1 response: " + h.getMessage(), null, h);
    }
    return e;
  }

  private static String describe(StreamResetException r) {
    String message = r.getMessage();
    return switch (r.error()) {
      case CANCEL ->
          message.contains("closed")
              ? "the server closed the connection: " + message
              : "stream cancelled: " + message;
      case NO_ERROR -> message;
      default -> message + " (" + r.error() + ")";
    };
  }
}
