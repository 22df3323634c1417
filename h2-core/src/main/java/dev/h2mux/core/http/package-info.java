/**
 * HTTP semantics carried over HTTP/2 (RFC 9113 §8, RFC 9110): the checks that turn decoded fields
 * into a validated {@link dev.h2mux.core.http.RequestHead} or {@link
 * dev.h2mux.core.http.ResponseHead}, or reject them as malformed.
 *
 * <p>Exported to the server and client modules only. Stateless functions and immutable records:
 * safe on any thread.
 */
package dev.h2mux.core.http;
