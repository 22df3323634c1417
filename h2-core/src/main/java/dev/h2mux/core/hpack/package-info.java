/**
 * HPACK field compression (RFC 7541) over twitter-hpack: an encoder used only by a connection's
 * writer, so blocks are encoded in wire order, and a decoder used only by its reader, which decodes
 * every block in full to keep the dynamic table in step and reports oversized or malformed fields
 * in its result instead of throwing.
 *
 * <p>Exported to the server and client modules only; neither class is thread-safe.
 */
package dev.h2mux.core.hpack;
