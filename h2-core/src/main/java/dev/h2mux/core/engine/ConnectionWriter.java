package dev.h2mux.core.engine;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.FrameObserver;
import dev.h2mux.core.frame.FrameWriter;
import dev.h2mux.core.frame.Http2Exception;
import dev.h2mux.core.hpack.HpackEncoder;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
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

  /** The reusable DATA arrays, guarded by {@link #lock}. */
  private final ChunkPool chunks;

  /** Chunks written in the current batch; touched only by the writer thread. */
  private final ArrayList<byte[]> writtenChunks = new ArrayList<>(0);

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

  /**
   * @param maxDataBytes DATA bytes that may wait for the socket before writers block; also the most
   *     bytes of spare chunks kept
   */
  ConnectionWriter(OutputStream socketOut, int bufferSize, int maxControl, int maxDataBytes) {
    this.socketOut = new WriteBuffer(socketOut, bufferSize);
    this.frames = new FrameWriter(this.socketOut);
    this.maxControl = maxControl;
    this.maxDataBytes = maxDataBytes;
    this.chunks = new ChunkPool(lock, maxDataBytes);
  }

  /** The DATA chunks this writer fills and gives back, shared with the reader and the streams. */
  ChunkPool chunks() {
    return chunks;
  }

  /** Shows every frame written to {@code observer}; before the writer thread starts only. */
  void observer(FrameObserver observer) {
    frames.observer(observer);
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
        if (nanos <= 0) throw new SocketTimeoutException("write timed out");
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

  /** Queues a stream's HEADERS (and CONTINUATIONs), encoded here on the writer thread. */
  void enqueueHeaders(Http2Stream stream, HttpFields fields, boolean endStream) throws IOException {
    int id = stream.id();
    enqueue(
        (w, encoder) -> {
          if (stream.isOutputDropped()) return;
          w.headers(id, encoder.encode(fields), endStream, null);
        });
  }

  /**
   * Queues {@code data}, which the caller gives up, as one DATA frame of {@code stream}; waits like
   * {@link #enqueueData(Op, int, long)} while too much is queued.
   */
  void enqueueData(
      Http2Stream stream, byte[] data, int offset, int length, boolean endStream, long timeoutNanos)
      throws IOException {
    int id = stream.id();
    enqueueData(
        (w, e) -> {
          if (stream.isOutputDropped()) return;
          w.data(id, data, offset, length, endStream);
        },
        length,
        timeoutNanos);
  }

  /**
   * Queues a copy of {@code length} bytes (see {@link ChunkPool#chunked}) of {@code source} as one
   * DATA frame of {@code stream}, in a chunk taken from the spares when there is one. Waits like
   * {@link #enqueueData} while too much is queued. The caller may reuse {@code source} as soon as
   * this returns.
   */
  void enqueueDataCopy(
      Http2Stream stream,
      byte[] source,
      int offset,
      int length,
      boolean endStream,
      long timeoutNanos)
      throws IOException {
    if (!ChunkPool.chunked(length)) {
      throw new IllegalArgumentException("not a chunk's size: " + length);
    }
    lock.lock();
    try {
      awaitRoom(length, timeoutNanos);
      byte[] chunk = chunks.takeLocked();
      System.arraycopy(source, offset, chunk, 0, length);
      byte[] filled = chunk;
      int id = stream.id();
      queueData(
          (w, e) -> {
            if (!stream.isOutputDropped()) w.data(id, filled, 0, length, endStream);
            writtenChunks.add(filled);
          },
          length);
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
          for (byte[] chunk : writtenChunks) chunks.keepLocked(chunk);
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
      chunks.closeLocked();
      drained.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
