package dev.h2mux.core.engine;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reusable 16 KiB arrays for DATA payloads, shared by a connection's three kinds of thread: the
 * reader reads a payload into one, the application's read gives it back; a stream's writes are
 * copied into one, which the writer gives back once written. Fresh arrays per frame were most of
 * the allocation under bulk transfers, and that rate made G1 grow the heap (docs/BENCHMARKS.md,
 * "Why the code is shaped this way").
 *
 * <p>It holds at most the connection's queued-DATA limit of spares. Once no frame has come for a
 * second the reader {@linkplain #release releases} them and none are kept until frames come again,
 * so a quiet connection holds none.
 *
 * <p>Guarded by the writer's lock, not one of its own: the writer fills a chunk in the same
 * acquisition that queues the frame, so a DATA frame costs one acquisition, as before the pool had
 * its own file.
 */
final class ChunkPool {
  /** The size of a chunk: one default-size frame. */
  static final int CHUNK_SIZE = 16_384;

  /**
   * The smallest payload put in a chunk. Smaller ones get exact arrays: a peer sending tiny frames
   * must not make each one hold 16 KiB (memory per window byte stays below 4/3).
   */
  private static final int MIN_CHUNKED = CHUNK_SIZE / 4 * 3;

  private final ReentrantLock lock;
  private final int maxSpares;
  private final ArrayDeque<byte[]> spares = new ArrayDeque<>(0);

  /** Whether free chunks are kept as spares; false while the connection is quiet. */
  private boolean keepSpares = true;

  /** False once the connection's socket failed: nothing is kept any more. */
  private boolean open = true;

  /** Whether a chunk was handed out since the last release; read by the reader unlocked. */
  private volatile boolean taken;

  /**
   * @param lock the writer's lock, which guards the pool
   * @param maxBytes the most bytes of spares kept (at least one chunk is)
   */
  ChunkPool(ReentrantLock lock, int maxBytes) {
    this.lock = lock;
    this.maxSpares = Math.max(1, maxBytes / CHUNK_SIZE);
  }

  /** Whether a payload of {@code length} bytes travels in a chunk. */
  static boolean chunked(int length) {
    return length >= MIN_CHUNKED && length <= CHUNK_SIZE;
  }

  /**
   * An array for a DATA payload of {@code length} bytes the reader is about to read: a spare chunk
   * for a {@link #chunked} size, else a fresh array of that length.
   */
  byte[] take(int length) {
    if (!chunked(length)) return new byte[length];
    lock.lock();
    try {
      return takeLocked();
    } finally {
      lock.unlock();
    }
  }

  /** A spare chunk, or a new one. */
  byte[] takeLocked() {
    assert lock.isHeldByCurrentThread();
    if (!taken) taken = true;
    byte[] chunk = spares.poll();
    return chunk != null ? chunk : new byte[CHUNK_SIZE];
  }

  /** Takes back a chunk whose bytes the application has read. */
  void recycle(byte[] chunk) {
    if (chunk.length != CHUNK_SIZE) return;
    lock.lock();
    try {
      keepLocked(chunk);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Keeps a free chunk as a spare, unless the connection is quiet (checked under the lock that
   * release takes, so none slips in after it), there are enough, or the socket failed.
   */
  void keepLocked(byte[] chunk) {
    assert lock.isHeldByCurrentThread();
    if (keepSpares && open && spares.size() < maxSpares) spares.add(chunk);
  }

  /** How many spare chunks are held now. */
  int spares() {
    lock.lock();
    try {
      return spares.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Drops the spares and keeps none until {@link #keep}: the connection has been quiet, they would
   * only sit there.
   */
  void release() {
    lock.lock();
    try {
      keepSpares = false;
      taken = false;
      spares.clear();
    } finally {
      lock.unlock();
    }
  }

  /** Frames flow again: free chunks may be kept as spares. */
  void keep() {
    lock.lock();
    try {
      keepSpares = true;
    } finally {
      lock.unlock();
    }
  }

  /** Whether chunks were handed out since the last release (so spares may come back). */
  boolean taken() {
    return taken;
  }

  /** The socket failed: drop the spares, and keep none from now on. */
  void closeLocked() {
    assert lock.isHeldByCurrentThread();
    open = false;
    spares.clear();
  }
}
