package dev.h2mux.core.engine;

/**
 * The receiving side of one flow-control window (RFC 9113 §5.2, §6.9), a stream's or the
 * connection's: how many bytes the peer may still send, and how many it sent that were consumed
 * since we last gave them back in a WINDOW_UPDATE.
 *
 * <p>Bytes are given back as they are consumed (read by the application, or dropped unread), not as
 * they arrive, so a slow reader never makes us buffer more than the window. They are given back
 * once half the window's size is consumed: few WINDOW_UPDATE frames, and a peer that sends as fast
 * as we read never finds the window empty. That rule is written here once, for both levels.
 *
 * <p>Not thread-safe, and without a lock of its own: each window is guarded by its connection's
 * lock, like every other field of the connection and its streams, so one DATA frame is accounted at
 * both levels under one acquisition of that lock.
 */
final class InboundWindow {
  private final int size;
  private int window;
  private int unacknowledged;

  /**
   * @param initial what the peer may send before our first WINDOW_UPDATE: 65,535 for the
   *     connection; for a stream the initial window size the peer assumes (§6.9.2)
   * @param size the window we keep open: a WINDOW_UPDATE is due once half of it was consumed
   */
  InboundWindow(int initial, int size) {
    if (initial < 0 || size < 1) throw new IllegalArgumentException(initial + "/" + size);
    this.window = initial;
    this.size = size;
  }

  /** The bytes the peer may still send; negative only after {@link #takeUnchecked}. */
  int window() {
    return window;
  }

  /** The bytes consumed and not yet given back. */
  int unacknowledged() {
    return unacknowledged;
  }

  /**
   * Counts a DATA frame's {@code flowLength} (its whole payload, padding included, §6.1) against
   * the window.
   *
   * @return false if it exceeds the window, which leaves the window unchanged: the peer ignored our
   *     window, a FLOW_CONTROL_ERROR (§6.9.1), of the connection for the connection's window, of
   *     the stream for a stream's
   */
  boolean take(int flowLength) {
    if (flowLength < 0) throw new IllegalArgumentException("negative length " + flowLength);
    if (flowLength > 0 && flowLength > window) return false; // an empty frame never exceeds it
    window -= flowLength;
    return true;
  }

  /**
   * Counts bytes that arrived before flow control applied: the body of an h2c Upgrade request, read
   * as HTTP/1.1 (RFC 7540 §3.2). It may leave the window negative; consuming the bytes gives them
   * back as usual.
   */
  void takeUnchecked(int length) {
    if (length < 0) throw new IllegalArgumentException("negative length " + length);
    window -= length;
  }

  /**
   * Counts {@code n} received bytes as consumed: read by the application, dropped unread, or
   * padding, which never reaches it.
   *
   * @return the increment of the WINDOW_UPDATE to send now, which the window already includes; or 0
   *     while less than half the window's size is consumed
   */
  int consumed(int n) {
    if (n < 0) throw new IllegalArgumentException("negative count " + n);
    // Never more than was taken: what is consumed was received, and is not in the window.
    assert (long) unacknowledged + n <= Integer.MAX_VALUE : unacknowledged + " + " + n;
    unacknowledged += n;
    if (unacknowledged == 0 || unacknowledged < size / 2) return 0;
    int increment = unacknowledged;
    unacknowledged = 0;
    window += increment;
    return increment;
  }

  /**
   * Counts {@code n} received bytes as consumed without deciding on a WINDOW_UPDATE now: they are
   * given back with the next increment {@link #consumed} returns. For bytes consumed on the reader
   * thread (a frame's padding, a payload for an input the application closed): the stream's
   * WINDOW_UPDATEs follow the application's reads, so a peer does not send more to a stream that
   * nobody reads.
   */
  void consumedLater(int n) {
    if (n < 0) throw new IllegalArgumentException("negative count " + n);
    assert (long) unacknowledged + n <= Integer.MAX_VALUE : unacknowledged + " + " + n;
    unacknowledged += n;
  }

  /**
   * Opens the window by {@code increment}, which the caller sends as a WINDOW_UPDATE of its own:
   * the connection's, right after our SETTINGS, from the RFC's 65,535 up to the window we keep.
   */
  void grow(int increment) {
    if (increment < 1 || (long) window + increment > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("cannot grow window " + window + " by " + increment);
    }
    window += increment;
  }

  @Override
  public String toString() {
    return "window " + window + ", unacknowledged " + unacknowledged + " of " + size;
  }
}
