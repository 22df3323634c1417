package dev.h2mux.core.engine;

import dev.h2mux.core.HttpFields;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The body a stream sends ({@link Http2Stream#output()}): bytes are gathered up to one frame, then
 * each DATA frame takes send credit from the stream's and the connection's windows ({@link
 * FlowControl#acquireCredit}) and is queued for the writer. Used by one application thread at a
 * time.
 */
final class OutboundBody extends Http2Stream.StreamOutput {
  /** The most bytes gathered before a frame is sent: one default-size frame. */
  private static final int MAX_BUFFER = 16_384;

  private static final byte[] NO_BYTES = new byte[0];

  private final Http2Connection connection;
  private final Http2Stream stream;

  // Grown on demand: most responses are small, and a 16 KiB array per stream was the largest
  // allocation per request under small-response loads (docs/BENCHMARKS.md).
  private byte[] buffer = NO_BYTES;
  private int count;
  private boolean closed;

  OutboundBody(Http2Connection connection, Http2Stream stream) {
    this.connection = connection;
    this.stream = stream;
  }

  @Override
  public void write(int b) throws IOException {
    if (count == MAX_BUFFER) flushBuffer(false);
    ensureRoom(1);
    buffer[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) throw new IOException("stream output closed");
    if (len < MAX_BUFFER - count) {
      ensureRoom(len);
      System.arraycopy(b, off, buffer, count, len);
      count += len;
      return;
    }
    flushBuffer(false);
    while (len > 0) {
      int n = sendData(b, off, len, false, false);
      off += n;
      len -= n;
    }
  }

  @Override
  public void flush() throws IOException {
    flushBuffer(false);
  }

  /** Ends the stream with END_STREAM on the last DATA frame. */
  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    connection.lock.lock();
    try {
      StreamState state = stream.state();
      if (stream.resetCauseLocked() != null || !state.localOpen()) return;
    } finally {
      connection.lock.unlock();
    }
    flushBuffer(true);
  }

  @Override
  public void closeWithTrailers(HttpFields trailers) throws IOException {
    if (closed) return;
    flushBuffer(false);
    closed = true;
    stream.sendHeaders(trailers, true);
  }

  private void ensureRoom(int len) {
    if (count + len > buffer.length) {
      // A first write gets its size, at least 256 bytes (a few more small writes then fit):
      // most bodies are written in one call and then handed to the writer whole. Later writes
      // double the buffer. Exactly the first write's size measured no better.
      int size = count == 0 ? Math.max(256, len) : Math.max(256, buffer.length);
      while (size < count + len) size *= 2;
      buffer = Arrays.copyOf(buffer, Math.min(size, MAX_BUFFER));
    }
  }

  /** Sends what is gathered, with END_STREAM if {@code endStream}. */
  void flushBuffer(boolean endStream) throws IOException {
    int off = 0;
    do {
      int n = sendData(buffer, off, count - off, endStream, true);
      off += n;
    } while (off < count);
    count = 0;
  }

  /**
   * Takes credit for up to {@code len} bytes and queues one DATA frame; returns its size. With
   * {@code ownBuffer} ({@code b} is this output's buffer) a frame that takes all the rest of the
   * buffer is queued without a copy and the buffer is given up to the writer; a later write
   * allocates a new one. Small responses are sent this way, in one frame, where the copy was the
   * largest allocation per request (docs/BENCHMARKS.md).
   */
  private int sendData(byte[] b, int off, int len, boolean endStream, boolean ownBuffer)
      throws IOException {
    if (len == 0 && !endStream) return 0;
    // A caller's bytes are copied into the writer's reusable chunks, one chunk per frame,
    // unless the peer takes larger frames: then into one array of all the credit there is.
    int wanted =
        ownBuffer || connection.settings.peerMaxFrameSize() > ChunkPool.CHUNK_SIZE
            ? len
            : Math.min(len, ChunkPool.CHUNK_SIZE);
    int n = len == 0 ? 0 : connection.flow.acquireCredit(stream, wanted);
    boolean last = endStream && n == len;
    if (last) {
      connection.lock.lock();
      try {
        stream.endLocalLocked();
      } finally {
        connection.lock.unlock();
      }
    }
    long timeout = connection.config().idleTimeout().toNanos();
    if (ownBuffer && n == len) {
      buffer = NO_BYTES;
      connection.writer.enqueueData(stream, b, off, n, last, timeout);
    } else if (ChunkPool.chunked(n)) {
      connection.writer.enqueueDataCopy(stream, b, off, n, last, timeout);
    } else {
      connection.writer.enqueueData(
          stream, Arrays.copyOfRange(b, off, off + n), 0, n, last, timeout);
    }
    if (last) connection.ends.localEnded(stream);
    return n;
  }
}
