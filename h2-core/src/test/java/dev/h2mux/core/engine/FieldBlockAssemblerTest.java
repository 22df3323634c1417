package dev.h2mux.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.Http2Exception;
import org.junit.jupiter.api.Test;

/** HEADERS + CONTINUATION assembly (RFC 9113 §4.3, §6.10) and its bounds, with no socket. */
class FieldBlockAssemblerTest {
  private final FieldBlockAssembler blocks = new FieldBlockAssembler(10);

  private static Frame.Headers headers(int streamId, byte... fragment) {
    return new Frame.Headers(streamId, fragment, true, false, null);
  }

  @Test
  void aBlockIsTheFragmentsInOrder() throws Http2Exception {
    Frame.Headers first = headers(1, (byte) 1, (byte) 2);
    blocks.begin(first);
    assertThat(blocks.add(new Frame.Continuation(1, new byte[] {3}, false))).isFalse();
    assertThat(blocks.add(new Frame.Continuation(1, new byte[] {4, 5}, true))).isTrue();
    assertThat(blocks.headers()).isSameAs(first);
    assertThat(blocks.takeBlock()).containsExactly(1, 2, 3, 4, 5);
    blocks.check(new Frame.Ping(false, 1)); // between blocks, anything may come
  }

  @Test
  void onlyContinuationsOfTheStreamMayComeInsideABlock() throws Http2Exception {
    blocks.begin(headers(1));
    assertThatThrownBy(() -> blocks.check(new Frame.Ping(false, 1)))
        .isInstanceOfSatisfying(
            Http2Exception.class, FieldBlockAssemblerTest::connectionProtocolError);
    assertThatThrownBy(() -> blocks.add(new Frame.Continuation(3, new byte[0], true)))
        .isInstanceOfSatisfying(
            Http2Exception.class, FieldBlockAssemblerTest::connectionProtocolError);
  }

  @Test
  void aContinuationWithoutHeadersIsAProtocolError() {
    assertThatThrownBy(() -> blocks.add(new Frame.Continuation(1, new byte[0], true)))
        .isInstanceOfSatisfying(
            Http2Exception.class, FieldBlockAssemblerTest::connectionProtocolError);
  }

  @Test
  void aBlockLargerThanTheLimitEndsTheConnection() throws Http2Exception {
    blocks.begin(headers(1, new byte[6]));
    blocks.add(new Frame.Continuation(1, new byte[4], false)); // exactly 10
    assertThatThrownBy(() -> blocks.add(new Frame.Continuation(1, new byte[1], false)))
        .isInstanceOfSatisfying(
            Http2Exception.class,
            e -> {
              assertThat(e.isConnectionError()).isTrue();
              assertThat(e.error()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
            });
  }

  @Test
  void tooManyEmptyContinuationsEndTheConnection() throws Http2Exception {
    blocks.begin(headers(1));
    for (int i = 0; i < FieldBlockAssembler.MAX_CONTINUATIONS; i++) {
      blocks.add(new Frame.Continuation(1, new byte[0], false));
    }
    assertThatThrownBy(() -> blocks.add(new Frame.Continuation(1, new byte[0], true)))
        .isInstanceOfSatisfying(
            Http2Exception.class,
            e -> assertThat(e.error()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM));
  }

  private static void connectionProtocolError(Http2Exception e) {
    assertThat(e.isConnectionError()).isTrue();
    assertThat(e.error()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
  }
}
