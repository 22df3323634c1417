/**
 * The h2mux client: {@link dev.h2mux.client.Http2Client} sends {@link
 * dev.h2mux.client.ClientRequest}s over one multiplexed HTTP/2 connection per origin, falls back to
 * pooled HTTP/1.1 connections where the origin speaks nothing else, and retries what the server
 * refused.
 *
 * <p>Public API: {@code Http2Client}, {@code ClientRequest}, {@code ClientResponse}, {@code
 * ConnectionMode}, {@code Protocol}, {@code Http2ClientException} and {@code TraceListener}; pools
 * and connections are internal. Threads: a client is thread-safe and meant to be shared; a call
 * runs on its caller's thread ({@code sendAsync} on a virtual thread of its own), each HTTP/2
 * connection has a platform reader thread and a virtual writer thread, and one daemon timer thread
 * per client closes idle connections and sends keep-alive PINGs.
 */
package dev.h2mux.client;
