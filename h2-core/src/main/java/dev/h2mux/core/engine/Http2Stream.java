package dev.h2mux.core.engine;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.http.RequestHead;
import dev.h2mux.core.http.ResponseHead;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;

/**
 * One stream of a connection (RFC 9113 §5.1): a request/response exchange with its own flow-control
 * windows. Its state lives under the connection's lock; the connection's reader feeds it, and the
 * application reads {@link #input()} and writes {@link #output()} from its own thread.
 *
 * <p>States map to two flags: {@code remoteClosed} (we received END_STREAM) and {@code localClosed}
 * (we sent END_STREAM). Open is neither, half-closed is one, closed is both or a reset.
 */
public final class Http2Stream {
  private final Http2Connection connection;
  private final int id;
  private final Condition changed;

  // Guarded by connection.lock.
  private RequestHead request;
  private ResponseHead response;
  private HttpFields trailers = HttpFields.empty();
  // Sized for the common request without a body or with one frame of it; grows as needed.
  private final ArrayDeque<Frame.Data> inbound = new ArrayDeque<>(2);
  private int inboundBytes;

  /** Set while this stream waits in the connection's list of readers to wake. */
  boolean wakePending;

  private boolean remoteClosed;
  private boolean inputClosed;
  private boolean localClosed;
  private StreamResetException reset;

  /** Mirrors {@code reset != null} for the writer thread, which must not take the lock. */
  private volatile boolean resetSeen;

  long sendWindow;
  int receiveWindow;
  private int unacknowledged;
  long expectedLength = -1;
  private boolean noContentExpected;
  private long receivedLength;

  private final StreamInput input = new StreamInput();
  private final StreamOutput output = new StreamOutput();

  Http2Stream(Http2Connection connection, int id, long sendWindow, int receiveWindow) {
    this.connection = connection;
    this.id = id;
    this.sendWindow = sendWindow;
    this.receiveWindow = receiveWindow;
    this.changed = connection.lock.newCondition();
  }

  /** The stream identifier. */
  public int id() {
    return id;
  }

  /** The connection that carries this stream. */
  public Http2Connection connection() {
    return connection;
  }

  /** The request that opened this stream (server side). */
  public RequestHead request() {
    connection.lock.lock();
    try {
      return request;
    } finally {
      connection.lock.unlock();
    }
  }

  /**
   * Waits for the final (non-1xx) response head (client side).
   *
   * @throws StreamResetException if the stream ends first
   */
  public ResponseHead awaitResponse(long timeoutNanos) throws IOException {
    connection.lock.lock();
    try {
      long nanos = timeoutNanos;
      while (response == null) {
        if (reset != null) throw copy(reset);
        if (nanos <= 0) throw new SocketTimeoutException("no response within the timeout");
        nanos = changed.awaitNanos(nanos);
      }
      return response;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for a response");
    } finally {
      connection.lock.unlock();
    }
  }

  /** The body that arrives on this stream. */
  public InputStream input() {
    return input;
  }

  /** The trailers received; empty until the input ended, or if there were none. */
  public HttpFields trailers() {
    connection.lock.lock();
    try {
      return trailers;
    } finally {
      connection.lock.unlock();
    }
  }

  /**
   * Sends a header block (pseudo-fields first). The first call sends the head; a later call with
   * {@code endStream} sends trailers.
   */
  public void sendHeaders(HttpFields fields, boolean endStream) throws IOException {
    output.flushBuffer(false);
    connection.lock.lock();
    try {
      checkWritable();
      if (endStream) localClosed = true;
    } finally {
      connection.lock.unlock();
    }
    connection.writeHeaders(this, fields, endStream);
    if (endStream) connection.streamLocalClosed(this);
  }

  /**
   * The body to send: writes wait for flow-control credit; {@code close()} ends the stream
   * (END_STREAM), unless trailers follow through {@link #sendHeaders}.
   */
  public StreamOutput output() {
    return output;
  }

  /** Resets the stream with {@code error}; a no-op on a stream already closed. */
  public void reset(ErrorCode error) {
    connection.resetStream(this, error, "reset locally", false);
  }

  /** True once the stream was reset, by either side. */
  public boolean isReset() {
    connection.lock.lock();
    try {
      return reset != null;
    } finally {
      connection.lock.unlock();
    }
  }

  // ---- called by the connection, under its lock ----

  void request(RequestHead head) {
    this.request = head;
    this.expectedLength = head.contentLength();
  }

