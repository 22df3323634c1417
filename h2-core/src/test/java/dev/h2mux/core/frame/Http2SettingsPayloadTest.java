package dev.h2mux.core.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The SETTINGS payload codec (RFC 9113 §6.5.1), shared by frames and the h2c Upgrade header. */
class Http2SettingsPayloadTest {

  @Test
  void encodesSixBytesPerValueInIdentifierOrder() {
    Http2Settings settings =
        Http2Settings.EMPTY
            .with(Http2Settings.INITIAL_WINDOW_SIZE, 0x7fff_ffffL)
            .with(Http2Settings.ENABLE_PUSH, 0)
            .with(Http2Settings.MAX_HEADER_LIST_SIZE, 0xffff_ffffL);
    assertThat(HexFormat.of().formatHex(settings.toPayload()))
        .isEqualTo("000200000000" + "00047fffffff" + "0006ffffffff");
    assertThat(Http2Settings.EMPTY.toPayload()).isEmpty();
  }

  @Test
  void parsesWhatItEncodes() throws Http2Exception {
    Http2Settings settings =
        Http2Settings.EMPTY
            .with(Http2Settings.HEADER_TABLE_SIZE, 0)
            .with(Http2Settings.MAX_CONCURRENT_STREAMS, 100)
            .with(Http2Settings.MAX_FRAME_SIZE, 16_777_215)
            .with(Http2Settings.MAX_HEADER_LIST_SIZE, 0xffff_ffffL);
    assertThat(Http2Settings.parsePayload(settings.toPayload())).isEqualTo(settings);
  }

  @Test
  void ignoresUnknownIdentifiersAndKeepsTheLastOfARepeatedOne() throws Http2Exception {
    byte[] payload = HexFormat.of().parseHex("000300000001" + "00ff00000007" + "000300000002");
    Http2Settings parsed = Http2Settings.parsePayload(payload);
    assertThat(parsed.size()).isEqualTo(1);
    assertThat(parsed.maxConcurrentStreams()).isEqualTo(2);
  }

  @Test
  void rejectsABadLengthAndValuesOutOfRange() {
    assertThatThrownBy(() -> Http2Settings.parsePayload(new byte[5]))
        .isInstanceOfSatisfying(
            Http2Exception.class, e -> assertThat(e.error()).isEqualTo(ErrorCode.FRAME_SIZE_ERROR));
    assertThatThrownBy(
            () -> Http2Settings.parsePayload(HexFormat.of().parseHex("000200000002"))) // push=2
        .isInstanceOfSatisfying(
            Http2Exception.class, e -> assertThat(e.error()).isEqualTo(ErrorCode.PROTOCOL_ERROR));
    assertThatThrownBy(
            () -> Http2Settings.parsePayload(HexFormat.of().parseHex("000480000000"))) // 2^31
        .isInstanceOfSatisfying(
            Http2Exception.class,
            e -> assertThat(e.error()).isEqualTo(ErrorCode.FLOW_CONTROL_ERROR));
  }
}
