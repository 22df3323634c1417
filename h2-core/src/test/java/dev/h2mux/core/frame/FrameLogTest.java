package dev.h2mux.core.frame;

import static dev.h2mux.core.frame.FrameObserver.Direction.RECEIVED;
import static dev.h2mux.core.frame.FrameObserver.Direction.SENT;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.HttpFields;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trace line of every kind of frame, and the observer hook that produces them on the wire. */
class FrameLogTest {
  private static final byte[] BLOCK = new byte[23];

  @Test
  void data() {
    assertThat(line(new Frame.Data(1, new byte[5], true))).isEqualTo("<< DATA 1 END_STREAM 5");
    assertThat(line(new Frame.Data(3, new byte[16384], false))).isEqualTo("<< DATA 3 16384");
    assertThat(line(new Frame.Data(1, new byte[0], true))).isEqualTo("<< DATA 1 END_STREAM 0");
    // 5 bytes of data, a pad length byte and 3 bytes of padding: 9 count against the window
    assertThat(line(new Frame.Data(1, new byte[10], 1, 5, false, 9)))
        .isEqualTo("<< DATA 1 PADDED 5 padding=3");
  }

  @Test
  void headers() {
    assertThat(line(new Frame.Headers(1, BLOCK, true, true, null)))
        .isEqualTo("<< HEADERS 1 END_STREAM|END_HEADERS 23");
    assertThat(line(new Frame.Headers(1, BLOCK, false, false, null))).isEqualTo("<< HEADERS 1 23");
    assertThat(line(new Frame.Headers(5, BLOCK, false, true, new Frame.Priority(3, true, 256))))
        .isEqualTo("<< HEADERS 5 END_HEADERS|PRIORITY dependency=3 weight=256 exclusive 23");
  }

  @Test
  void aDecodedBlockShowsItsFields() {
    HttpFields fields = HttpFields.of(":status", "200", "content-length", "5");
    assertThat(FrameLog.describe(RECEIVED, new Frame.Headers(1, BLOCK, false, true, null), fields))
        .isEqualTo("<< HEADERS 1 END_HEADERS :status=200 content-length=5");
    assertThat(FrameLog.describe(SENT, new Frame.Continuation(1, BLOCK, true), fields))
        .isEqualTo(">> CONTINUATION 1 END_HEADERS :status=200 content-length=5");
    // values that would blur the line are quoted
    HttpFields odd = HttpFields.of("x-a", "two words", "x-b", "", "x-c", "say \"hi\"");
    assertThat(FrameLog.describe(RECEIVED, new Frame.Headers(3, BLOCK, true, true, null), odd))
        .isEqualTo(
            "<< HEADERS 3 END_STREAM|END_HEADERS x-a=\"two words\" x-b=\"\" x-c=\"say \\\"hi\\\"\"");
    // only the frame that ends the block has the fields; a first fragment keeps its length
    assertThat(FrameLog.describe(RECEIVED, new Frame.Headers(1, BLOCK, false, false, null), fields))
        .isEqualTo("<< HEADERS 1 23");
  }

  @Test
  void controlFramesShowTheirPayload() {
    assertThat(line(new Frame.PriorityFrame(3, new Frame.Priority(1, false, 16))))
        .isEqualTo("<< PRIORITY 3 dependency=1 weight=16");
    assertThat(line(new Frame.RstStream(3, ErrorCode.CANCEL))).isEqualTo("<< RST_STREAM 3 CANCEL");
    assertThat(line(new Frame.RstStream(3, 0x1f))).isEqualTo("<< RST_STREAM 3 0x1f");
    assertThat(line(new Frame.Ping(false, 1))).isEqualTo("<< PING 0 0000000000000001");
    assertThat(line(new Frame.Ping(true, 0x0102030405060708L)))
        .isEqualTo("<< PING 0 ACK 0102030405060708");
    assertThat(line(new Frame.WindowUpdate(0, 16_711_681)))
        .isEqualTo("<< WINDOW_UPDATE 0 16711681");
    assertThat(line(new Frame.PushPromise(1, 2, BLOCK, true)))
        .isEqualTo("<< PUSH_PROMISE 1 END_HEADERS promised=2 23");
    assertThat(line(new Frame.Continuation(1, new byte[7], false)))
        .isEqualTo("<< CONTINUATION 1 7");
    assertThat(line(new Frame.Unknown(0xbb, 0x81, 7, 12)))
        .isEqualTo("<< UNKNOWN(0xbb) 7 0x1|0x80 12");
  }