  void response(ResponseHead head) {
    this.response = head;
    // A response to HEAD, and a 304, carry the content-length of a body they don't include
    // (RFC 9113 §8.1.1, RFC 9110 §8.6): only other responses are checked against it.
    this.expectedLength = noContentExpected || head.status() == 304 ? -1 : head.contentLength();
    changed.signalAll();
  }

  /** Marks a client stream whose response has no content whatever its content-length (HEAD). */
  void expectNoContent() {
    this.noContentExpected = true;
  }

  boolean inputClosed() {
    return inputClosed;
  }

  boolean hasResponse() {
    return response != null;
  }

  boolean remoteClosed() {
    return remoteClosed;
  }

  boolean localClosed() {
    return localClosed;
  }

  boolean isClosed() {
    return reset != null || (remoteClosed && localClosed);
  }

  StreamResetException resetCause() {
    return reset;
  }

  /** Accepts DATA; false if it breaks the content-length (the caller resets the stream). */
  boolean receiveData(Frame.Data data) {
    receiveWindow -= data.flowLength();
    receivedLength += data.length();
    if (expectedLength >= 0 && receivedLength > expectedLength) return false;
    if (inputClosed) {
      unacknowledged += data.flowLength(); // nobody reads it: credit the window right away
    } else if (data.length() > 0) {
      inbound.add(data);
      inboundBytes += data.length();
    }
    if (!inputClosed) {
      // padding counts against the window but never reaches the application: credit it now
      unacknowledged += data.flowLength() - data.length();
    }
    if (data.endStream()) return endRemote();
    connection.wakeLater(this);
    return true;
  }

  /** Wakes the application's reads waiting on this stream; under the connection's lock. */
  void wake() {
    wakePending = false;
    changed.signalAll();
  }

  void receiveTrailers(HttpFields fields) {
    trailers = fields;
  }

  /**
   * The peer ended its side; false if the body is shorter than its content-length. Then the stream
   * is not marked ended, so no reader takes the short body for a whole one before the reset that
   * the caller sends.
   */
  boolean endRemote() {
    if (expectedLength >= 0 && receivedLength != expectedLength) return false;
    remoteClosed = true;
    changed.signalAll();
    return true;
  }

  /** Marks the stream reset; returns the buffered bytes, which the connection credits back. */
  int markReset(StreamResetException cause) {
    return markReset(cause, true);
  }

  /**
   * As {@link #markReset(StreamResetException)}; with {@code dropQueuedOutput} false the frames
   * already queued for this stream are still written (our side had ended: they are complete).
   */
  int markReset(StreamResetException cause, boolean dropQueuedOutput) {
    if (reset == null) reset = cause;
    if (dropQueuedOutput) resetSeen = true;
    changed.signalAll();
    if (remoteClosed && !inputClosed) {
      return 0; // the body is complete: the application may still read all of it (§8.1)
    }
    int discarded = inboundBytes;
    inbound.clear();
    inboundBytes = 0;
    changed.signalAll();
    return discarded;
  }

  boolean isResetNoLock() {
    return resetSeen;
  }

  void markLocalClosed() {
    localClosed = true;
  }

  void windowChanged() {
    changed.signalAll();
  }

  private void checkWritable() throws IOException {
    if (reset != null) throw copy(reset);
    if (localClosed) throw new IOException("stream " + id + " already ended");
  }

  static StreamResetException copy(StreamResetException e) {
    // a fresh exception gives the caller's stack trace; the cause keeps where it happened
    StreamResetException fresh = new StreamResetException(e.getMessage(), e.error(), e.reason());
    fresh.initCause(e);
    return fresh;
  }

  private long idleNanos() {
    return connection.config().idleTimeout().toNanos();
  }

