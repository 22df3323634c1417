package dev.h2mux.core.frame;

/**
 * Sees every frame a {@link FrameReader} reads or a {@link FrameWriter} writes: for wire traces
 * ({@link FrameLog} turns each frame into one line) and for tests. Install one with {@link
 * FrameReader#observer} and {@link FrameWriter#observer}; without one, reading and writing cost one
 * null check per frame more.
 *
 * <p>It is called on the thread that reads or writes, after a frame is read whole (and found valid)
 * or before it is written. One observer given to a connection's reader and writer is called from
 * two threads at once, so it must be thread-safe; it must also be quick, and must not block or
 * throw, since it runs inside the connection's read and write loops. The arrays a frame holds (a
 * DATA payload, a field block fragment) are the reader's or writer's, and may be reused once the
 * call returns: an observer that keeps bytes copies them.
 */
public interface FrameObserver {
  /** Which way a frame went, from the observing end's side. */
  enum Direction {
    /** Read from the peer: {@code <<}. */
    RECEIVED("<<"),
    /** Written to the peer: {@code >>}. */
    SENT(">>");

    private final String arrow;

    Direction(String arrow) {
      this.arrow = arrow;
    }

    /**
     * The arrow that starts a {@link FrameLog} line.
     *
     * @return {@code <<} or {@code >>}
     */
    public String arrow() {
      return arrow;
    }
  }

  /**
   * One frame, as it is on the wire: a field block split over CONTINUATION frames is seen frame by
   * frame, and so is DATA split to the peer's frame size.
   *
   * @param direction {@link Direction#RECEIVED} from a reader, {@link Direction#SENT} from a writer
   * @param frame the frame; padding already stripped from what was read
   */
  void frame(Direction direction, Frame frame);

  /**
   * A frame the reader read (or began to read) and refused, with the error it throws next. A stream
   * error leaves the reader at the next frame; a connection error ends the connection. The default
   * does nothing.
   *
   * @param type the frame's type
   * @param flags the frame's flags
   * @param streamId the frame's stream, 0 for the connection
   * @param length the frame's payload length
   * @param error what the reader throws
   */
  default void rejected(int type, int flags, int streamId, int length, Http2Exception error) {}
}
