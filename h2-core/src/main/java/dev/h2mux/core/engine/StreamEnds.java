package dev.h2mux.core.engine;

import dev.h2mux.core.engine.StreamResetException.Reason;
import dev.h2mux.core.frame.ErrorCode;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How streams end (RFC 9113 §5.1): our END_STREAM, the peer's, RST_STREAM either way, and on the
 * server the stop of a request body that is still coming after the response ended (§8.1, {@link
 * EarlyResponses}). A stream that closed leaves the {@link StreamTable} with the closed state that
 * answers frames still to come; a connection draining after GOAWAY closes once none is left.
 */
final class StreamEnds {
  private static final Logger log = LoggerFactory.getLogger(StreamEnds.class);

  /** Who reset a stream. */
  enum Origin {
    /** The peer: its RST_STREAM, or its GOAWAY refused the stream. */
    PEER,
    /** We did: the application, or a stream error the peer's frames caused. */
    LOCAL
  }

  /** What becomes of the frames a stream queued before we reset it. */
  private enum Queued {
    /** Dropped: the RST_STREAM overtakes them. */
    DROPPED,
    /** Written first, then the RST_STREAM. */
    SENT_FIRST
  }

  private final Http2Connection connection;
  private final ReentrantLock lock;
  private final StreamTable streams;
  private final FlowControl flow;
  private final ConnectionWriter writer;
  private final boolean server;

  /** Server streams answered before their request ended, to be stopped (§8.1). */
  private final EarlyResponses earlyResponses = new EarlyResponses();

  StreamEnds(Http2Connection connection) {
    this.connection = connection;
    this.lock = connection.lock;
    this.streams = connection.streams;
    this.flow = connection.flow;
    this.writer = connection.writer;
    this.server = connection.role() == Http2Connection.Role.SERVER;
  }

  /** We queued END_STREAM on {@code stream}; it may now be closed. */
  void localEnded(Http2Stream stream) {
    boolean sendPing = false;
    lock.lock();
    try {
      if (stream.isClosedLocked()) {
        streams.removeLocked(stream);
      } else if (server && stream.resetCauseLocked() == null) {
        // The response is complete but the request body is not: the client is told to stop
        // sending it (RFC 9113 §8.1) once it has seen the response (EarlyResponses).
        sendPing = earlyResponses.add(stream);
      }
    } finally {
      lock.unlock();
    }
    if (sendPing) pingAfterResponses();
    connection.shutdown.closeIfDrained();
  }

  /** The peer's END_STREAM arrived on {@code stream}; it may now be closed. */
  void peerEndedLocked(Http2Stream stream) {
    assert lock.isHeldByCurrentThread();
    if (stream.isClosedLocked()) streams.removeLocked(stream);
  }

  /**
   * Resets {@code stream}: by the peer (its RST_STREAM or GOAWAY), or by us, which sends RST_STREAM
   * ahead of the frames it queued. A no-op on a stream already closed.
   *
   * @return false if the stream was closed already, so nothing was sent
   */
  boolean reset(Http2Stream stream, ErrorCode error, String why, Origin origin) {
    return reset(stream, error, why, origin, Queued.DROPPED);
  }

  /**
   * Resets {@code stream} by our choice, behind the frames it queued already: they are still
   * written, then RST_STREAM (for a handler that answers part of a response and then resets).
   */
  void resetAfterQueued(Http2Stream stream, ErrorCode error) {
    reset(stream, error, "reset locally", Origin.LOCAL, Queued.SENT_FIRST);
  }

  private boolean reset(
      Http2Stream stream, ErrorCode error, String why, Origin origin, Queued queued) {
    int dropped;
    boolean afterOurEnd;
    lock.lock();
    try {
      if (stream.isClosedLocked()) return false;
      // After our END_STREAM, RST_STREAM(NO_ERROR) only stops the peer's body (§8.1): our frames,
      // all queued already, must still go out, and the reset after them. So must they when the
      // caller asked for the reset to follow what it sent.
      afterOurEnd =
          origin == Origin.LOCAL
              && (queued == Queued.SENT_FIRST
                  || error == ErrorCode.NO_ERROR
                      && stream.state() == StreamState.HALF_CLOSED_LOCAL);
      Reason reason =
          origin == Origin.LOCAL
              ? Reason.LOCAL_RESET
              : error == ErrorCode.REFUSED_STREAM ? Reason.REFUSED : Reason.PEER_RESET;
      dropped =
          stream.resetLocked(
              new StreamResetException(why, error, reason, false), origin, !afterOurEnd);
      streams.removeLocked(stream);
      flow.wakeWritersLocked();
    } finally {
      lock.unlock();
    }
    if (dropped > 0) flow.dropped(dropped);
    if (origin == Origin.LOCAL) {
      int id = stream.id();
      try {
        ConnectionWriter.Op rst = (w, e) -> w.rstStream(id, error.code());
        if (afterOurEnd) writer.enqueue(rst);
        else writer.control(rst);
      } catch (IOException e) {
        log.debug("{}: RST_STREAM not sent: {}", connection, e.getMessage());
      }
    }
    connection.shutdown.closeIfDrained();
    return true;
  }

  // ---------------------------------------------------------------- early responses (§8.1)

  /** Sends the PING behind the responses just ended; its ACK stops their streams. */
  private void pingAfterResponses() {
    connection.pings.sendAfterQueued().thenRun(this::stopAcknowledged);
  }

  /** Stops the streams answered early that the acknowledged PING covers. */
  private void stopAcknowledged() {
    List<Http2Stream> stop;
    boolean pingAgain;
    lock.lock();
    try {
      if (earlyResponses.isEmpty()) return;
      stop = earlyResponses.acknowledged();
      pingAgain = earlyResponses.pingNeeded();
    } finally {
      lock.unlock();
    }
    stop(stop);
    if (pingAgain) pingAfterResponses();
  }

  /**
   * Stops every stream answered early: the peer has been quiet, so what it sent before it saw the
   * responses has arrived. Called by the reader when a read times out.
   */
  void stopEarlyResponses() {
    List<Http2Stream> stop;
    lock.lock();
    try {
      if (earlyResponses.isEmpty()) return;
      stop = earlyResponses.takeAll();
    } finally {
      lock.unlock();
    }
    stop(stop);
  }

  private void stop(List<Http2Stream> streams) {
    for (Http2Stream stream : streams) {
      reset(stream, ErrorCode.NO_ERROR, "response complete", Origin.LOCAL);
    }
  }

  /** True while streams answered early wait to be stopped: the reader then wakes up to do it. */
  boolean hasEarlyResponses() {
    lock.lock();
    try {
      return !earlyResponses.isEmpty();
    } finally {
      lock.unlock();
    }
  }
}
