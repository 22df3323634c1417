package dev.h2mux.core.frame;

import static dev.h2mux.core.frame.ErrorCode.FLOW_CONTROL_ERROR;
import static dev.h2mux.core.frame.ErrorCode.FRAME_SIZE_ERROR;
import static dev.h2mux.core.frame.ErrorCode.PROTOCOL_ERROR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each RFC 9113 §4/§6 rule FrameReader enforces, with its error code and scope. */
class FrameReaderValidationTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final FrameWriter writer = new FrameWriter(bytes);

  private void raw(int type, int flags, int streamId, byte[] payload) throws IOException {
    writer.writeHeader(payload.length, type, flags, streamId);
    bytes.writeBytes(payload);
  }

  private FrameReader reader() {
    return new FrameReader(new ByteArrayInputStream(bytes.toByteArray()), 16_384);
  }

  private Http2Exception readFails() {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> reader().readFrame());
    assertThat(thrown).isInstanceOf(Http2Exception.class);
    return (Http2Exception) thrown;
  }

  private void assertConnectionError(ErrorCode code) {
    Http2Exception e = readFails();
    assertThat(e.error()).isEqualTo(code);
    assertThat(e.isConnectionError()).as("connection scope: %s", e.getMessage()).isTrue();
    assertThat(e.streamId()).isZero();
  }

  private void assertStreamError(int streamId, ErrorCode code) {
    Http2Exception e = readFails();
    assertThat(e.error()).isEqualTo(code);
    assertThat(e.isConnectionError()).as("stream scope: %s", e.getMessage()).isFalse();
    assertThat(e.streamId()).isEqualTo(streamId);
  }

  private static byte[] settingsPayload(int id, long value) {
    return new byte[] {
      (byte) (id >>> 8),
      (byte) id,
      (byte) (value >>> 24),
      (byte) (value >>> 16),
      (byte) (value >>> 8),
      (byte) value
    };
  }

  @Test
  void frameLongerThanMaxFrameSizeIsFrameSizeError() throws IOException {
    raw(FrameType.DATA, 0, 1, new byte[16_385]);
    assertConnectionError(FRAME_SIZE_ERROR);
  }

  @Test
  void frameOfExactlyMaxFrameSizeIsAccepted() throws IOException {
    raw(FrameType.DATA, 0, 1, new byte[16_384]);
    assertThat(((Frame.Data) reader().readFrame()).length()).isEqualTo(16_384);
  }

  @Test
  void maxFrameSizeCanBeRaised() throws IOException {
    raw(FrameType.DATA, 0, 1, new byte[20_000]);
    FrameReader reader = reader();
    reader.maxFrameSize(20_000);
    assertThat(((Frame.Data) reader.readFrame()).length()).isEqualTo(20_000);
  }

  @Test
  void oversizeFrameIsRejectedBeforeItsPayloadIsRead() throws IOException {
    // Only the header is present: the reader must not wait for (or allocate) 16 MiB.
    writer.writeHeader(FrameType.MAX_MAX_FRAME_SIZE, FrameType.HEADERS, 0, 1);
    assertConnectionError(FRAME_SIZE_ERROR);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 7, 9})
  void pingNotEightBytes(int length) throws IOException {
    raw(FrameType.PING, 0, 0, new byte[length]);
    assertConnectionError(FRAME_SIZE_ERROR);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 3, 5})
  void windowUpdateNotFourBytes(int length) throws IOException {
    raw(FrameType.WINDOW_UPDATE, 0, 1, new byte[length]);
    assertConnectionError(FRAME_SIZE_ERROR);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 3, 5})
  void rstStreamNotFourBytes(int length) throws IOException {
    raw(FrameType.RST_STREAM, 0, 1, new byte[length]);
    assertConnectionError(FRAME_SIZE_ERROR);
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 6})
  void priorityNotFiveBytesIsAStreamError(int length) throws IOException {
    raw(FrameType.PRIORITY, 0, 3, new byte[length]);
    assertStreamError(3, FRAME_SIZE_ERROR);
  }

  @Test
  void streamErrorLeavesTheReaderAtTheNextFrame() throws IOException {
    raw(FrameType.PRIORITY, 0, 3, new byte[6]);
    writer.ping(false, 77);
    FrameReader reader = reader();
    assertThatThrownBy(reader::readFrame).isInstanceOf(Http2Exception.class);
    assertThat(reader.readFrame()).isEqualTo(new Frame.Ping(false, 77));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 7, 13})
  void settingsNotAMultipleOfSix(int length) throws IOException {
    raw(FrameType.SETTINGS, 0, 0, new byte[length]);
    assertConnectionError(FRAME_SIZE_ERROR);
  }

  @Test
  void settingsAckWithPayload() throws IOException {
    raw(
        FrameType.SETTINGS,
        FrameType.FLAG_ACK,
        0,
        settingsPayload(Http2Settings.MAX_CONCURRENT_STREAMS, 1));
    assertConnectionError(FRAME_SIZE_ERROR);
  }

  @ParameterizedTest
  @CsvSource({"1, 1", "2, 1", "4, 4", "255, 5"})
  void paddingNotShorterThanPayloadIsProtocolError(int padLength, int payloadLength)
      throws IOException {
    byte[] payload = new byte[payloadLength];
    payload[0] = (byte) padLength;
    raw(FrameType.DATA, FrameType.FLAG_PADDED, 1, payload);
    assertConnectionError(PROTOCOL_ERROR);
  }

  @Test
  void dataPaddingEqualToPayloadLength() throws IOException {
    byte[] payload = new byte[5];
    payload[0] = 5;
    raw(FrameType.DATA, FrameType.FLAG_PADDED, 1, payload);
    assertConnectionError(PROTOCOL_ERROR);
  }

  @Test
  void headersPaddingLongerThanPayload() throws IOException {
    byte[] payload = new byte[5];
    payload[0] = 9;
    raw(FrameType.HEADERS, FrameType.FLAG_PADDED | FrameType.FLAG_END_HEADERS, 1, payload);
    assertConnectionError(PROTOCOL_ERROR);
  }

  @Test
  void pushPromisePaddingLongerThanPayload() throws IOException {
    byte[] payload = new byte[6];
    payload[0] = 6;
    raw(FrameType.PUSH_PROMISE, FrameType.FLAG_PADDED | FrameType.FLAG_END_HEADERS, 1, payload);
    assertConnectionError(PROTOCOL_ERROR);
  }

  @Test
  void paddedFrameWithoutPadLength() throws IOException {
    raw(FrameType.DATA, FrameType.FLAG_PADDED, 1, new byte[0]);
    assertConnectionError(FRAME_SIZE_ERROR);
  }

  @Test
  void paddingMayFillAllButThePadLengthByte() throws IOException {
    byte[] payload = new byte[5];
    payload[0] = 4;
    raw(FrameType.DATA, FrameType.FLAG_PADDED, 1, payload);
    Frame.Data data = (Frame.Data) reader().readFrame();
    assertThat(data.length()).isZero();
    assertThat(data.flowLength()).isEqualTo(5);
  }

  @Test
  void headersWithPriorityFlagButTooShort() throws IOException {
    raw(FrameType.HEADERS, FrameType.FLAG_PRIORITY | FrameType.FLAG_END_HEADERS, 1, new byte[4]);
    assertConnectionError(FRAME_SIZE_ERROR);
  }

  @Test
  void pushPromiseTooShortForThePromisedId() throws IOException {
    raw(FrameType.PUSH_PROMISE, FrameType.FLAG_END_HEADERS, 1, new byte[3]);
    assertConnectionError(FRAME_SIZE_ERROR);
  }

  @Test
  void goAwayTooShort() throws IOException {
    raw(FrameType.GOAWAY, 0, 0, new byte[7]);
    assertConnectionError(FRAME_SIZE_ERROR);
  }

  @ParameterizedTest
  @ValueSource(
      ints = {
        FrameType.DATA,
        FrameType.HEADERS,
        FrameType.PRIORITY,
        FrameType.RST_STREAM,
        FrameType.PUSH_PROMISE,
        FrameType.CONTINUATION
      })
  void streamFramesOnStreamZero(int type) throws IOException {
    int length =
        switch (type) {
          case FrameType.PRIORITY -> 5;
          case FrameType.RST_STREAM, FrameType.PUSH_PROMISE -> 4;
          default -> 1;
        };
    raw(type, FrameType.FLAG_END_HEADERS, 0, new byte[length]);
    assertConnectionError(PROTOCOL_ERROR);
  }

  @Test
  void settingsOnAStream() throws IOException {
    raw(FrameType.SETTINGS, 0, 1, new byte[0]);
    assertConnectionError(PROTOCOL_ERROR);
  }

  @Test
  void pingOnAStream() throws IOException {
    raw(FrameType.PING, 0, 1, new byte[8]);
    assertConnectionError(PROTOCOL_ERROR);
  }

  @Test
  void goAwayOnAStream() throws IOException {
    raw(FrameType.GOAWAY, 0, 3, new byte[8]);
    assertConnectionError(PROTOCOL_ERROR);
  }

  @Test
  void windowUpdateIncrementZeroOnAStreamIsAStreamError() throws IOException {
    raw(FrameType.WINDOW_UPDATE, 0, 5, new byte[4]);
    assertStreamError(5, PROTOCOL_ERROR);
  }

  @Test
  void windowUpdateIncrementZeroOnTheConnectionIsAConnectionError() throws IOException {
    raw(FrameType.WINDOW_UPDATE, 0, 0, new byte[4]);
    assertConnectionError(PROTOCOL_ERROR);
  }

  @Test
  void windowUpdateIncrementIgnoresTheReservedBitOnly() throws IOException {
    raw(FrameType.WINDOW_UPDATE, 0, 0, new byte[] {(byte) 0x80, 0, 0, 0});
    assertConnectionError(PROTOCOL_ERROR); // 0 once the reserved bit is dropped
  }

  @Test
  void unknownSettingsAreIgnored() throws IOException {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    payload.writeBytes(settingsPayload(0, 5));
    payload.writeBytes(settingsPayload(7, 123));
    payload.writeBytes(settingsPayload(0x8, 1)); // ENABLE_CONNECT_PROTOCOL: not ours, ignored
    payload.writeBytes(settingsPayload(0xffff, 0xffffffffL));
    payload.writeBytes(settingsPayload(Http2Settings.MAX_CONCURRENT_STREAMS, 42));
    raw(FrameType.SETTINGS, 0, 0, payload.toByteArray());
    Frame.Settings settings = (Frame.Settings) reader().readFrame();
    assertThat(settings.ack()).isFalse();
    assertThat(settings.settings())
        .isEqualTo(Http2Settings.EMPTY.with(Http2Settings.MAX_CONCURRENT_STREAMS, 42));
  }

  @Test
  void enablePushTwo() throws IOException {
    raw(FrameType.SETTINGS, 0, 0, settingsPayload(Http2Settings.ENABLE_PUSH, 2));
    assertConnectionError(PROTOCOL_ERROR);
  }

  @Test
  void initialWindowSizeAboveTwoToThe31MinusOne() throws IOException {
    raw(FrameType.SETTINGS, 0, 0, settingsPayload(Http2Settings.INITIAL_WINDOW_SIZE, 1L << 31));
    assertConnectionError(FLOW_CONTROL_ERROR);
  }

  @Test
  void initialWindowSizeOfTwoToThe31MinusOneIsAccepted() throws IOException {
    raw(
        FrameType.SETTINGS,
        0,
        0,
        settingsPayload(Http2Settings.INITIAL_WINDOW_SIZE, Integer.MAX_VALUE));
    assertThat(((Frame.Settings) reader().readFrame()).settings().initialWindowSize())
        .isEqualTo(Integer.MAX_VALUE);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 16_383, 16_777_216, 0xffffffffL})
  void maxFrameSizeOutOfRange(long value) throws IOException {
    raw(FrameType.SETTINGS, 0, 0, settingsPayload(Http2Settings.MAX_FRAME_SIZE, value));
    assertConnectionError(PROTOCOL_ERROR);
  }

  @ParameterizedTest
  @ValueSource(longs = {16_384, 16_777_215})
  void maxFrameSizeBounds(long value) throws IOException {
    raw(FrameType.SETTINGS, 0, 0, settingsPayload(Http2Settings.MAX_FRAME_SIZE, value));
    assertThat(((Frame.Settings) reader().readFrame()).settings().maxFrameSize())
        .isEqualTo((int) value);
  }

  @Test
  void priorityDependingOnItself() throws IOException {
    raw(FrameType.PRIORITY, 0, 7, new byte[] {0, 0, 0, 7, 15});
    assertStreamError(7, PROTOCOL_ERROR);
  }

  @Test
  void exclusivePriorityDependingOnItself() throws IOException {
    raw(FrameType.PRIORITY, 0, 7, new byte[] {(byte) 0x80, 0, 0, 7, 15});
    assertStreamError(7, PROTOCOL_ERROR);
  }

  @Test
  void streamErrorNeedsAStream() {
    assertThatThrownBy(() -> Http2Exception.streamError(0, PROTOCOL_ERROR, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
