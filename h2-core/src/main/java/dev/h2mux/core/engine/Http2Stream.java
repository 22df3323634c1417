package dev.h2mux.core.engine;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.http.RequestHead;
import dev.h2mux.core.http.ResponseHead;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One stream of a connection (RFC 9113 §5.1): a request/response exchange with its own flow-control
 * windows. The connection's reader feeds it; the application reads {@link #input()} and writes
 * {@link #output()} from its own thread.
 *
 * <p>Its §5.1 state is a {@link StreamState}, its windows an {@link InboundWindow} and an {@link
 * OutboundWindow}; they, the heads and the body buffers are guarded by the connection's one lock.
 * The inbound body is an {@link InboundBody}, the outbound one an {@link OutboundBody}.
 */
public final class Http2Stream {
  private final Http2Connection connection;
  private final ReentrantLock lock;
  private final int id;

  /** Signalled when the stream's heads, body or state change; on the connection's lock. */
  final Condition changed;

  /** The credit the peer granted us on this stream (§6.9); guarded by the connection's lock. */
  final OutboundWindow sendWindow;

  /** What the peer may still send on this stream (§6.9); guarded by the connection's lock. */
  final InboundWindow receiveWindow;

  /** Set while the reader holds this stream in its list of readers to wake; reader thread only. */
  boolean wakePending;

  // Guarded by the connection's lock.
  private StreamState state;
  private StreamResetException resetCause;
  private RequestHead request;
  private ResponseHead response;

  /** Interim (1xx) heads not yet taken by {@link #awaitHead}, oldest first; null until one came. */
  private ArrayDeque<ResponseHead> interim;

  private HttpFields trailers = HttpFields.empty();
  private boolean noContentExpected;

  /** A reset that drops the frames queued: read by the writer thread, which takes no lock. */
  private volatile boolean outputDropped;

  private final InboundBody input;
  private final OutboundBody output;

  /**
   * @param state {@link StreamState#IDLE} for a stream we open, the state after its first frame for
   *     one the peer opens or an h2c Upgrade made
   * @param sendWindow the peer's initial window for streams
   * @param receiveWindow the window the peer assumes for the stream (§6.9.2)
   */
  Http2Stream(
      Http2Connection connection, int id, StreamState state, int sendWindow, int receiveWindow) {
    this.connection = connection;
    this.lock = connection.lock;
    this.id = id;
    this.state = state;
    this.changed = lock.newCondition();
    this.sendWindow = new OutboundWindow(sendWindow);
    this.receiveWindow = new InboundWindow(receiveWindow, connection.config().initialWindowSize());
    this.input = new InboundBody(connection, this);
    this.output = new OutboundBody(connection, this);
  }

  /** {@return the stream identifier} */
  public int id() {
    return id;
  }

  /** {@return the connection that carries this stream} */
  public Http2Connection connection() {
    return connection;
  }

  /** {@return the request that opened this stream (server side), or null on a client} */
  public RequestHead request() {
    lock.lock();
    try {
      return request;
    } finally {
      lock.unlock();
    }
  }

  /**
   * How many interim heads a stream keeps for its caller. RFC 9110 §15.2 sets no limit on how many
   * a server may send; a caller who reads them takes them as they come, and past this many unread
   * ones the later are dropped rather than held: they are only informational.
   */
  static final int MAX_INTERIM_HEADS = 8;

  /**
   * Waits for the next response head (client side): an interim (1xx) one, such as {@code 103 Early
   * Hints}, in the order they arrived, or else the final one. Call it until a head is not
   * {@linkplain ResponseHead#isInformational informational}; {@link #awaitResponse} skips them.
   *
   * @param timeoutNanos how long to wait at most
   * @return the next head
   * @throws StreamResetException if the stream ends first
   * @throws SocketTimeoutException if no head came within the timeout
   * @throws InterruptedIOException if the waiting thread is interrupted
   */
  public ResponseHead awaitHead(long timeoutNanos) throws IOException {
    lock.lock();
    try {
      long nanos = timeoutNanos;
      while (response == null && (interim == null || interim.isEmpty())) {
        if (resetCause != null) throw resetCause.forCaller();
        if (nanos <= 0) throw new SocketTimeoutException("no response within the timeout");
        // Without a timeout, an untimed wait: a timed park of a virtual thread enqueues and
        // cancels a timer task in the JDK's scheduler, and wakes its thread, once per request.
        if (nanos == Long.MAX_VALUE) changed.await();
        else nanos = changed.awaitNanos(nanos);
      }
      return interim != null && !interim.isEmpty() ? interim.poll() : response;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for a response");
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for the final (non-1xx) response head (client side); interim heads are dropped.
   *
   * @param timeoutNanos how long to wait at most
   * @return the response head
   * @throws StreamResetException if the stream ends first
   * @throws SocketTimeoutException if no response came within the timeout
   * @throws InterruptedIOException if the waiting thread is interrupted
   */
  public ResponseHead awaitResponse(long timeoutNanos) throws IOException {
    boolean untimed = timeoutNanos == Long.MAX_VALUE; // then each wait stays untimed (awaitHead)
    long deadline = untimed ? 0 : System.nanoTime() + timeoutNanos;
    ResponseHead head;
    do {
      head = awaitHead(untimed ? Long.MAX_VALUE : deadline - System.nanoTime());
    } while (head.isInformational());
    return head;
  }

  /**
   * {@return the body that arrives on this stream} Reading it gives the peer more window; closing
   * it drops the rest.
   */
  public InputStream input() {
    return input;
  }

  /** {@return the trailers received; empty until the input ended, or if there were none} */
  public HttpFields trailers() {
    lock.lock();
    try {
      return trailers;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sends a header block (pseudo-fields first). The first call sends the head; a later call with
   * {@code endStream} sends trailers.
   *
   * @param fields the fields, pseudo-fields first
   * @param endStream true if the block ends the stream (END_STREAM)
   * @throws IOException if the stream was reset or already ended, or the connection closed
   */
  public void sendHeaders(HttpFields fields, boolean endStream) throws IOException {
    output.flushBuffer(false);
    lock.lock();
    try {
      checkWritableLocked();
      state = state.sent(FrameType.HEADERS, endStream);
    } finally {
      lock.unlock();
    }
    connection.writer.enqueueHeaders(this, fields, endStream);
    if (endStream) connection.ends.localEnded(this);
  }

  /**
   * {@return the body to send} Writes wait for flow-control credit; {@code close()} ends the stream
   * (END_STREAM), unless trailers follow through {@link StreamOutput#closeWithTrailers}.
   */
  public StreamOutput output() {
    return output;
  }

  /**
   * Resets the stream with {@code error}; a no-op on a stream already closed.
   *
   * @param error the code of the RST_STREAM
   */
  public void reset(ErrorCode error) {
    connection.ends.reset(this, error, "reset locally", StreamEnds.Origin.LOCAL);
  }

  /**
   * Resets the stream with {@code error} after the frames it queued already: HEADERS and DATA
   * written before this call are still sent, then RST_STREAM. Bytes buffered in {@link #output()}
   * but not flushed are dropped. A no-op on a stream already closed.
   *
   * @param error the code of the RST_STREAM
   */
  public void resetAfterQueued(ErrorCode error) {
    connection.ends.resetAfterQueued(this, error);
  }

  /** {@return true once the stream was reset, by either side, or failed with its connection} */
  public boolean isReset() {
    lock.lock();
    try {
      return resetCause != null;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The outbound body of a stream. Bytes are gathered up to one frame, then sent once flow control
   * allows; {@link #flush()} sends what is gathered at once, and {@link #close()} ends the stream
   * with END_STREAM on the last DATA frame.
   */
  public abstract static sealed class StreamOutput extends OutputStream permits OutboundBody {
    StreamOutput() {}

    /**
     * Ends the stream with trailers instead of END_STREAM on DATA.
     *
     * @param trailers the trailer fields, without pseudo-fields
     * @throws IOException if the stream was reset or the connection ended
     */
    public abstract void closeWithTrailers(HttpFields trailers) throws IOException;
  }

  // ---- called by the connection's parts, under its lock ----

  /** The stream's state (§5.1). */
  StreamState state() {
    assert lock.isHeldByCurrentThread();
    return state;
  }

  /** The inbound body, which the reader fills. */
  InboundBody inbound() {
    return input;
  }

  void requestLocked(RequestHead head) {
    assert lock.isHeldByCurrentThread();
    this.request = head;
    input.expectLengthLocked(head.contentLength());
  }

  void responseLocked(ResponseHead head) {
    assert lock.isHeldByCurrentThread();
    this.response = head;
    // A response to HEAD, and a 304, carry the content-length of a body they don't include
    // (RFC 9113 §8.1.1, RFC 9110 §8.6): only other responses are checked against it.
    input.expectLengthLocked(noContentExpected || head.status() == 304 ? -1 : head.contentLength());
    changed.signalAll();
  }

  /** An interim (1xx) head arrived, before the final one (RFC 9113 §8.1). */
  void interimLocked(ResponseHead head) {
    assert lock.isHeldByCurrentThread();
    if (interim == null) interim = new ArrayDeque<>(2);
    if (interim.size() < MAX_INTERIM_HEADS) interim.add(head);
    changed.signalAll();
  }

  /** Marks a client stream whose response has no content whatever its content-length (HEAD). */
  void expectNoContentLocked() {
    assert lock.isHeldByCurrentThread();
    this.noContentExpected = true;
  }

  boolean hasResponseLocked() {
    assert lock.isHeldByCurrentThread();
    return response != null;
  }

  void trailersLocked(HttpFields fields) {
    assert lock.isHeldByCurrentThread();
    trailers = fields;
  }

  /**
   * The peer ended its side with END_STREAM on {@code frameType}; false if the body is shorter than
   * its content-length. Then the stream is not marked ended, so no reader takes the short body for
   * a whole one before the reset that the caller sends.
   */
  boolean endRemoteLocked(int frameType) {
    assert lock.isHeldByCurrentThread();
    if (!input.lengthCompleteLocked()) return false;
    state = state.received(frameType, true);
    input.endLocked();
    return true;
  }

  /** We are about to queue END_STREAM on the last DATA frame. */
  void endLocalLocked() throws IOException {
    assert lock.isHeldByCurrentThread();
    checkWritableLocked();
    state = state.sent(FrameType.DATA, true);
  }

  StreamResetException resetCauseLocked() {
    assert lock.isHeldByCurrentThread();
    return resetCause;
  }

  /** True once the stream is closed (§5.1), or failed with its connection. */
  boolean isClosedLocked() {
    assert lock.isHeldByCurrentThread();
    return resetCause != null || state.isClosed();
  }

  /**
   * The stream was reset, by the peer's RST_STREAM or by ours (§5.1: to a closed state). With
   * {@code dropQueued} the frames it queued are no longer written. Returns the buffered bytes that
   * were dropped, which the caller credits back to the connection window.
   */
  int resetLocked(StreamResetException cause, StreamEnds.Origin origin, boolean dropQueued) {
    assert lock.isHeldByCurrentThread();
    state =
        origin == StreamEnds.Origin.PEER
            ? state.received(FrameType.RST_STREAM, false)
            : state.sent(FrameType.RST_STREAM, false);
    return failLocked(cause, dropQueued);
  }

  /**
   * The stream fails with {@code cause} without a frame of its own: its connection ended. Returns
   * the buffered bytes dropped.
   */
  int failLocked(StreamResetException cause, boolean dropQueued) {
    assert lock.isHeldByCurrentThread();
    if (resetCause == null) resetCause = cause;
    if (dropQueued) outputDropped = true;
    changed.signalAll();
    return input.dropLocked();
  }

  /** True once a reset dropped the frames this stream queued; for the writer, without the lock. */
  boolean isOutputDropped() {
    return outputDropped;
  }

  /** Wakes the application's reads waiting on this stream; under the connection's lock. */
  void wakeLocked() {
    assert lock.isHeldByCurrentThread();
    wakePending = false;
    changed.signalAll();
  }

  private void checkWritableLocked() throws IOException {
    assert lock.isHeldByCurrentThread();
    if (resetCause != null) throw resetCause.forCaller();
    if (state != StreamState.IDLE && !state.localOpen()) {
      throw new IOException("stream " + id + " already ended");
    }
  }

  @Override
  public String toString() {
    return "stream " + id;
  }
}
