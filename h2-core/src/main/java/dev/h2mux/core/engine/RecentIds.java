package dev.h2mux.core.engine;

/** A bounded set of the most recently added stream ids: a ring, so memory stays fixed. */
final class RecentIds {
  private final int[] ring;
  private int next;
  private int size;

  RecentIds(int capacity) {
    ring = new int[capacity];
  }

  void add(int id) {
    ring[next] = id;
    next = (next + 1) % ring.length;
    if (size < ring.length) size++;
  }

  boolean contains(int id) {
    for (int i = 0; i < size; i++) {
      if (ring[i] == id) return true;
    }
    return false;
  }
}
