/**
 * The one piece of h2-core that is public API: {@link dev.h2mux.core.HttpFields}, the ordered,
 * case-insensitive list of header and trailer fields that the server's and the client's public
 * types hand out.
 *
 * <p>Every other h2-core package is exported only to the h2mux server and client modules. An {@code
 * HttpFields} is not thread-safe while it can change; a frozen one may be shared.
 */
package dev.h2mux.core;
