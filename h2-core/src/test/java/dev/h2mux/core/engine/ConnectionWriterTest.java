package dev.h2mux.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameReader;
import dev.h2mux.core.frame.Http2Exception;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The writer's queues: what may overtake what, and their bound. */
class ConnectionWriterTest {
  private static final int CHUNK = ChunkPool.CHUNK_SIZE;
  private final ConnectionWriter writer =
      new ConnectionWriter(new ByteArrayOutputStream(), 64 * 1024, 16, 2 * CHUNK);

  @Test
  void aSettingsAckNeverOvertakesFramesQueuedBeforeIt() throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    ConnectionWriter ordered = new ConnectionWriter(wire, 64 * 1024, 16, 2 * CHUNK);
    byte[] payload = new byte[1000];
    ordered.enqueueData((w, e) -> w.data(1, payload, 0, payload.length, false), 1000, 1);
    ordered.controlInOrder((w, e) -> w.settings(Frame.Settings.ACK));
    ordered.enqueueData((w, e) -> w.data(1, payload, 0, payload.length, true), 1000, 1);
    ordered.control((w, e) -> w.ping(true, 7));
    ordered.finish(false);
    ordered.run(); // writes everything queued, then returns
    // The PING ACK may overtake DATA; the SETTINGS ACK keeps its place between the two DATA.
    assertThat(frames(wire))
        .extracting(f -> f.getClass().getSimpleName())
        .containsExactly("Ping", "Data", "Settings", "Data");
  }

  @Test
  void controlFramesQueuedInOrderCountAgainstTheControlLimit() throws IOException {
    for (int i = 0; i < 8; i++) writer.control((w, e) -> w.ping(true, 1));
    for (int i = 0; i < 8; i++) writer.controlInOrder((w, e) -> w.settings(Frame.Settings.ACK));
    assertThatThrownBy(() -> writer.controlInOrder((w, e) -> w.settings(Frame.Settings.ACK)))
        .isInstanceOfSatisfying(
            Http2Exception.class,
            e -> assertThat(e.error()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM));
    assertThatThrownBy(() -> writer.control((w, e) -> w.ping(true, 1)))
        .isInstanceOf(Http2Exception.class);
  }

  private static List<Frame> frames(ByteArrayOutputStream wire) throws IOException {
    FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.toByteArray()), 1 << 14);
    List<Frame> frames = new ArrayList<>();
    for (Frame f; (f = reader.readFrame()) != null; ) frames.add(f);
    return frames;
  }
}
