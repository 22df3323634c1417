package dev.h2mux.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.engine.StreamResetException.Reason;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.FrameType;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The §5.1 state of any stream id, with no socket: open streams answer with their own state, ids
 * not used yet are idle by the parity of the side that opens them (§5.1.1), closed ones answer with
 * how they closed, and the ones forgotten or skipped are untracked.
 */
class StreamTableTest {
  private final Http2Connection server =
      new Http2Connection(
          Http2Connection.Role.SERVER,
          Http2Config.DEFAULTS,
          new Socket(),
          InputStream.nullInputStream(),
          OutputStream.nullOutputStream(),
          new Http2Connection.Listener() {});
  private final ReentrantLock lock = server.lock;
  private final StreamTable streams = server.streams;

  @BeforeEach
  void lock() {
    lock.lock();
  }

  @AfterEach
  void unlock() {
    lock.unlock();
  }

  /** The peer opens {@code id} with a request that has a body to come. */
  private Http2Stream peerOpens(int id) {
    streams.peerOpensLocked(id);
    Http2Stream stream = new Http2Stream(server, id, StreamState.OPEN, 65_535, 65_535);
    streams.addPeerLocked(stream);
    return stream;
  }

  private static StreamResetException reset() {
    return new StreamResetException("reset", ErrorCode.CANCEL, Reason.LOCAL_RESET, false);
  }

  @Test
  void idsNotUsedYetAreIdleOnEitherSide() {
    assertThat(streams.stateOfLocked(1)).isEqualTo(StreamState.IDLE); // the client's
    assertThat(streams.stateOfLocked(2)).isEqualTo(StreamState.IDLE); // ours
    peerOpens(5);
    assertThat(streams.stateOfLocked(7)).isEqualTo(StreamState.IDLE);
    assertThat(streams.stateOfLocked(2)).as("our side is apart").isEqualTo(StreamState.IDLE);
    assertThat(streams.isLocal(2)).isTrue();
    assertThat(streams.isLocal(5)).isFalse();
  }

  @Test
  void idsSkippedByThePeerAreClosedUntracked() {
    peerOpens(5);
    assertThat(streams.stateOfLocked(1)).isEqualTo(StreamState.CLOSED_UNTRACKED);
    assertThat(streams.stateOfLocked(3)).isEqualTo(StreamState.CLOSED_UNTRACKED);
    assertThat(streams.stateOfLocked(5)).isEqualTo(StreamState.OPEN);
  }

  @Test
  void aClosedStreamAnswersWithHowItClosed() {
    Http2Stream stream = peerOpens(1);
    stream.resetLocked(reset(), StreamEnds.Origin.LOCAL, true);
    streams.removeLocked(stream);
    assertThat(streams.getLocked(1)).isNull();
    assertThat(streams.stateOfLocked(1)).isEqualTo(StreamState.CLOSED_RESET_SENT);
    assertThat(streams.activePeerLocked()).isZero();
    // the peer's own END_STREAM, crossing our reset, makes its later frames errors
    streams.ignoredLocked(1, StreamState.CLOSED_RESET_SENT, FrameType.DATA, true);
    assertThat(streams.stateOfLocked(1)).isEqualTo(StreamState.CLOSED);
  }

  @Test
  void aStreamErrorAnsweredWithoutAStreamIgnoresWhatCrossesIt() {
    peerOpens(5);
    streams.resetWithoutStreamLocked(3); // DATA on the skipped stream 3: RST_STREAM sent
    assertThat(streams.stateOfLocked(3)).isEqualTo(StreamState.CLOSED_RESET_SENT);
    // an id whose closed state is known keeps it
    Http2Stream five = streams.getLocked(5);
    five.resetLocked(reset(), StreamEnds.Origin.PEER, true);
    streams.removeLocked(five);
    streams.resetWithoutStreamLocked(5);
    assertThat(streams.stateOfLocked(5)).isEqualTo(StreamState.CLOSED_RESET_RECEIVED);
  }

  @Test
  void anIdleIdAnsweredForAStreamErrorStaysIdleUntilUsed() {
    streams.resetWithoutStreamLocked(7); // a malformed PRIORITY on idle stream 7 (§6.3)
    assertThat(streams.stateOfLocked(7)).isEqualTo(StreamState.IDLE);
    peerOpens(9);
    assertThat(streams.stateOfLocked(7)).isEqualTo(StreamState.CLOSED_RESET_SENT);
  }

  @Test
  void ourIdsIncreaseByTwoAndRunOut() {
    assertThat(streams.takeLocalIdLocked()).isEqualTo(2);
    assertThat(streams.takeLocalIdLocked()).isEqualTo(4);
    assertThat(streams.stateOfLocked(2))
        .as("taken, not added")
        .isEqualTo(StreamState.CLOSED_UNTRACKED);
    assertThat(streams.stateOfLocked(6)).isEqualTo(StreamState.IDLE);
    assertThat(streams.hasLocalIdsLocked()).isTrue();
  }

  @Test
  void lockedMethodsRequireTheConnectionsLock() {
    lock.unlock();
    try {
      // Surefire runs with assertions on: a caller that forgot the lock is caught here.
      assertThatThrownBy(() -> streams.stateOfLocked(1)).isInstanceOf(AssertionError.class);
      assertThatThrownBy(() -> streams.peerOpensLocked(1)).isInstanceOf(AssertionError.class);
    } finally {
      lock.lock();
    }
  }
}
