package dev.h2mux.core.engine;

import dev.h2mux.core.frame.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GOAWAY both ways (RFC 9113 §6.8): our graceful shutdown, in two steps on a server, the GOAWAY
 * that ends a connection, the peer's GOAWAY and the streams it refused, and the close once a
 * connection that no longer takes streams has none left.
 *
 * <p>A server's shutdown first sends GOAWAY with the largest stream id, 2^31-1, and a PING: the
 * client stops opening streams when it reads that GOAWAY, and every stream it opened before then
 * reaches us ahead of its PING ACK. When the ACK arrives (or after {@link #PING_TIMEOUT_MILLIS}
 * without one), the final GOAWAY names the last stream actually opened. A one-step GOAWAY races
 * with requests in flight, and a proxy does not retry a request it already sent.
 *
 * <p>GOAWAYs are queued under the connection's lock, which guards this state too: a stream ending
 * at that moment can't close the connection (and its writer) between the decision and the frame.
 */
final class GracefulShutdown {
  private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

  /** How a connection ends, which decides the GOAWAY it sends last ({@link #endLocked}). */
  enum Ending {
    /** We end it with a GOAWAY of our own: a connection error (§5.4.1), or NO_ERROR. */
    GOAWAY,
    /**
     * The peer closed, the socket failed, or the peer's GOAWAY reported an error: nothing more to
     * say, unless a server's graceful shutdown still owes its final GOAWAY.
     */
    LOST,
    /** A GOAWAY either way and no stream left: a server sends its final GOAWAY if still due. */
    DRAINED
  }

  /**
   * How long a graceful shutdown waits for the ACK of its PING before it sends the final GOAWAY
   * anyway (§6.8): a round trip, generously; a peer that never answers must not hold it up.
   */
  static final long PING_TIMEOUT_MILLIS = 1_000;

  private final Http2Connection connection;
  private final ReentrantLock lock;
  private final ConnectionWriter writer;
  private final StreamTable streams;
  private final boolean server;

  /** Counted down once the final GOAWAY is queued, or the connection ended. */
  private final CountDownLatch finalQueued = new CountDownLatch(1);

  // Guarded by the lock.
  private boolean sent;
  private boolean finalSent;
  private ErrorCode error = ErrorCode.NO_ERROR;
  private byte[] debug = new byte[0];
  private int lastIdSent = Integer.MAX_VALUE;
  private int peerLastId = -1;

  GracefulShutdown(Http2Connection connection) {
    this.connection = connection;
    this.lock = connection.lock;
    this.writer = connection.writer;
    this.streams = connection.streams;
    this.server = connection.role() == Http2Connection.Role.SERVER;
  }

  /** See {@link Http2Connection#shutdownGracefully(ErrorCode, String)}. */
  void begin(ErrorCode error, String debug) {
    byte[] debugData = debugBytes(debug);
    boolean twoStep;
    lock.lock();
    try {
      if (sent || connection.isClosedLocked()) return;
      sent = true;
      this.error = error;
      this.debug = debugData;
      streams.slotFreed.signalAll();
      twoStep = server && error == ErrorCode.NO_ERROR;
      if (twoStep) queueLocked(Integer.MAX_VALUE, error, debugData);
      else queueFinalLocked();
    } finally {
      lock.unlock();
    }
    if (twoStep) {
      connection.pings.send().whenComplete((acked, failure) -> sendFinal());
      Thread.ofVirtual()
          .name(connection + "-goaway")
          .start(
              () -> {
                try {
                  finalQueued.await(PING_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  sendFinal();
                }
              });
    }
    closeIfDrained();
  }

  /** The PING of a graceful shutdown was answered (or not in time): name the last stream. */
  private void sendFinal() {
    lock.lock();
    try {
      if (connection.isClosedLocked() || finalSent) return;
      queueFinalLocked();
    } finally {
      lock.unlock();
    }
    closeIfDrained();
  }

  private void queueFinalLocked() {
    assert lock.isHeldByCurrentThread();
    finalSent = true;
    lastIdSent = Math.min(lastIdSent, streams.lastPeerStreamIdLocked());
    queueLocked(lastIdSent, error, debug);
    finalQueued.countDown();
  }

  /** A GOAWAY after which the streams it spares go on: ahead of DATA, never refused for a flood. */
  private void queueLocked(int lastId, ErrorCode error, byte[] debug) {
    assert lock.isHeldByCurrentThread();
    try {
      writer.controlPastLimit((w, e) -> w.goAway(lastId, error.code(), debug));
    } catch (IOException e) {
      log.debug("{}: GOAWAY not sent: {}", connection, e.getMessage());
    }
  }

  /**
   * The GOAWAY that ends the connection, as it ends: after everything queued, and nothing after it.
   * With {@link Ending#GOAWAY} it carries {@code error}; otherwise a server still sends its final
   * GOAWAY when a graceful shutdown had begun or the connection {@linkplain Ending#DRAINED
   * drained}, so every connection it ends gets one. Its last stream id is never above an earlier
   * GOAWAY's (§6.8).
   */
  void endLocked(Ending ending, ErrorCode error, String debug) {
    assert lock.isHeldByCurrentThread();
    int lastId = Math.min(streams.lastPeerStreamIdLocked(), lastIdSent);
    if (ending == Ending.GOAWAY) {
      queueLastLocked(lastId, error, debugBytes(debug));
    } else if (server && !finalSent && (sent || ending == Ending.DRAINED)) {
      queueLastLocked(lastId, this.error, this.debug);
    }
    finalSent = true;
  }

  /** The connection ended: nothing waits for a final GOAWAY any more. */
  void ended() {
    finalQueued.countDown();
  }

  private void queueLastLocked(int lastId, ErrorCode error, byte[] debug) {
    assert lock.isHeldByCurrentThread();
    try {
      writer.lastControl((w, e) -> w.goAway(lastId, error.code(), debug));
    } catch (IOException e) {
      log.debug("{}: GOAWAY not sent: {}", connection, e.getMessage());
    }
  }

  /**
   * The peer sent GOAWAY with {@code lastStreamId}: returns our streams above the lowest last id it
   * sent, which it never processed (§6.8), for the caller to fail as refused.
   */
  List<Http2Stream> peerGoAwayLocked(int lastStreamId) {
    assert lock.isHeldByCurrentThread();
    peerLastId = peerLastId < 0 ? lastStreamId : Math.min(peerLastId, lastStreamId);
    List<Http2Stream> refused = new ArrayList<>();
    for (Http2Stream stream : streams.streamsLocked()) {
      if (streams.isLocal(stream.id()) && stream.id() > peerLastId) refused.add(stream);
    }
    streams.slotFreed.signalAll();
    return refused;
  }

  /** True once either side sent GOAWAY: no new stream of ours may open. */
  boolean takesNoNewStreamsLocked() {
    assert lock.isHeldByCurrentThread();
    return sent || peerLastId >= 0;
  }

  /** True for a stream the peer opens above the last id our GOAWAY accepts: it is ignored. */
  boolean ignoresPeerStreamLocked(int id) {
    assert lock.isHeldByCurrentThread();
    return sent && id > lastIdSent;
  }

  /** True for a stream of ours above the last id of the peer's GOAWAY: it was never processed. */
  boolean refusedByPeerLocked(int id) {
    assert lock.isHeldByCurrentThread();
    return streams.isLocal(id) && peerLastId >= 0 && id > peerLastId;
  }

  /** Ends the connection once no stream is left after the final GOAWAY, ours or the peer's. */
  void closeIfDrained() {
    boolean drained;
    lock.lock();
    try {
      // After our GOAWAY(2^31-1) streams may still be on their way: only the final one counts.
      drained =
          !connection.isClosedLocked() && (finalSent || peerLastId >= 0) && streams.isEmptyLocked();
    } finally {
      lock.unlock();
    }
    if (drained) connection.terminate(Ending.DRAINED);
  }

  /** GOAWAY debug data: the text in UTF-8, cut at 256 bytes. */
  private static byte[] debugBytes(String debug) {
    byte[] bytes = debug == null ? new byte[0] : debug.getBytes(StandardCharsets.UTF_8);
    return bytes.length <= 256 ? bytes : Arrays.copyOf(bytes, 256);
  }
}