  /** The inbound body: reading opens the window for more. */
  private final class StreamInput extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) return 0;
      int n;
      int streamCredit = 0;
      connection.lock.lock();
      try {
        long nanos = idleNanos();
        while (inbound.isEmpty()) {
          if (remoteClosed) return -1;
          if (reset != null) throw copy(reset);
          if (nanos <= 0) {
            throw new SocketTimeoutException("no data from the peer within the idle timeout");
          }
          nanos = changed.awaitNanos(nanos);
        }
        n = 0;
        while (n < len && !inbound.isEmpty()) {
          Frame.Data head = inbound.peek();
          int chunk = Math.min(len - n, head.length());
          System.arraycopy(head.data(), head.offset(), b, off + n, chunk);
          n += chunk;
          inbound.poll();
          if (chunk < head.length()) {
            inbound.addFirst(
                new Frame.Data(
                    head.streamId(),
                    head.data(),
                    head.offset() + chunk,
                    head.length() - chunk,
                    false,
                    0));
          } else {
            connection.recycleChunk(head.data());
          }
        }
        inboundBytes -= n;
        unacknowledged += n;
        // Replenish when half the window is used: few WINDOW_UPDATEs, and the peer never stalls.
        if (!remoteClosed && unacknowledged >= connection.config().initialWindowSize() / 2) {
          streamCredit = unacknowledged;
          receiveWindow += unacknowledged;
          unacknowledged = 0;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted reading stream " + id);
      } finally {
        connection.lock.unlock();
      }
      connection.consumed(Http2Stream.this, n, streamCredit);
      return n;
    }

    @Override
    public int available() {
      connection.lock.lock();
      try {
        return inboundBytes;
      } finally {
        connection.lock.unlock();
      }
    }

    /**
     * Stops reading: what is buffered is dropped and whatever arrives later is discarded, both
     * credited back to the connection window so other streams don't starve.
     */
    @Override
    public void close() throws IOException {
      int discarded;
      connection.lock.lock();
      try {
        if (inputClosed) return;
        inputClosed = true;
        discarded = inboundBytes;
        inbound.clear();
        inboundBytes = 0;
      } finally {
        connection.lock.unlock();
      }
      if (discarded > 0) connection.consumed(Http2Stream.this, discarded, 0);
    }
  }

  /**
   * The outbound body. Bytes are gathered up to one frame, then sent once flow control allows;
   * {@link #flush()} sends what is gathered at once.
   */
  public final class StreamOutput extends OutputStream {
    /** The most bytes gathered before a frame is sent: one default-size frame. */
    private static final int MAX_BUFFER = 16_384;

    private static final byte[] NO_BYTES = new byte[0];
    // Grown on demand: most responses are small, and a 16 KiB array per stream was the
    // largest allocation per request in profiles of small-response loads.
    private byte[] buffer = NO_BYTES;
    private int count;
    private boolean closed;

    private StreamOutput() {}

    @Override
    public void write(int b) throws IOException {
      if (count == MAX_BUFFER) flushBuffer(false);
      ensureRoom(1);
      buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
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
        if (localClosed || reset != null) return;
      } finally {
        connection.lock.unlock();
      }
      flushBuffer(true);
    }

    /** Ends the stream with trailers instead of END_STREAM on DATA. */
    public void closeWithTrailers(HttpFields trailerFields) throws IOException {
      if (closed) return;
      flushBuffer(false);
      closed = true;
      sendHeaders(trailerFields, true);
    }

    private void ensureRoom(int len) {
      if (count + len > buffer.length) {
        // A first write gets exactly its size: most bodies are written in one call and then
        // handed to the writer whole. Later writes double the buffer.
        int size = count == 0 ? Math.max(256, len) : Math.max(256, buffer.length);
        while (size < count + len) size *= 2;
        buffer = java.util.Arrays.copyOf(buffer, Math.min(size, MAX_BUFFER));
      }
    }

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
     * allocates a new one. Small responses are sent this way, in one frame, and the copy was the
     * largest allocation per request in profiles of scenario 1.
     */
    private int sendData(byte[] b, int off, int len, boolean endStream, boolean ownBuffer)
        throws IOException {
      if (len == 0 && !endStream) return 0;
      // A caller's bytes are copied into the writer's reusable chunks, one chunk per frame,
      // unless the peer takes larger frames: then into one array of all the credit there is.
      int wanted =
          ownBuffer || connection.peerMaxFrameSize() > ConnectionWriter.CHUNK_SIZE
              ? len
              : Math.min(len, ConnectionWriter.CHUNK_SIZE);
      int n = len == 0 ? 0 : connection.acquireCredit(Http2Stream.this, wanted);
      boolean last = endStream && n == len;
      if (last) {
        connection.lock.lock();
        try {
          checkWritable();
          localClosed = true;
        } finally {
          connection.lock.unlock();
        }
      }
      if (ownBuffer && n == len) {
        buffer = NO_BYTES;
        connection.writeData(Http2Stream.this, b, off, n, last);
      } else if (ConnectionWriter.chunked(n)) {
        connection.writeDataCopy(Http2Stream.this, b, off, n, last);
      } else {
        connection.writeData(
            Http2Stream.this, java.util.Arrays.copyOfRange(b, off, off + n), 0, n, last);
      }
      if (last) connection.streamLocalClosed(Http2Stream.this);
      return n;
    }
  }

  @Override
  public String toString() {
    return "stream " + id;
  }
}
