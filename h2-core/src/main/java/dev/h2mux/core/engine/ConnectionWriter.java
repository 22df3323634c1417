package dev.h2mux.core.engine;

import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.FrameWriter;
import dev.h2mux.core.frame.Http2Exception;
import dev.h2mux.core.hpack.HpackEncoder;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one thread that writes a connection's socket. Streams and the reader queue frames; the writer
 * drains everything queued into a buffered stream and flushes only when the queues are empty, so
 * many small frames from many streams leave in few socket writes.
 *
 * <p>Control frames have their own queue, drained first, so a PING ACK or WINDOW_UPDATE is never
 * stuck behind megabytes of DATA. A SETTINGS ACK is the exception: it goes in order with DATA and
 * HEADERS ({@link #controlInOrder}). HPACK encoding runs here, so blocks are encoded in wire order.
 */
final class ConnectionWriter {
  /** One queued write; runs on the writer thread. */
  @FunctionalInterface
  interface Op {
    void write(FrameWriter writer, HpackEncoder encoder) throws IOException;
  }

  /** The size of a pooled DATA chunk: one default-size frame. */
  static final int CHUNK_SIZE = 16_384;

  /**
   * The smallest payload put in a chunk. Smaller ones get exact arrays: a peer sending tiny frames
   * must not make each one hold 16 KiB (memory per window byte stays below 4/3).
   */
  private static final int MIN_CHUNKED = CHUNK_SIZE / 4 * 3;

  /** Whether a payload of {@code length} bytes travels in a chunk. */
  static boolean chunked(int length) {
    return length >= MIN_CHUNKED && length <= CHUNK_SIZE;
  }

  private final FrameWriter frames;
  private final HpackEncoder encoder = new HpackEncoder();
  private final WriteBuffer socketOut;
  private final int maxControl;
  private final int maxDataBytes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition drained = lock.newCondition();
  private final ArrayDeque<Op> control = new ArrayDeque<>();
  private final ArrayDeque<Op> data = new ArrayDeque<>();

  /**
   * Free DATA chunks: written ones for stream writers to fill again, and read ones for the reader's
   * next payloads. A 1 MiB response would otherwise allocate 64 fresh 16 KiB arrays, and that
   * allocation rate made G1 grow the heap (peak RSS) under bulk transfers. At most maxDataBytes of
   * spares. Once no frame has come for a second the reader releases them, and none are kept until
   * frames come again, so quiet connections hold none.
   */
  private final ArrayDeque<byte[]> spareChunks = new ArrayDeque<>(0);

  /** Chunks written in the current batch; touched only by the writer thread. */
  private final ArrayList<byte[]> writtenChunks = new ArrayList<>(0);

  private final int maxSpareChunks;

  /** Whether free chunks are kept as spares; false while the connection is quiet. */
  private boolean keepSpares = true;

  /** Whether a chunk was handed out since the last release; read by the reader unlocked. */
  private volatile boolean chunksTaken;

  private long queuedDataBytes;

  /** Control frames waiting in {@link #data} (see {@link #controlInOrder}); count as control. */
  private int controlInData;

  /** DATA bytes queued since the writer last took a batch. */
  private long unbatchedDataBytes;

  private boolean finishing;

  /** The final frame ({@link #lastControl}), once queued; the writer stops after it. */
  private Op last;

  private boolean dropData;
  private IOException failure;

  ConnectionWriter(
      java.io.OutputStream socketOut, int bufferSize, int maxControl, int maxDataBytes) {
    this.socketOut = new WriteBuffer(socketOut, bufferSize);
    this.frames = new FrameWriter(this.socketOut);
    this.maxControl = maxControl;
    this.maxDataBytes = maxDataBytes;
    this.maxSpareChunks = Math.max(1, maxDataBytes / CHUNK_SIZE);
  }

  /**
   * Queues a control frame ahead of all data. Never blocks: the reader calls it. A peer that makes
   * us queue more than the limit (a PING or SETTINGS flood, RFC 9113 §10.5) gets ENHANCE_YOUR_CALM.
   */
  void control(Op op) throws IOException {
    control(op, true);
  }

  /**
   * Queues the connection's last frame, its GOAWAY, even past the limit: it is one frame, and after
   * a flood the very one the peer must see. It is written after everything queued before it (a
   * SETTINGS ACK waits in order with DATA), and nothing is written after it: for the GOAWAY that
   * ends the connection only. A graceful GOAWAY, after which streams go on, goes through {@link
   * #control}.
   */
  void lastControl(Op op) throws IOException {
    lock.lock();
    try {
      checkOpen();
      if (last == null) last = op;
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues a control frame ahead of all data even past the limit, and frames queued after it still
   * go out: for the GOAWAYs of a graceful shutdown, which the peer must see even after a flood,
   * while the streams they spare go on.
   */
  void controlPastLimit(Op op) throws IOException {
    control(op, false);
  }

  private void control(Op op, boolean bounded) throws IOException {
    lock.lock();
    try {
      checkOpen();
      if (bounded) checkControlRoom();
      control.add(op);
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues a control frame behind every HEADERS and DATA queued before it, never blocking, bounded
   * like {@link #control}. For the SETTINGS ACK: the peer takes it to mean that everything after it
   * obeys the new settings (RFC 9113 §6.5.3), so it must not overtake frames sent under the old
   * ones — DATA credited under the old initial window (§6.9.2), blocks encoded with the old table
   * size, frames sized by the old maximum.
   */
  void controlInOrder(Op op) throws IOException {
    lock.lock();
    try {
      checkOpen();
      checkControlRoom();
      data.add(op);
      controlInData++;
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /** A peer that makes us queue more than the limit (a PING or SETTINGS flood, §10.5) is cut. */
  private void checkControlRoom() throws Http2Exception {
    if (control.size() + controlInData >= maxControl) {
      throw Http2Exception.connectionError(
          ErrorCode.ENHANCE_YOUR_CALM, "more than %d control frames queued", maxControl);
    }
  }

  /** Queues a frame in order with DATA without waiting for room; for HEADERS and small frames. */
  void enqueue(Op op) throws IOException {
    lock.lock();
    try {
      checkOpen();
      data.add(op);
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues DATA of {@code bytes} bytes, waiting while too much is queued already, so a fast
   * producer can't make us hold more than the limit.
   */
  void enqueueData(Op op, int bytes, long timeoutNanos) throws IOException {
    lock.lock();
    try {
      awaitRoom(bytes, timeoutNanos);
      queueData(op, bytes);
    } finally {
      lock.unlock();
    }
  }

  /** Waits, holding the lock, until {@code bytes} more may be queued. */
  private void awaitRoom(int bytes, long timeoutNanos) throws IOException {
    try {
      long nanos = timeoutNanos;
      while (queuedDataBytes > 0 && queuedDataBytes + bytes > maxDataBytes) {
        checkOpen();
        if (nanos <= 0) throw new java.net.SocketTimeoutException("write timed out");
        nanos = drained.awaitNanos(nanos);
      }
      checkOpen();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while queueing data");
    }
  }

  private void queueData(Op op, int bytes) {
    data.add(op);
    queuedDataBytes += bytes;
    unbatchedDataBytes += bytes;
    notEmpty.signal();
  }

  /**
   * Queues a copy of {@code length} bytes (see {@link #chunked}) of {@code source} as one DATA
   * frame of {@code stream}, in a chunk taken from the spares when there is one. Waits like {@link
   * #enqueueData} while too much is queued. The caller may reuse {@code source} as soon as this
   * returns.
   */
  void enqueueDataCopy(
      Http2Stream stream,
      byte[] source,
      int offset,
      int length,
      boolean endStream,
      long timeoutNanos)
      throws IOException {
    if (!chunked(length)) throw new IllegalArgumentException("not a chunk's size: " + length);
    lock.lock();
    try {
      awaitRoom(length, timeoutNanos);
      byte[] chunk = pollSpareLocked();
      System.arraycopy(source, offset, chunk, 0, length);
      byte[] filled = chunk;
      int id = stream.id();
      queueData(
          (w, e) -> {
            if (!stream.isResetNoLock()) w.data(id, filled, 0, length, endStream);
            writtenChunks.add(filled);
          },
          length);
    } finally {
      lock.unlock();
    }
  }

  /**
   * An array for a DATA payload of {@code length} bytes the reader is about to read: a spare chunk
   * for a {@link #chunked} size, else a fresh array of that length.
   */
  byte[] takeChunk(int length) {
    if (!chunked(length)) return new byte[length];
    lock.lock();
    try {
      return pollSpareLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Takes back a chunk whose bytes the application has read. */
  void recycleChunk(byte[] chunk) {
    if (chunk.length != CHUNK_SIZE) return;
    lock.lock();
    try {
      keepLocked(chunk);
    } finally {
      lock.unlock();
    }
  }

  /** A spare chunk, or a new one. */
  private byte[] pollSpareLocked() {
    if (!chunksTaken) chunksTaken = true;
    byte[] chunk = spareChunks.poll();
    return chunk != null ? chunk : new byte[CHUNK_SIZE];
  }

  /**
   * Keeps a free chunk as a spare, unless the connection is quiet (checked under the lock that
   * release takes, so none slips in after it), there are enough, or the connection failed.
   */
  private void keepLocked(byte[] chunk) {
    if (keepSpares && spareChunks.size() < maxSpareChunks && failure == null) {
      spareChunks.add(chunk);
    }
  }

  /** How many spare chunks are held now. */
  int spareChunks() {
    lock.lock();
    try {
      return spareChunks.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Drops the spare chunks and keeps none until {@link #keepSpareChunks}: the connection has been
   * quiet, they would only sit there.
   */
  void releaseSpareChunks() {
    lock.lock();
    try {
      keepSpares = false;
      chunksTaken = false;
      spareChunks.clear();
    } finally {
      lock.unlock();
    }
  }

  /** Whether chunks were handed out since the last release (so spares may come back). */
  boolean chunksTaken() {
    return chunksTaken;
  }

  /** Frames flow again: free chunks may be kept as spares. */
  void keepSpareChunks() {
    lock.lock();
    try {
      keepSpares = true;
    } finally {
      lock.unlock();
    }
  }

  private void checkOpen() throws IOException {
    if (failure != null) throw new IOException("connection is closed", failure);
    if (finishing) throw new IOException("connection is closing");
  }

  /**
   * Writes what is queued and then stops. With {@code dropData} queued DATA and HEADERS are
   * discarded (after a connection error only the GOAWAY matters).
   */
  void finish(boolean dropData) {
    lock.lock();
    try {
      finishing = true;
      this.dropData |= dropData;
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /** The writer thread's body; returns when finished or when the socket fails. */
  void run() {
    ArrayDeque<Op> batch = new ArrayDeque<>();
    boolean yielded = false;
    try {
      while (true) {
        long batchBytes;
        lock.lock();
        try {
          while (control.isEmpty() && data.isEmpty() && last == null && !finishing) {
            notEmpty.await();
          }
          if (control.isEmpty() && data.isEmpty() && last == null) {
            break; // finishing, everything written
          }
          batch.addAll(control);
          control.clear();
          if (dropData) data.clear();
          batch.addAll(data);
          data.clear();
          controlInData = 0;
          if (last != null) {
            batch.add(last);
            last = null;
            finishing = true; // nothing more is queued after the last frame
          }
          batchBytes = unbatchedDataBytes;
          unbatchedDataBytes = 0;
        } finally {
          lock.unlock();
        }
        for (Op op; (op = batch.poll()) != null; ) {
          op.write(frames, encoder);
        }
        lock.lock();
        try {
          queuedDataBytes -= batchBytes;
          for (byte[] chunk : writtenChunks) keepLocked(chunk);
          writtenChunks.clear();
          drained.signalAll();
          if (!control.isEmpty() || !data.isEmpty()) {
            continue; // more arrived while writing: keep filling the buffer before flushing
          }
        } finally {
          lock.unlock();
        }
        if (!yielded) {
          // Streams woken by the frames just read are usually about to queue their answers:
          // let them run once, so their frames share this flush instead of each paying a
          // write syscall. Only once, so a lone stream waits no more than one turn.
          yielded = true;
          Thread.yield();
          if (hasQueued()) continue;
        }
        yielded = false;
        socketOut.flush();
      }
      socketOut.flush();
    } catch (IOException e) {
      fail(e);
    } catch (InterruptedException e) {
      fail(new InterruptedIOException("writer interrupted"));
    }
  }

  /** True if the writer stopped because writing failed, not because it was told to finish. */
  boolean failed() {
    lock.lock();
    try {
      return failure != null;
    } finally {
      lock.unlock();
    }
  }

  private boolean hasQueued() {
    lock.lock();
    try {
      return !control.isEmpty() || !data.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  private void fail(IOException e) {
    lock.lock();
    try {
      if (failure == null) failure = e;
      control.clear();
      data.clear();
      controlInData = 0;
      spareChunks.clear();
      drained.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
