package dev.h2mux.core.engine;

import java.util.Arrays;

/**
 * A bounded set of the most recently added stream ids: a ring that grows to its capacity as ids
 * arrive (most connections see few streams; a fixed 4 KiB array each was the largest allocation in
 * setting up an idle connection), then overwrites the oldest.
 */
final class RecentIds {
  private static final int[] EMPTY = new int[0];

  private final int capacity;
  private int[] ring = EMPTY;
  private int next;
  private int size;

  RecentIds(int capacity) {
    this.capacity = capacity;
  }

  void add(int id) {
    if (size < capacity && size == ring.length) {
      ring = Arrays.copyOf(ring, Math.min(capacity, Math.max(16, ring.length * 2)));
    }
    ring[next] = id;
    next = next + 1 == capacity ? 0 : next + 1;
    if (size < capacity) size++;
  }

  boolean contains(int id) {
    for (int i = 0; i < size; i++) {
      if (ring[i] == id) return true;
    }
    return false;
  }
}
