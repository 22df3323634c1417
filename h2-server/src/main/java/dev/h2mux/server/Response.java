package dev.h2mux.server;

import dev.h2mux.core.HttpFields;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The response a {@link Handler} fills in. Status and headers may change until the response is
 * committed: by the first write to (or flush of) {@link #body()}, or when the handler returns.
 *
 * <p>After commit, over either protocol, {@link #headers()} is the same object as before, frozen:
 * it shows the fields as they were committed, and any change to it throws {@link
 * UnsupportedOperationException}, also through a reference taken before the commit, so a field set
 * too late fails instead of being silently lost. {@link #status(int)} then throws {@link
 * IllegalStateException}; trailers may still be set until the body is closed.
 */
public interface Response {
  /**
   * Sets the status code, before the response is committed.
   *
   * @param status a final status, 200..999 (an interim one goes through {@link #sendInformational})
   * @return this response
   * @throws IllegalArgumentException for a status outside 200..999
   * @throws IllegalStateException if the response is committed
   */
  Response status(int status);

  /**
   * The status code.
   *
   * @return the status set, 200 by default
   */
  int status();

  /**
   * The response header fields: mutable until the response is committed, then frozen in place (see
   * the class description). Over HTTP/1.1 the frozen fields include those the server added to frame
   * the body ({@code content-length} or {@code transfer-encoding}, {@code connection}, {@code
   * date}); over HTTP/2 they are the handler's plus {@code date}, of which those HTTP/2 does not
   * allow (RFC 9113 §8.2.2) were left out of the HEADERS frame.
   *
   * @return the header fields, the same object before and after commit
   */
  HttpFields headers();

  /**
   * The response body. Writes block while the peer's flow-control window (HTTP/2) or the socket
   * (HTTP/1.1) is full. Closing it ends the response, sending trailers if set. Without a {@code
   * content-length} header, HTTP/1.1 uses chunked encoding.
   *
   * @return the body, the same stream on every call
   * @throws IOException if the body cannot be opened
   */
  OutputStream body() throws IOException;

  /**
   * Sets trailer fields to send after the body, before the body is closed; a later call replaces
   * them. In HTTP/1.1 trailers need chunked encoding, so a response with a content-length drops
   * them. Over HTTP/2 the connection-specific fields (RFC 9113 §8.2.2) are left out, as in the
   * head.
   *
   * @param trailers the fields, copied
   * @return this response
   * @throws IllegalStateException if the body is closed
   * @throws IllegalArgumentException if a field is a pseudo-header ({@code :status}, …)
   */
  Response trailers(HttpFields trailers);

  /**
   * Whether the status and header fields were sent.
   *
   * @return true once the response is committed
   */
  boolean isCommitted();

  /**
   * Sends an interim response (RFC 9110 §15.2), such as 103 Early Hints, before the final one; it
   * is sent at once and may be repeated. HTTP/2 sends it as a HEADERS frame of its own (RFC 9113
   * §8.1); HTTP/1.1 as a head without content. An HTTP/1.0 client gets nothing, since RFC 9110
   * §15.2 forbids 1xx responses to it. A 100 Continue sent here spares the server's own.
   *
   * @param status 100 or 102..199 (101 belongs to the server's protocol upgrade)
   * @param headers its fields; {@code content-length} and {@code transfer-encoding} are not allowed
   * @throws IllegalArgumentException for another status or a forbidden field
   * @throws IllegalStateException if the response is already committed
   * @throws IOException if it cannot be sent
   */
  void sendInformational(int status, HttpFields headers) throws IOException;

  /**
   * Abandons the response so that the client sees it cut short. What the body was given before is
   * flushed first (this may wait for flow control, like a flush). HTTP/2 then resets the stream
   * (RST_STREAM with {@code error}, RFC 9113 §6.4), and the connection and its other streams go on;
   * before the response is committed the client gets no response at all. HTTP/1.1 has no resets:
   * the connection is closed without completing the response (the error code is not sent). Later
   * writes fail; a second call does nothing.
   *
   * @param error the RST_STREAM code, such as {@link Http2ErrorCode#CANCEL}
   */
  void reset(Http2ErrorCode error);
}
