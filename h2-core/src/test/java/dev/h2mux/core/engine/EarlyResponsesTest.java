package dev.h2mux.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import org.junit.jupiter.api.Test;

/** Which early-answered streams a PING ACK releases, and when another PING is needed. */
class EarlyResponsesTest {
  private final Http2Connection connection =
      new Http2Connection(
          Http2Connection.Role.SERVER,
          Http2Config.DEFAULTS,
          new Socket(),
          java.io.InputStream.nullInputStream(),
          java.io.OutputStream.nullOutputStream(),
          new Http2Connection.Listener() {});
  private final EarlyResponses early = new EarlyResponses();

  private Http2Stream stream(int id) {
    return new Http2Stream(connection, id, StreamState.OPEN, 65_535, 65_535);
  }

  @Test
  void onePingCoversTheStreamsEndedBeforeItWasSent() {
    Http2Stream a = stream(1);
    Http2Stream b = stream(3);
    Http2Stream c = stream(5);
    assertThat(early.add(a)).as("the first needs a PING").isTrue();
    assertThat(early.add(b)).as("one is in flight already").isFalse();
    assertThat(early.add(c)).isFalse();
    // b and c ended after the PING was sent: its ACK doesn't show the peer saw them
    assertThat(early.acknowledged()).containsExactly(a);
    assertThat(early.pingNeeded()).isTrue();
    assertThat(early.acknowledged()).containsExactly(b, c);
    assertThat(early.pingNeeded()).isFalse();
    assertThat(early.isEmpty()).isTrue();
    assertThat(early.add(stream(7))).as("none in flight again").isTrue();
  }

  @Test
  void takingAllLeavesTheInFlightPingCoveringNothing() {
    Http2Stream a = stream(1);
    Http2Stream b = stream(3);
    early.add(a);
    early.add(b);
    assertThat(early.takeAll()).containsExactly(a, b);
    assertThat(early.isEmpty()).isTrue();
    Http2Stream c = stream(5);
    assertThat(early.add(c)).as("the old PING is still in flight").isFalse();
    assertThat(early.acknowledged()).isEmpty();
    assertThat(early.pingNeeded()).as("c needs a PING of its own").isTrue();
    assertThat(early.acknowledged()).containsExactly(c);
  }
}
