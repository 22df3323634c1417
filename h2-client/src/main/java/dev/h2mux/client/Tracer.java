package dev.h2mux.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands events to the client's {@link TraceListener}. A listener that throws is logged and ignored:
 * tracing never fails a request. Callers check for a listener before they make an event, so that
 * without one no event is made.
 */
final class Tracer {
  private static final Logger log = LoggerFactory.getLogger(Tracer.class);

  private Tracer() {}

  /** Gives {@code event} to {@code listener}, which is not null. */
  static void emit(TraceListener listener, TraceEvent event) {
    try {
      listener.trace(event);
    } catch (RuntimeException e) {
      log.warn("the trace listener failed on {}", event, e);
    }
  }

  /** An {@link TraceEvent.Info} line, if there is a listener. */
  static void info(TraceListener listener, String connection, String text) {
    if (listener != null) emit(listener, new TraceEvent.Info(connection, text));
  }
}
