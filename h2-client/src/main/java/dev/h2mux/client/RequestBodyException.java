package dev.h2mux.client;

import java.io.IOException;

/**
 * The request body's own source failed while it was being sent: its {@link
 * ClientRequest.BodyWriter} threw, or its file or input stream could not be read. The cause is that
 * failure. The exchange was cut off (an HTTP/2 stream reset with CANCEL, an HTTP/1.1 connection
 * closed), so the server knows the body is incomplete.
 *
 * <p>The request body is sent while the response arrives, so this failure surfaces where the caller
 * is: from {@link Http2Client#send} if the response head had not arrived, else from the response
 * body's next read (curl's exit code 26, "read error").
 */
public final class RequestBodyException extends IOException {
  RequestBodyException(String message, Throwable cause) {
    super(message, cause);
  }
}
