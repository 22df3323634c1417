package dev.h2mux.server;

import dev.h2mux.core.HttpFields;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The response a {@link Handler} fills in. Status and headers may change until the response is
 * committed: by the first write to (or flush of) {@link #body()}, or when the handler returns.
 */
public interface Response {
  /** Sets the status code (default 200); must be called before the response is committed. */
  Response status(int status);

  /** The status code. */
  int status();

  /** The response header fields; mutable until the response is committed. */
  HttpFields headers();

  /**
   * The response body. Writes block while the peer's flow-control window (HTTP/2) or the socket
   * (HTTP/1.1) is full. Closing it ends the response, sending trailers if set. Without a {@code
   * content-length} header, HTTP/1.1 uses chunked encoding.
   */
  OutputStream body() throws IOException;

  /**
   * Sets trailer fields to send after the body. Must be called before the body is closed. In
   * HTTP/1.1 trailers need chunked encoding, so a response with a content-length drops them.
   */
  Response trailers(HttpFields trailers);

  /** True once the status and headers were sent. */
  boolean isCommitted();
}
