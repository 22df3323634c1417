/**
 * Socket input that both protocols read through: {@link dev.h2mux.core.io.PeekableInputStream}
 * buffers a connection's bytes and can look ahead without consuming them, so the server can tell
 * the HTTP/2 preface from an HTTP/1.1 request, and whatever was read past an HTTP/1.1 head (a body,
 * a pipelined request, the frames after an h2c Upgrade) is read next from the same buffer.
 *
 * <p>Exported to the server and client modules only; not thread-safe (one reader per connection).
 */
package dev.h2mux.core.io;
