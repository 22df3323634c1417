package dev.h2mux.core.engine;

/**
 * How long a connection has been idle. Only streams count as activity: while one is open the
 * connection is not idle, and once none is the clock runs whatever other frames arrive. A PING,
 * SETTINGS or WINDOW_UPDATE costs a peer nothing and would keep a connection, its memory and two
 * threads alive forever; a peer that wants the connection for later requests gets a GOAWAY after
 * the idle timeout and connects again. Read by the reader whenever it is about to wait; the streams
 * are counted so that streams that came and went between two looks count too.
 */
final class IdleClock {
  private static final long NOT_IDLE = Long.MIN_VALUE;

  private final long idleNanos;
  private long since = NOT_IDLE;
  private int openedWhenIdle;

  IdleClock(long idleNanos) {
    this.idleNanos = idleNanos;
  }

  /**
   * The idle time left at {@code now}, or Long.MAX_VALUE while streams are open.
   *
   * @param streamsOpen whether a stream is open now
   * @param streamsOpened how many streams the connection has opened so far
   */
  long left(long now, boolean streamsOpen, int streamsOpened) {
    if (streamsOpen) {
      since = NOT_IDLE;
      return Long.MAX_VALUE;
    }
    if (since == NOT_IDLE || streamsOpened != openedWhenIdle) {
      since = now; // idle from now: at the last look a stream was open, or one came and went
      openedWhenIdle = streamsOpened;
    }
    return idleNanos - (now - since);
  }

  /** True if the connection was idle when last looked at. */
  boolean running() {
    return since != NOT_IDLE;
  }
}
