/**
 * The h2mux client: {@link dev.h2mux.client.Http2Client} sends {@link
 * dev.h2mux.client.ClientRequest}s over one multiplexed HTTP/2 connection per origin, falls back to
 * pooled HTTP/1.1 connections where the origin speaks nothing else, and retries what the server
 * refused.
 *
 * <p>Public API: {@code Http2Client} and its {@code Http2ClientBuilder}; {@code ClientRequest} with
 * the hooks a request may carry ({@code RedirectHook} for each redirect followed, {@code
 * InterimResponseListener} for 1xx heads); {@code ClientResponse} and its {@code ExchangeInfo}
 * (curl's {@code -w} measurements); {@code ConnectionMode} and {@code Protocol}; {@code
 * TraceListener} and the {@code TraceEvent}s it is told (frames, request and response heads, info);
 * and the failures callers decide by type: {@code Http2ClientException} (with {@code
 * EmptyResponseException}), {@code ConnectTimeoutException} (naming its step), {@code
 * RedirectException}, {@code ProxyTunnelException}, {@code RequestBodyException}. Pools,
 * connections, the connect steps and the wire trace are internal.
 *
 * <p>Threads: a client is thread-safe and meant to be shared; a call runs on its caller's thread
 * ({@code sendAsync} on a virtual thread of its own), and so do its hooks and listeners. Each
 * HTTP/2 connection has a platform reader thread and a virtual writer thread; a request body is
 * sent by a virtual thread of its own; a host name is looked up on a virtual thread, so that the
 * connect timeout bounds it; and one daemon timer thread per client closes idle connections and
 * sends keep-alive PINGs. {@link dev.h2mux.client.Http2Client#close()} ends them all (a name lookup
 * the system resolver does not let go of ends when the resolver returns).
 */
package dev.h2mux.client;
