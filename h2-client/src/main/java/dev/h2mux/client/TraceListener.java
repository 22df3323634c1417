package dev.h2mux.client;

/**
 * Sees what the client sends and receives, for debugging (the CLI's {@code -v}); installed with
 * {@link Http2ClientBuilder#trace}. Without one, the client makes no event and builds no text.
 *
 * <p>The client calls {@link #trace(TraceEvent)} with typed events: HTTP/2 frames, the heads of
 * requests as they are sent and of responses as they arrive, and what it does on the way. A
 * listener that wants them overrides that method; its default turns each event into {@linkplain
 * TraceEvent#lines() lines} for {@link #trace(String, Direction, String)}, so a lambda that logs
 * lines keeps working:
 *
 * <pre>{@code
 * Http2Client.builder().trace((connection, direction, line) -> log.debug("{} {} {}", connection, direction, line))
 * }</pre>
 *
 * <p>Called on the connection's reader and writer threads and on the threads that send requests,
 * concurrently: it must be thread-safe and quick, and must not block. A listener that throws never
 * fails a request or a connection: a failure on a head or info event is logged, and one on a frame
 * stops the frame trace of that connection's direction.
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
   * One line of an event, for listeners that log text: a frame in {@link
   * dev.h2mux.core.frame.FrameLog}'s form ({@code SETTINGS 0 MAX_CONCURRENT_STREAMS=100}), one line
   * of a request or response head ({@code GET / HTTP/2}, then {@code host: localhost:8080}, …), or
   * an info line. Not called for events a listener takes through {@link #trace(TraceEvent)}.
   *
   * @param connection a short name of the connection, such as {@code 127.0.0.1:8080#1}
   * @param direction which way it went
   * @param event the line
   */
  void trace(String connection, Direction direction, String event);

  /**
   * One event. The default passes each of its {@linkplain TraceEvent#lines() lines} to {@link
   * #trace(String, Direction, String)}.
   *
   * @param event what happened
   */
  default void trace(TraceEvent event) {
    for (String line : event.lines()) trace(event.connection(), event.direction(), line);
  }
}
