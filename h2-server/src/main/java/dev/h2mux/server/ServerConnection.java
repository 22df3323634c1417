package dev.h2mux.server;

import java.io.IOException;

/**
 * One accepted connection, as the server tracks it. {@link #serve()} runs on the connection's own
 * virtual thread; the other two methods may be called from any thread, any number of times.
 */
interface ServerConnection {
  /** Serves the connection until it ends, then closes its socket. */
  void serve() throws IOException;

  /**
   * Asks the connection to finish what is in flight and then close: HTTP/1.1 completes the current
   * request (an idle connection closes at once), HTTP/2 sends GOAWAY. Returns without waiting.
   */
  void shutdownGracefully();

  /**
   * Ends the connection now: what is in flight is cut; {@link #serve()} then ends with an exception
   * or returns.
   *
   * @return the number of requests (HTTP/1.1) or streams (HTTP/2) that were in flight and are cut
   */
  int closeNow();

  /**
   * The acceptor's periodic look ({@link Acceptor}), from its thread: closes the connection
   * gracefully if it has waited for its next request (HTTP/1.1) or stream (HTTP/2) longer than the
   * idle timeout, which the connection's own waits leave to this sweep.
   *
   * @param nowNanos {@link System#nanoTime()} at the sweep
   */
  default void sweep(long nowNanos) {}
}
