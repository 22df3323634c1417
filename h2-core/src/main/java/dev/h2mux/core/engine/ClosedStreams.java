package dev.h2mux.core.engine;

import java.util.Arrays;

/**
 * The closed {@link StreamState} of the streams a connection closed most recently, which decides
 * the answer to a frame that arrives on one of them (RFC 9113 §5.1, "closed"): what the peer knew
 * when it sent the frame, never how fast our side was. Only {@link StreamTable} uses it, to answer
 * {@link StreamTable#stateOfLocked} for ids no longer in its table.
 *
 * <p>A bounded ring: it grows to its capacity as streams close (most connections close few; a fixed
 * array each was the largest allocation in setting up an idle connection), then forgets the oldest.
 * A forgotten stream is {@link StreamState#CLOSED_UNTRACKED}. Used under the connection's lock.
 */
final class ClosedStreams {
  private static final int[] NO_IDS = new int[0];
  private static final byte[] NO_STATES = new byte[0];
  private static final StreamState[] STATES = StreamState.values();

  private final int capacity;
  private int[] ids = NO_IDS;
  private byte[] states = NO_STATES;
  private int next;
  private int size;

  ClosedStreams(int capacity) {
    this.capacity = capacity;
  }

  /** Remembers that stream {@code id}, not remembered yet, is now in the closed {@code state}. */
  void add(int id, StreamState state) {
    assert state.isClosed() : state;
    if (size < capacity && size == ids.length) {
      int grown = Math.min(capacity, Math.max(16, ids.length * 2));
      ids = Arrays.copyOf(ids, grown);
      states = Arrays.copyOf(states, grown);
    }
    ids[next] = id;
    states[next] = (byte) state.ordinal();
    next = next + 1 == capacity ? 0 : next + 1;
    if (size < capacity) size++;
  }

  /** Moves stream {@code id}, if it is remembered, to {@code state}. */
  void update(int id, StreamState state) {
    assert state.isClosed() : state;
    int at = indexOf(id);
    if (at >= 0) states[at] = (byte) state.ordinal();
  }

  /** How stream {@code id} closed, or null if it is not remembered. */
  StreamState state(int id) {
    int at = indexOf(id);
    return at < 0 ? null : STATES[states[at]];
  }

  private int indexOf(int id) {
    for (int i = 0; i < size; i++) {
      if (ids[i] == id) return i;
    }
    return -1;
  }
}
