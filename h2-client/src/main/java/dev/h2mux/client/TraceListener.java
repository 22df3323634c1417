package dev.h2mux.client;

/**
 * Sees what the client sends and receives, for debugging (the CLI's {@code -v}). Called on the
 * connection's reader and writer threads: it must be quick and must not block.
 */
@FunctionalInterface
public interface TraceListener {
  /** Which way a trace event went. */
  enum Direction {
    /** Sent by the client. */
    OUT,
    /** Received from the server. */
    IN,
    /** Something the client did or decided (connecting, TLS, protocol choice). */
    INFO
  }

  /**
   * One event: an HTTP/2 frame ({@code "SETTINGS stream=0 length=24 {...}"}), an HTTP/1.1 head
   * line, or a connection event.
   *
   * @param connection a short name of the connection, such as {@code 127.0.0.1:8080#1}
   * @param direction which way it went
   * @param event a one-line description
   */
  void trace(String connection, Direction direction, String event);
}
