package dev.h2mux.core.engine;

import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameLog;
import dev.h2mux.core.frame.FrameObserver;
import dev.h2mux.core.frame.Http2Exception;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's frames both ways, one {@link FrameLog} line each at TRACE level of the logger
 * {@code dev.h2mux.core.engine.FrameTrace}: {@code h2-server-5432 << HEADERS 1
 * END_STREAM|END_HEADERS 23}. Installed on a connection's reader and writer only when that level is
 * on as the connection starts ({@link #ifEnabled}), so a connection without it pays one null check
 * per frame and nothing else.
 */
final class FrameTrace implements FrameObserver {
  private static final Logger log = LoggerFactory.getLogger(FrameTrace.class);

  private final String connection;

  private FrameTrace(String connection) {
    this.connection = connection;
  }

  /** A trace for the connection named {@code connection}, or null when TRACE is off. */
  static FrameTrace ifEnabled(String connection) {
    return log.isTraceEnabled() ? new FrameTrace(connection) : null;
  }

  @Override
  public void frame(Direction direction, Frame frame) {
    log.trace("{} {}", connection, FrameLog.describe(direction, frame));
  }

  @Override
  public void rejected(int type, int flags, int streamId, int length, Http2Exception error) {
    log.trace("{} {}", connection, FrameLog.rejected(type, flags, streamId, length, error));
  }
}
