package dev.h2mux.server;

/**
 * Serves one request. The same handler serves HTTP/2 streams and HTTP/1.1 requests.
 *
 * <p>Each call runs on a virtual thread: its own for each HTTP/2 stream, the connection's for
 * HTTP/1.1 (whose requests on one connection come one after another). So a handler may block (on
 * I/O, on a slow client, on flow control) without holding up other streams or connections. When
 * {@code handle} returns, the response is completed: headers are sent if they were not yet, the
 * body is closed, and trailers (if any) are sent. If it throws before the response is committed the
 * client gets a 500; after, the stream is reset (HTTP/2 RST_STREAM INTERNAL_ERROR) or the HTTP/1.1
 * connection is closed.
 */
@FunctionalInterface
public interface Handler {
  /**
   * Handles one exchange.
   *
   * @param request the request; its body streams in as the handler reads it
   * @param response the response to fill in
   * @throws Exception on any failure; see the class documentation for what the client sees
   */
  void handle(Request request, Response response) throws Exception;
}
