package dev.h2mux.core.engine;

import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.FrameWriter;
import dev.h2mux.core.frame.Http2Exception;
import dev.h2mux.core.hpack.HpackEncoder;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one thread that writes a connection's socket. Streams and the reader queue frames; the
 * writer drains everything queued into a buffered stream and flushes only when the queues are
 * empty, so many small frames from many streams leave in few socket writes.
 *
 * <p>Control frames have their own queue, drained first, so a PING or SETTINGS ACK is never
 * stuck behind megabytes of DATA. HPACK encoding runs here, so blocks are encoded in wire order.
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
  private long queuedDataBytes;
  /** DATA bytes queued since the writer last took a batch. */
  private long unbatchedDataBytes;
  private boolean finishing;
  private boolean dropData;
  private IOException failure;

  ConnectionWriter(java.io.OutputStream socketOut, int bufferSize, int maxControl, int maxDataBytes) {
    this.socketOut = new WriteBuffer(socketOut, bufferSize);
    this.frames = new FrameWriter(this.socketOut);
    this.maxControl = maxControl;
    this.maxDataBytes = maxDataBytes;
  }

  /**
   * Queues a control frame ahead of all data. Never blocks: the reader calls it. A peer that
   * makes us queue more than the limit (a PING or SETTINGS flood, RFC 9113 §10.5) gets
   * ENHANCE_YOUR_CALM.
   */
  void control(Op op) throws IOException {
    control(op, true);
  }

  /**
   * Queues the connection's last frame, its GOAWAY, even past the limit: it is one frame, and
   * after a flood the very one the peer must see.
   */
  void lastControl(Op op) throws IOException {
    control(op, false);
  }

  private void control(Op op, boolean bounded) throws IOException {
    lock.lock();
    try {
      checkOpen();
      if (bounded && control.size() >= maxControl) {
        throw Http2Exception.connectionError(
            ErrorCode.ENHANCE_YOUR_CALM, "more than %d control frames queued", maxControl);
      }
      control.add(op);
      notEmpty.signal();
    } finally {
      lock.unlock();
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
      long nanos = timeoutNanos;
      while (queuedDataBytes > 0 && queuedDataBytes + bytes > maxDataBytes) {
        checkOpen();
        if (nanos <= 0) throw new java.net.SocketTimeoutException("write timed out");
        nanos = drained.awaitNanos(nanos);
      }
      checkOpen();
      data.add(op);
      queuedDataBytes += bytes;
      unbatchedDataBytes += bytes;
      notEmpty.signal();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while queueing data");
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
          while (control.isEmpty() && data.isEmpty() && !finishing) {
            notEmpty.await();
          }
          if (control.isEmpty() && data.isEmpty()) {
            break; // finishing, everything written
          }
          batch.addAll(control);
          control.clear();
          if (dropData) data.clear();
          batch.addAll(data);
          data.clear();
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
      drained.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
