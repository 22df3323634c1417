package dev.h2mux.core.engine;

/**
 * The sending side of one flow-control window (RFC 9113 §5.2, §6.9), a stream's or the
 * connection's: the credit the peer granted us. DATA takes credit; the peer's WINDOW_UPDATE adds
 * it; a change of the peer's SETTINGS_INITIAL_WINDOW_SIZE shifts every stream's window by the
 * difference, which may leave it negative (§6.9.2).
 *
 * <p>Not thread-safe, and without a lock of its own: each window is guarded by its connection's
 * lock, as {@link InboundWindow} is, so taking credit at both levels for one frame takes that lock
 * once, and a writer waiting for credit waits on one of its conditions.
 */
final class OutboundWindow {
  /** The largest window a peer may grant (§6.9.1). */
  static final int MAX = Integer.MAX_VALUE;

  private int window;

  /**
   * @param initial the peer's initial window: 65,535 for the connection, its
   *     SETTINGS_INITIAL_WINDOW_SIZE for a stream
   */
  OutboundWindow(int initial) {
    if (initial < 0) throw new IllegalArgumentException("negative window " + initial);
    this.window = initial;
  }

  /** The credit left; negative after a shift below what was already sent. */
  int window() {
    return window;
  }

  /** The bytes that may be sent now: the credit left, or 0 if it is negative. */
  int available() {
    return Math.max(0, window);
  }

  /**
   * Takes credit for up to {@code max} bytes.
   *
   * @return the bytes granted, {@code min(max, available())}; 0 while the window is empty
   */
  int take(int max) {
    if (max < 0) throw new IllegalArgumentException("negative length " + max);
    int n = Math.min(max, available());
    window -= n;
    return n;
  }

  /**
   * Adds the increment of a WINDOW_UPDATE (positive: the reader refuses 0).
   *
   * @return false if the window would exceed 2^31-1, which leaves it unchanged: a
   *     FLOW_CONTROL_ERROR (§6.9.1), of the connection for the connection's window, of the stream
   *     for a stream's
   */
  boolean add(int increment) {
    if (increment < 1) throw new IllegalArgumentException("increment " + increment);
    if ((long) window + increment > MAX) return false;
    window += increment;
    return true;
  }

  /**
   * Moves the window by {@code delta}, the change of the peer's SETTINGS_INITIAL_WINDOW_SIZE
   * (§6.9.2). A negative delta may leave the window negative; no DATA is sent until WINDOW_UPDATEs
   * bring it back above zero.
   *
   * @return false if the window would exceed 2^31-1, which leaves it unchanged: a connection error
   *     FLOW_CONTROL_ERROR (§6.9.2), whichever window overflows
   */
  boolean shift(int delta) {
    long shifted = (long) window + delta;
    if (shifted > MAX) return false;
    // The window never falls below -(2^31-1): credit is taken only while it is positive, and a
    // setting, once in force, can take back at most itself.
    assert shifted >= -MAX : shifted;
    window = (int) shifted;
    return true;
  }

  @Override
  public String toString() {
    return "window " + window;
  }
}
