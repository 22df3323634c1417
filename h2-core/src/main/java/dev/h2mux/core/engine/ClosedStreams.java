package dev.h2mux.core.engine;

import java.util.Arrays;

/**
 * How the most recently closed streams of a connection ended, which decides the answer to a frame
 * that arrives on one of them (RFC 9113 §5.1, "closed"). The answer depends on what the peer knew
 * when it sent the frame, never on how fast our side was:
 *
 * <ul>
 *   <li>{@link #PEER_ENDED}: the peer sent END_STREAM, or {@link #PEER_RESET}: the peer sent
 *       RST_STREAM. It knows the stream is over, so HEADERS or DATA from it is an error
 *       (STREAM_CLOSED), whether or not our response had finished first.
 *   <li>{@link #RESET_BY_US}: we reset it while the peer could still send. Frames that crossed our
 *       RST_STREAM are ignored (§5.1) until the peer's own END_STREAM or RST_STREAM shows it has
 *       ended too.
 * </ul>
 *
 * A bounded ring: it grows to its capacity as streams close (most connections close few; a fixed
 * array each was the largest allocation in setting up an idle connection), then forgets the oldest.
 * A forgotten stream is answered as one never opened. Used under the connection's lock.
 */
final class ClosedStreams {
  /** Not among the streams remembered. */
  static final byte UNKNOWN = 0;

  /** Closed after the peer's END_STREAM. */
  static final byte PEER_ENDED = 1;

  /** Closed by the peer's RST_STREAM. */
  static final byte PEER_RESET = 2;

  /** Reset by us while the peer's side was open. */
  static final byte RESET_BY_US = 3;

  private static final int[] NO_IDS = new int[0];
  private static final byte[] NO_STATES = new byte[0];

  private final int capacity;
  private int[] ids = NO_IDS;
  private byte[] states = NO_STATES;
  private int next;
  private int size;

  ClosedStreams(int capacity) {
    this.capacity = capacity;
  }

  /** Remembers that stream {@code id}, not remembered yet, closed as {@code state}. */
  void closed(int id, byte state) {
    if (size < capacity && size == ids.length) {
      int grown = Math.min(capacity, Math.max(16, ids.length * 2));
      ids = Arrays.copyOf(ids, grown);
      states = Arrays.copyOf(states, grown);
    }
    ids[next] = id;
    states[next] = state;
    next = next + 1 == capacity ? 0 : next + 1;
    if (size < capacity) size++;
  }

  /** The peer ended a stream we had reset: from now on its frames there are errors. */
  void peerEnded(int id, byte state) {
    int at = indexOf(id);
    if (at >= 0 && states[at] == RESET_BY_US) states[at] = state;
  }

  /** How stream {@code id} closed, or {@link #UNKNOWN}. */
  byte state(int id) {
    int at = indexOf(id);
    return at < 0 ? UNKNOWN : states[at];
  }

  private int indexOf(int id) {
    for (int i = 0; i < size; i++) {
      if (ids[i] == id) return i;
    }
    return -1;
  }
}
