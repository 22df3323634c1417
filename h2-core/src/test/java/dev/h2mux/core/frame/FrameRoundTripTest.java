package dev.h2mux.core.frame;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every frame type written by {@link FrameWriter} and read back by {@link FrameReader}. */
class FrameRoundTripTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final FrameWriter writer = new FrameWriter(bytes);

  private List<Frame> readAll() throws IOException {
    return readAll(FrameType.DEFAULT_MAX_FRAME_SIZE);
  }

  private List<Frame> readAll(int maxFrameSize) throws IOException {
    FrameReader reader =
        new FrameReader(new ByteArrayInputStream(bytes.toByteArray()), maxFrameSize);
    List<Frame> frames = new ArrayList<>();
    for (Frame f; (f = reader.readFrame()) != null; ) frames.add(f);
    return frames;
  }

  private Frame roundTrip(Frame frame) throws IOException {
    writer.write(frame);
    List<Frame> frames = readAll();
    assertThat(frames).hasSize(1);
    return frames.get(0);
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void data() throws IOException {
    byte[] payload = random(1000, 1);
    Frame.Data read = (Frame.Data) roundTrip(new Frame.Data(3, payload, true));
    assertThat(read.streamId()).isEqualTo(3);
    assertThat(read.bytes()).isEqualTo(payload);
    assertThat(read.endStream()).isTrue();
    assertThat(read.flowLength()).isEqualTo(1000);
    assertThat(read.type()).isEqualTo(FrameType.DATA);
  }

  @Test
  void emptyDataWithEndStream() throws IOException {
    Frame.Data read = (Frame.Data) roundTrip(new Frame.Data(5, new byte[0], true));
    assertThat(read.length()).isZero();
    assertThat(read.endStream()).isTrue();
  }

  @Test
  void dataIsSplitByMaxFrameSize() throws IOException {
    byte[] payload = random(40_000, 2);
    writer.data(7, payload, 0, payload.length, true);
    List<Frame> frames = readAll();
    assertThat(frames).hasSize(3);
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (int i = 0; i < 3; i++) {
      Frame.Data d = (Frame.Data) frames.get(i);
      assertThat(d.streamId()).isEqualTo(7);
      assertThat(d.length()).isEqualTo(i < 2 ? 16_384 : 40_000 - 2 * 16_384);
      assertThat(d.endStream()).isEqualTo(i == 2);
      joined.writeBytes(d.bytes());
    }
    assertThat(joined.toByteArray()).isEqualTo(payload);
  }

  @Test
  void dataSplitHonoursALargerPeerMaxFrameSize() throws IOException {
    writer.maxFrameSize(20_000);
    byte[] payload = random(40_000, 3);
    writer.data(1, payload, 0, payload.length, false);
    List<Frame> frames = readAll(20_000);
    assertThat(frames).extracting(f -> ((Frame.Data) f).length()).containsExactly(20_000, 20_000);
    assertThat(frames).extracting(f -> ((Frame.Data) f).endStream()).containsExactly(false, false);
  }

  @Test
  void paddedDataIsStrippedButCountsForFlowControl() throws IOException {
    // raw: pad length 4, "hello", 4 bytes of padding
    writer.writeHeader(
        1 + 5 + 4, FrameType.DATA, FrameType.FLAG_PADDED | FrameType.FLAG_END_STREAM, 9);
    bytes.write(4);
    bytes.writeBytes("hello".getBytes(StandardCharsets.US_ASCII));
    bytes.writeBytes(new byte[4]);
    Frame.Data read = (Frame.Data) readAll().get(0);
    assertThat(new String(read.bytes(), StandardCharsets.US_ASCII)).isEqualTo("hello");
    assertThat(read.flowLength()).isEqualTo(10);
    assertThat(read.endStream()).isTrue();
    assertThat(read.streamId()).isEqualTo(9);
  }

  @Test
  void dataIsReadIntoTheSuppliedArrayWhichMayBeLonger() throws IOException {
    // raw: pad length 3, "chunk", 3 bytes of padding; then a plain DATA frame
    writer.writeHeader(1 + 5 + 3, FrameType.DATA, FrameType.FLAG_PADDED, 7);
    bytes.write(3);
    bytes.writeBytes("chunk".getBytes(StandardCharsets.US_ASCII));
    bytes.writeBytes(new byte[3]);
    writer.write(new Frame.Data(7, "next".getBytes(StandardCharsets.US_ASCII), true));
    byte[] supplied = new byte[64];
    Arrays.fill(supplied, (byte) 'x'); // stale bytes past the frame must not leak into it
    List<Integer> asked = new ArrayList<>();
    FrameReader reader =
        new FrameReader(
            new ByteArrayInputStream(bytes.toByteArray()), FrameType.DEFAULT_MAX_FRAME_SIZE);
    reader.dataBuffers(
        length -> {
          asked.add(length);
          return supplied;
        });

    Frame.Data padded = (Frame.Data) reader.readFrame();
    assertThat(padded.data()).isSameAs(supplied);
    assertThat(new String(padded.bytes(), StandardCharsets.US_ASCII)).isEqualTo("chunk");
    assertThat(padded.flowLength()).isEqualTo(9);
    Frame.Data plain = (Frame.Data) reader.readFrame();
    assertThat(new String(plain.bytes(), StandardCharsets.US_ASCII)).isEqualTo("next");
    assertThat(plain.flowLength()).isEqualTo(4);
    assertThat(plain.endStream()).isTrue();
    assertThat(asked).containsExactly(9, 4);
  }

  @Test
  void headers() throws IOException {
    byte[] block = random(100, 4);
    Frame.Headers read = (Frame.Headers) roundTrip(new Frame.Headers(1, block, true, true, null));
    assertThat(read.streamId()).isEqualTo(1);
    assertThat(read.block()).isEqualTo(block);
    assertThat(read.endStream()).isTrue();
    assertThat(read.endHeaders()).isTrue();
    assertThat(read.priority()).isNull();
  }

  @Test
  void headersWithPriority() throws IOException {
    byte[] block = random(50, 5);
    Frame.Priority priority = new Frame.Priority(3, true, 256);
    Frame.Headers read =
        (Frame.Headers) roundTrip(new Frame.Headers(5, block, false, true, priority));
    assertThat(read.priority()).isEqualTo(priority);
    assertThat(read.block()).isEqualTo(block);
    assertThat(read.endStream()).isFalse();
  }

  @Test
  void paddedHeadersWithPriority() throws IOException {
    byte[] block = random(20, 6);
    int flags = FrameType.FLAG_PADDED | FrameType.FLAG_PRIORITY | FrameType.FLAG_END_HEADERS;
    writer.writeHeader(1 + 5 + block.length + 3, FrameType.HEADERS, flags, 11);
    bytes.write(3); // pad length
    bytes.writeBytes(new byte[] {0, 0, 0, 7}); // not exclusive, depends on 7
    bytes.write(15); // weight 16
    bytes.writeBytes(block);
    bytes.writeBytes(new byte[3]);
    Frame.Headers read = (Frame.Headers) readAll().get(0);
    assertThat(read.block()).isEqualTo(block);
    assertThat(read.priority()).isEqualTo(new Frame.Priority(7, false, 16));
    assertThat(read.endHeaders()).isTrue();
    assertThat(read.endStream()).isFalse();
  }

  @Test
  void headersLargerThanMaxFrameSizeAreSplitIntoContinuations() throws IOException {
    byte[] block = random(40_000, 7);
    writer.headers(3, block, true, new Frame.Priority(0, false, 16));
    List<Frame> frames = readAll();
    assertThat(frames).hasSize(3);
    Frame.Headers first = (Frame.Headers) frames.get(0);
    assertThat(first.endHeaders()).isFalse();
    assertThat(first.endStream()).isTrue();
    assertThat(first.block()).hasSize(16_384 - 5);
    Frame.Continuation second = (Frame.Continuation) frames.get(1);
    Frame.Continuation third = (Frame.Continuation) frames.get(2);
    assertThat(second.streamId()).isEqualTo(3);
    assertThat(second.endHeaders()).isFalse();
    assertThat(second.block()).hasSize(16_384);
    assertThat(third.endHeaders()).isTrue();
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    joined.writeBytes(first.block());
    joined.writeBytes(second.block());
    joined.writeBytes(third.block());
    assertThat(joined.toByteArray()).isEqualTo(block);
  }

  @Test
  void priority() throws IOException {
    Frame.PriorityFrame read =
        (Frame.PriorityFrame) roundTrip(new Frame.PriorityFrame(3, new Frame.Priority(1, true, 1)));
    assertThat(read).isEqualTo(new Frame.PriorityFrame(3, new Frame.Priority(1, true, 1)));
  }

  @Test
  void rstStream() throws IOException {
    assertThat(roundTrip(new Frame.RstStream(5, ErrorCode.CANCEL)))
        .isEqualTo(new Frame.RstStream(5, ErrorCode.CANCEL.code()));
  }

  @Test
  void rstStreamKeepsUnknownCodes() throws IOException {
    Frame.RstStream read = (Frame.RstStream) roundTrip(new Frame.RstStream(5, 0xabcd));
    assertThat(read.errorCode()).isEqualTo(0xabcd);
    assertThat(read.error()).isEqualTo(ErrorCode.INTERNAL_ERROR);
  }

  @Test
  void settings() throws IOException {
    Http2Settings values =
        Http2Settings.EMPTY
            .with(Http2Settings.HEADER_TABLE_SIZE, 0)
            .with(Http2Settings.ENABLE_PUSH, 0)
            .with(Http2Settings.MAX_CONCURRENT_STREAMS, 100)
            .with(Http2Settings.INITIAL_WINDOW_SIZE, Integer.MAX_VALUE)
            .with(Http2Settings.MAX_FRAME_SIZE, FrameType.MAX_MAX_FRAME_SIZE)
            .with(Http2Settings.MAX_HEADER_LIST_SIZE, 0xffffffffL);
    Frame.Settings read = (Frame.Settings) roundTrip(new Frame.Settings(false, values));
    assertThat(read.ack()).isFalse();
    assertThat(read.settings()).isEqualTo(values);
    assertThat(read.settings().get(Http2Settings.MAX_HEADER_LIST_SIZE, -1)).isEqualTo(0xffffffffL);
  }

  @Test
  void emptySettingsAndAck() throws IOException {
    writer.write(new Frame.Settings(false, Http2Settings.EMPTY));
    writer.write(Frame.Settings.ACK);
    List<Frame> frames = readAll();
    assertThat(frames)
        .containsExactly(new Frame.Settings(false, Http2Settings.EMPTY), Frame.Settings.ACK);
  }

  @Test
  void pushPromise() throws IOException {
    byte[] block = random(30, 8);
    Frame.PushPromise read =
        (Frame.PushPromise) roundTrip(new Frame.PushPromise(1, 2, block, true));
    assertThat(read.streamId()).isEqualTo(1);
    assertThat(read.promisedStreamId()).isEqualTo(2);
    assertThat(read.block()).isEqualTo(block);
    assertThat(read.endHeaders()).isTrue();
  }

  @Test
  void pushPromiseSplitIntoContinuations() throws IOException {
    byte[] block = random(20_000, 9);
    writer.pushPromise(3, 4, block);
    List<Frame> frames = readAll();
    assertThat(frames).hasSize(2);
    Frame.PushPromise first = (Frame.PushPromise) frames.get(0);
    assertThat(first.endHeaders()).isFalse();
    assertThat(first.block()).hasSize(16_384 - 4);
    Frame.Continuation rest = (Frame.Continuation) frames.get(1);
    assertThat(rest.endHeaders()).isTrue();
    byte[] joined = Arrays.copyOf(first.block(), block.length);
    System.arraycopy(rest.block(), 0, joined, first.block().length, rest.block().length);
    assertThat(joined).isEqualTo(block);
  }

  @Test
  void ping() throws IOException {
    assertThat(roundTrip(new Frame.Ping(false, 0x0123_4567_89ab_cdefL)))
        .isEqualTo(new Frame.Ping(false, 0x0123_4567_89ab_cdefL));
    bytes.reset();
    assertThat(roundTrip(new Frame.Ping(true, -1L))).isEqualTo(new Frame.Ping(true, -1L));
  }

  @Test
  void goAway() throws IOException {
    Frame.GoAway read =
        (Frame.GoAway) roundTrip(new Frame.GoAway(7, ErrorCode.ENHANCE_YOUR_CALM, "calm down"));
    assertThat(read.lastStreamId()).isEqualTo(7);
    assertThat(read.error()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
    assertThat(new String(read.debugData(), StandardCharsets.UTF_8)).isEqualTo("calm down");
  }

  @Test
  void windowUpdate() throws IOException {
    assertThat(roundTrip(new Frame.WindowUpdate(0, Integer.MAX_VALUE)))
        .isEqualTo(new Frame.WindowUpdate(0, Integer.MAX_VALUE));
    bytes.reset();
    assertThat(roundTrip(new Frame.WindowUpdate(9, 1))).isEqualTo(new Frame.WindowUpdate(9, 1));
  }

  @Test
  void continuation() throws IOException {
    byte[] block = random(10, 10);
    Frame.Continuation read =
        (Frame.Continuation) roundTrip(new Frame.Continuation(3, block, true));
    assertThat(read.block()).isEqualTo(block);
    assertThat(read.endHeaders()).isTrue();
    assertThat(read.streamId()).isEqualTo(3);
  }

  @Test
  void unknownFrameTypeIsReadWholeAndReportedAsUnknown() throws IOException {
    writer.writeHeader(6, 0xfa, 0xff, 7);
    bytes.writeBytes(new byte[] {1, 2, 3, 4, 5, 6});
    writer.ping(false, 42);
    List<Frame> frames = readAll();
    assertThat(frames)
        .containsExactly(new Frame.Unknown(0xfa, 0xff, 7, 6), new Frame.Ping(false, 42));
  }

  @Test
  void reservedBitOfTheStreamIdIsIgnored() throws IOException {
    writer.writeHeader(4, FrameType.WINDOW_UPDATE, 0, 0x8000_0003);
    bytes.writeBytes(new byte[] {(byte) 0x80, 0, 0, 10}); // reserved bit of the increment set too
    writer.writeHeader(4, FrameType.RST_STREAM, 0, 0x8000_0005);
    bytes.writeBytes(new byte[] {0, 0, 0, 8});
    assertThat(readAll())
        .containsExactly(new Frame.WindowUpdate(3, 10), new Frame.RstStream(5, ErrorCode.CANCEL));
  }

  @Test
  void unknownFlagsAreIgnored() throws IOException {
    writer.writeHeader(8, FrameType.PING, 0xfe, 0); // every flag but ACK
    bytes.writeBytes(new byte[8]);
    assertThat(readAll()).containsExactly(new Frame.Ping(false, 0));
  }

  @Test
  void endOfStreamBetweenFramesIsNullButInsideAFrameIsEof() throws IOException {
    assertThat(readAll()).isEmpty();
    writer.writeHeader(8, FrameType.PING, 0, 0);
    bytes.write(1);
    FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes.toByteArray()), 16_384);
    org.assertj.core.api.Assertions.assertThatThrownBy(reader::readFrame)
        .isInstanceOf(java.io.EOFException.class);
  }

  @Test
  void prefaceIsCheckedExactly() throws IOException {
    writer.writePreface();
    new FrameReader(new ByteArrayInputStream(bytes.toByteArray()), 16_384).readPreface();
    byte[] wrong = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\r".getBytes(StandardCharsets.US_ASCII);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new FrameReader(new ByteArrayInputStream(wrong), 16_384).readPreface())
        .isInstanceOfSatisfying(
            Http2Exception.class,
            e -> {
              assertThat(e.error()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
              assertThat(e.isConnectionError()).isTrue();
            });
  }
}
