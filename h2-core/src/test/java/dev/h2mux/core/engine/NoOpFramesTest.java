package dev.h2mux.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.Http2Settings;
import org.junit.jupiter.api.Test;

/** Which frames count as doing nothing (CVE-2019-9518), and which do something. */
class NoOpFramesTest {
  private static final byte[] NONE = new byte[0];
  private static final byte[] SOME = {1};

  @Test
  void framesThatDoNothing() {
    assertThat(NoOpFrames.isNoOp(new Frame.Data(1, NONE, false))).isTrue();
    assertThat(NoOpFrames.isNoOp(new Frame.Data(1, new byte[10], 1, 0, false, 10)))
        .as("padding only")
        .isTrue();
    assertThat(NoOpFrames.isNoOp(new Frame.Headers(1, NONE, false, false, null))).isTrue();
    assertThat(NoOpFrames.isNoOp(new Frame.Headers(1, NONE, false, true, null))).isTrue();
    assertThat(NoOpFrames.isNoOp(new Frame.Continuation(1, NONE, false))).isTrue();
    assertThat(NoOpFrames.isNoOp(new Frame.Continuation(1, NONE, true))).isTrue();
    assertThat(NoOpFrames.isNoOp(new Frame.Settings(false, Http2Settings.EMPTY))).isTrue();
    assertThat(NoOpFrames.isNoOp(new Frame.PriorityFrame(3, new Frame.Priority(0, false, 16))))
        .isTrue();
    assertThat(NoOpFrames.isNoOp(new Frame.Unknown(0xfa, 0, 0, 4))).isTrue();
  }

  @Test
  void framesThatDoSomething() {
    assertThat(NoOpFrames.isNoOp(new Frame.Data(1, NONE, true))).as("ends the body").isFalse();
    assertThat(NoOpFrames.isNoOp(new Frame.Data(1, SOME, false))).isFalse();
    assertThat(NoOpFrames.isNoOp(new Frame.Headers(1, SOME, false, true, null))).isFalse();
    assertThat(NoOpFrames.isNoOp(new Frame.Headers(1, NONE, true, true, null)))
        .as("empty trailers that end the stream")
        .isFalse();
    assertThat(NoOpFrames.isNoOp(new Frame.Continuation(1, SOME, true))).isFalse();
    assertThat(
            NoOpFrames.isNoOp(
                new Frame.Settings(
                    false, Http2Settings.EMPTY.with(Http2Settings.INITIAL_WINDOW_SIZE, 1))))
        .isFalse();
    assertThat(NoOpFrames.isNoOp(Frame.Settings.ACK)).isFalse();
    assertThat(NoOpFrames.isNoOp(new Frame.WindowUpdate(0, 1))).isFalse();
    assertThat(NoOpFrames.isNoOp(new Frame.Ping(false, 1))).isFalse();
  }
}
