package dev.h2mux.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The memory of how streams closed: states, the peer ending a stream we reset, and its bound. */
class ClosedStreamsTest {
  @Test
  void remembersHowEachStreamClosed() {
    ClosedStreams closed = new ClosedStreams(8);
    closed.closed(1, ClosedStreams.PEER_ENDED);
    closed.closed(3, ClosedStreams.PEER_RESET);
    closed.closed(5, ClosedStreams.RESET_BY_US);
    assertThat(closed.state(1)).isEqualTo(ClosedStreams.PEER_ENDED);
    assertThat(closed.state(3)).isEqualTo(ClosedStreams.PEER_RESET);
    assertThat(closed.state(5)).isEqualTo(ClosedStreams.RESET_BY_US);
    assertThat(closed.state(7)).isEqualTo(ClosedStreams.UNKNOWN);
  }

  @Test
  void thePeerEndingAStreamWeResetChangesOnlyThatKind() {
    ClosedStreams closed = new ClosedStreams(8);
    closed.closed(1, ClosedStreams.RESET_BY_US);
    closed.closed(3, ClosedStreams.PEER_RESET);
    closed.peerEnded(1, ClosedStreams.PEER_ENDED);
    closed.peerEnded(3, ClosedStreams.PEER_ENDED);
    closed.peerEnded(9, ClosedStreams.PEER_RESET); // unknown: stays unknown
    assertThat(closed.state(1)).isEqualTo(ClosedStreams.PEER_ENDED);
    assertThat(closed.state(3)).isEqualTo(ClosedStreams.PEER_RESET);
    assertThat(closed.state(9)).isEqualTo(ClosedStreams.UNKNOWN);
  }

  @Test
  void forgetsTheOldestBeyondItsCapacity() {
    ClosedStreams closed = new ClosedStreams(20);
    for (int id = 1; id <= 41; id += 2) closed.closed(id, ClosedStreams.PEER_ENDED);
    assertThat(closed.state(1))
        .as("the 21st close pushed out the first")
        .isEqualTo(ClosedStreams.UNKNOWN);
    assertThat(closed.state(3)).isEqualTo(ClosedStreams.PEER_ENDED);
    assertThat(closed.state(41)).isEqualTo(ClosedStreams.PEER_ENDED);
  }
}
