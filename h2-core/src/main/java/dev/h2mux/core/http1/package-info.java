/**
 * The HTTP/1.1 codec (RFC 9112), shared by the server and the client: a strict, bounded head parser
 * and writer, body framing decisions, and the Content-Length and chunked body streams.
 *
 * <p>Everything here reads from an {@link dev.h2mux.core.io.PeekableInputStream} so that bytes past
 * a head stay available, and nothing closes the connection it reads or writes.
 */
package dev.h2mux.core.http1;
