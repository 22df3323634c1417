/**
 * Test code shared by the h2-core, h2-server and h2-client tests, published as h2-core's test jar:
 * {@link dev.h2mux.testkit.FramePeer}, one end of an HTTP/2 connection written frame by frame and
 * recorded as {@link dev.h2mux.core.frame.FrameLog} lines; {@link dev.h2mux.testkit.PeerServer}, a
 * loopback server of scripted peers for client tests; and {@link
 * dev.h2mux.testkit.EngineUnderTest}, a real engine with a peer at the other end.
 *
 * <p>Everything here binds to the loopback address and port 0 only, and every read has a timeout.
 */
package dev.h2mux.testkit;
