/**
 * HTTP/2 frames (RFC 9113 §4, §6): {@link dev.h2mux.core.frame.Frame} values, the {@link
 * dev.h2mux.core.frame.FrameReader} that validates each frame as it parses it and throws a scoped
 * {@link dev.h2mux.core.frame.Http2Exception}, the {@link dev.h2mux.core.frame.FrameWriter} that
 * splits what a frame can't hold, SETTINGS values, error codes, and {@link
 * dev.h2mux.core.frame.FrameLog} lines for traces, fed by a {@link
 * dev.h2mux.core.frame.FrameObserver}.
 *
 * <p>Exported to the server and client modules only. A reader is used by one thread, the
 * connection's reader, and a writer by one, its writer; frame values are immutable.
 */
package dev.h2mux.core.frame;