  @Test
  void settings() {
    Http2Settings values =
        Http2Settings.EMPTY
            .with(Http2Settings.MAX_CONCURRENT_STREAMS, 128)
            .with(Http2Settings.INITIAL_WINDOW_SIZE, 1 << 20)
            .with(Http2Settings.ENABLE_PUSH, 0)
            .with(Http2Settings.MAX_HEADER_LIST_SIZE, 0xffffffffL);
    assertThat(FrameLog.describe(SENT, new Frame.Settings(false, values)))
        .isEqualTo(
            ">> SETTINGS 0 ENABLE_PUSH=0 MAX_CONCURRENT_STREAMS=128 INITIAL_WINDOW_SIZE=1048576"
                + " MAX_HEADER_LIST_SIZE=4294967295");
    assertThat(FrameLog.describe(SENT, Frame.Settings.ACK)).isEqualTo(">> SETTINGS 0 ACK");
    assertThat(FrameLog.describe(SENT, new Frame.Settings(false, Http2Settings.EMPTY)))
        .isEqualTo(">> SETTINGS 0");
  }

  @Test
  void goAwayShowsItsDebugDataEscapedAndCut() {
    assertThat(line(new Frame.GoAway(5, ErrorCode.PROTOCOL_ERROR, "DATA on idle stream 7")))
        .isEqualTo("<< GOAWAY 0 last_stream=5 PROTOCOL_ERROR \"DATA on idle stream 7\"");
    assertThat(line(new Frame.GoAway(0, ErrorCode.NO_ERROR, "")))
        .isEqualTo("<< GOAWAY 0 last_stream=0 NO_ERROR");
    assertThat(line(new Frame.GoAway(1, 0xabc, new byte[] {'a', '\n', (byte) 0xff, '"', '\\'})))
        .isEqualTo("<< GOAWAY 0 last_stream=1 0xabc \"a\\x0a\\xff\\\"\\\\\"");
    byte[] longDebug = new byte[300];
    Arrays.fill(longDebug, (byte) 'x');
    assertThat(line(new Frame.GoAway(1, 0, longDebug)))
        .isEqualTo("<< GOAWAY 0 last_stream=1 NO_ERROR \"" + "x".repeat(128) + "\"...");
  }

  @Test
  void namesOfFlagsErrorsAndSettings() {
    assertThat(FrameLog.flags(FrameType.HEADERS, 0x2d))
        .isEqualTo("END_STREAM|END_HEADERS|PADDED|PRIORITY");
    assertThat(FrameLog.flags(FrameType.DATA, 0x3)).isEqualTo("END_STREAM|0x2");
    assertThat(FrameLog.flags(FrameType.SETTINGS, 0x1)).isEqualTo("ACK");
    assertThat(FrameLog.flags(FrameType.GOAWAY, 0x1)).isEqualTo("0x1");
    assertThat(FrameLog.flags(FrameType.PING, 0)).isEmpty();
    for (ErrorCode error : ErrorCode.values()) {
      assertThat(FrameLog.errorName(error.code())).isEqualTo(error.name());
    }
    assertThat(FrameLog.errorName(0xe)).isEqualTo("0xe");
    assertThat(FrameLog.errorName(-1)).isEqualTo("0xffffffff");
    assertThat(FrameLog.settingName(Http2Settings.MAX_FRAME_SIZE)).isEqualTo("MAX_FRAME_SIZE");
    assertThat(FrameLog.settingName(8)).isEqualTo("0x8");
  }

