package dev.h2mux.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The memory of how streams closed: states, the peer ending a stream we reset, and its bound. */
class ClosedStreamsTest {
  @Test
  void remembersHowEachStreamClosed() {
    ClosedStreams closed = new ClosedStreams(8);
    closed.add(1, StreamState.CLOSED);
    closed.add(3, StreamState.CLOSED_RESET_RECEIVED);
    closed.add(5, StreamState.CLOSED_RESET_SENT);
    assertThat(closed.state(1)).isEqualTo(StreamState.CLOSED);
    assertThat(closed.state(3)).isEqualTo(StreamState.CLOSED_RESET_RECEIVED);
    assertThat(closed.state(5)).isEqualTo(StreamState.CLOSED_RESET_SENT);
    assertThat(closed.state(7)).isNull();
  }

  @Test
  void anUpdateChangesOnlyAStreamItRemembers() {
    ClosedStreams closed = new ClosedStreams(8);
    closed.add(1, StreamState.CLOSED_RESET_SENT);
    closed.update(1, StreamState.CLOSED);
    closed.update(9, StreamState.CLOSED_RESET_RECEIVED); // unknown: stays unknown
    assertThat(closed.state(1)).isEqualTo(StreamState.CLOSED);
    assertThat(closed.state(9)).isNull();
  }

  @Test
  void forgetsTheOldestBeyondItsCapacity() {
    ClosedStreams closed = new ClosedStreams(20);
    for (int id = 1; id <= 41; id += 2) closed.add(id, StreamState.CLOSED);
    assertThat(closed.state(1)).as("the 21st close pushed out the first").isNull();
    assertThat(closed.state(3)).isEqualTo(StreamState.CLOSED);
    assertThat(closed.state(41)).isEqualTo(StreamState.CLOSED);
  }
}
