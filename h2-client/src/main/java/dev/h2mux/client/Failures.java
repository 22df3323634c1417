package dev.h2mux.client;

import dev.h2mux.core.engine.StreamResetException;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.http1.Http1Exception;
import java.io.IOException;

/** Turns engine and codec failures into the exceptions the public API promises, by type. */
final class Failures {
  private Failures() {}

  static IOException translate(IOException e) {
    if (e instanceof Http2ClientException) return e;
    if (e instanceof ConnectionLostException lost) {
      return lost.isEmptyResponse()
          ? new EmptyResponseException(lost.getMessage(), lost.getCause())
          : new Http2ClientException(lost.getMessage(), null, lost.getCause());
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
    String code = r.error() == ErrorCode.NO_ERROR ? "" : " (" + r.error() + ")";
    return switch (r.reason()) {
      case PEER_RESET -> "the server reset the stream" + code;
      case REFUSED -> "the server did not process the request: " + message + code;
      case CONNECTION_CLOSED ->
          r.error() == ErrorCode.CANCEL
              ? "the server closed the connection: " + message
              : message + code;
      case LOCAL_RESET ->
          r.error() == ErrorCode.CANCEL ? "stream cancelled: " + message : message + code;
    };
  }
}