  @Test
  void theWriterAndTheReaderShowEachWireFrameToTheirObserver() throws IOException {
    List<String> sent = new ArrayList<>();
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    FrameWriter writer = new FrameWriter(wire);
    writer.observer((direction, frame) -> sent.add(FrameLog.describe(direction, frame)));
    writer.settings(Frame.Settings.ACK);
    writer.headers(1, new byte[20_000], false, null); // one block, two frames
    writer.data(1, new byte[16_385], 0, 16_385, true); // two frames
    writer.rstStream(3, ErrorCode.CANCEL.code());
    writer.ping(true, 7);
    writer.goAway(1, ErrorCode.NO_ERROR.code(), "bye".getBytes(US_ASCII));
    writer.windowUpdate(0, 100);
    writer.priority(3, new Frame.Priority(1, false, 16));
    writer.write(new Frame.Continuation(5, new byte[2], true));
    writer.pushPromise(1, 2, new byte[3]);
    List<String> expected =
        List.of(
            "SETTINGS 0 ACK",
            "HEADERS 1 16384",
            "CONTINUATION 1 END_HEADERS 3616",
            "DATA 1 16384",
            "DATA 1 END_STREAM 1",
            "RST_STREAM 3 CANCEL",
            "PING 0 ACK 0000000000000007",
            "GOAWAY 0 last_stream=1 NO_ERROR \"bye\"",
            "WINDOW_UPDATE 0 100",
            "PRIORITY 3 dependency=1 weight=16",
            "CONTINUATION 5 END_HEADERS 2",
            "PUSH_PROMISE 1 END_HEADERS promised=2 3");
    assertThat(sent).containsExactlyElementsOf(expected.stream().map(l -> ">> " + l).toList());

    List<String> received = new ArrayList<>();
    FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.toByteArray()), 16_384);
    reader.observer((direction, frame) -> received.add(FrameLog.describe(direction, frame)));
    while (reader.readFrame() != null) {
      // the observer records
    }
    assertThat(received).containsExactlyElementsOf(expected.stream().map(l -> "<< " + l).toList());
  }

  @Test
  void anObserverDoesNotChangeTheBytes() throws IOException {
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    ByteArrayOutputStream observed = new ByteArrayOutputStream();
    FrameWriter watched = new FrameWriter(observed);
    watched.observer((direction, frame) -> {});
    for (FrameWriter writer : List.of(new FrameWriter(plain), watched)) {
      writer.headers(1, new byte[20_000], true, new Frame.Priority(0, false, 16));
      writer.data(1, new byte[40_000], 3, 39_000, true);
      writer.settings(new Frame.Settings(false, Http2Settings.DEFAULTS));
    }
    assertThat(observed.toByteArray()).isEqualTo(plain.toByteArray());
  }

  @Test
  void aRefusedFrameIsShownWithTheErrorTheReaderThrows() throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    FrameWriter writer = new FrameWriter(wire);
    writer.writeHeader(5, FrameType.PRIORITY, 0, 3); // a stream error: the reader goes on
    wire.write(new byte[] {0, 0, 0, 3, 15}); // stream 3 depends on itself
    writer.writeHeader(23, FrameType.HEADERS, FrameType.FLAG_END_HEADERS, 0);
    wire.write(new byte[23]);
    List<String> lines = new ArrayList<>();
    FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.toByteArray()), 16_384);
    reader.observer(
        new FrameObserver() {
          @Override
          public void frame(Direction direction, Frame frame) {
            lines.add(FrameLog.describe(direction, frame));
          }

          @Override
          public void rejected(int type, int flags, int streamId, int length, Http2Exception e) {
            lines.add(FrameLog.rejected(type, flags, streamId, length, e));
          }
        });
    assertThatThrownBy(reader::readFrame).isInstanceOf(Http2Exception.class);
    assertThatThrownBy(reader::readFrame).isInstanceOf(Http2Exception.class);
    assertThat(lines)
        .containsExactly(
            "<< PRIORITY 3 5 rejected: stream 3 error PROTOCOL_ERROR: stream depends on itself",
            "<< HEADERS 0 END_HEADERS 23 rejected: connection error PROTOCOL_ERROR:"
                + " HEADERS frame on stream 0");
  }

  @Test
  void aFrameAboveTheSizeLimitIsShownBeforeItsPayloadIsRead() throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    new FrameWriter(wire).writeHeader(16_385, FrameType.DATA, 0, 1);
    List<String> lines = new ArrayList<>();
    FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.toByteArray()), 16_384);
    reader.observer(
        new FrameObserver() {
          @Override
          public void frame(Direction direction, Frame frame) {
            lines.add("unexpected " + frame);
          }

          @Override
          public void rejected(int type, int flags, int streamId, int length, Http2Exception e) {
            lines.add(FrameLog.rejected(type, flags, streamId, length, e));
          }
        });
    assertThatThrownBy(reader::readFrame).isInstanceOf(Http2Exception.class);
    assertThat(lines)
        .containsExactly(
            "<< DATA 1 16385 rejected: connection error FRAME_SIZE_ERROR: DATA frame of 16385"
                + " bytes exceeds max frame size 16384");
  }

  private static String line(Frame frame) {
    String line = FrameLog.describe(RECEIVED, frame);
    assertThat(FrameLog.describe(frame)).isEqualTo(line.substring(3));
    return line;
  }
}
