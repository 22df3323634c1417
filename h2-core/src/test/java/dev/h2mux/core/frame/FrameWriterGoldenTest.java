package dev.h2mux.core.frame;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exact bytes of every frame type and flag combination {@link FrameWriter} emits, written out
 * by hand from RFC 9113 §4.1 (a 9-byte header: 24-bit length, type, flags, reserved bit and 31-bit
 * stream id) and §6 (each payload), then read back by {@link FrameReader} into the same frames.
 *
 * <p>The writer never pads (padding is optional, §6.1, and buys us nothing), so padded frames are
 * only read here, from bytes a peer may send ({@link FrameReaderValidationTest} has the invalid
 * ones).
 */
class FrameWriterGoldenTest {
  /** RFC 7541 C.3.1: the field block of the first request of its examples. */
  private static final byte[] BLOCK = bytes("828684410f7777772e6578616d706c652e636f6d");

  /** Writes frames; the writer starts with the RFC's default max frame size, 16,384. */
  @FunctionalInterface
  interface Writes {
    void to(FrameWriter writer) throws IOException;
  }

  record Case(String name, Writes writes, String hex, List<Frame> frames) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    byte[] big = pattern(16_385);
    byte[] twoAndABit = pattern(2 * 16_384 + 1);
    byte[] full = pattern(16_384);
    byte[] wide = pattern(20_001);
    byte[] promised = pattern(16_381);
    Frame.Priority exclusive = new Frame.Priority(3, true, 256);
    Frame.Priority plain = new Frame.Priority(0, false, 16);
    List<Case> cases =
        List.of(
            new Case(
                "preface (§3.4)",
                FrameWriter::writePreface,
                "505249202a20485454502f322e300d0a0d0a534d0d0a0d0a",
                List.of()),
            // ---- DATA (§6.1): type 0x0, END_STREAM 0x1
            new Case(
                "DATA",
                w -> w.data(1, ascii("hello"), 0, 5, false),
                "000005 00 00 00000001 68656c6c6f",
                List.of(data(1, "hello", false))),
            new Case(
                "DATA END_STREAM",
                w -> w.data(1, ascii("hello"), 0, 5, true),
                "000005 00 01 00000001 68656c6c6f",
                List.of(data(1, "hello", true))),
            new Case(
                "DATA empty END_STREAM",
                w -> w.data(3, new byte[0], 0, 0, true),
                "000000 00 01 00000003",
                List.of(data(3, "", true))),
            new Case(
                "DATA from the middle of an array, on the highest stream id",
                w -> w.data(0x7fffffff, ascii("xxhelloyy"), 2, 5, false),
                "000005 00 00 7fffffff 68656c6c6f",
                List.of(data(0x7fffffff, "hello", false))),
            new Case(
                "DATA as a frame record",
                w -> w.write(new Frame.Data(1, ascii("hello"), true)),
                "000005 00 01 00000001 68656c6c6f",
                List.of(data(1, "hello", true))),
            new Case(
                "DATA split at the peer's max frame size, END_STREAM on the last",
                w -> w.data(1, big, 0, big.length, true),
                "004000 00 00 00000001"
                    + hex(big, 0, 16_384)
                    + "000001 00 01 00000001"
                    + hex(big, 16_384, 1),
                List.of(
                    data(1, slice(big, 0, 16_384), false), data(1, slice(big, 16_384, 1), true))),
            new Case(
                "DATA in one frame when the peer takes larger ones",
                w -> {
                  w.maxFrameSize(20_000);
                  w.data(1, big, 0, big.length, true);
                },
                "004001 00 01 00000001" + hex(big, 0, big.length),
                List.of(data(1, big, true))),
            // ---- HEADERS (§6.2): type 0x1, END_STREAM 0x1, END_HEADERS 0x4, PRIORITY 0x20
            new Case(
                "HEADERS END_STREAM|END_HEADERS",
                w -> w.headers(1, BLOCK, true, null),
                "000014 01 05 00000001" + hex(BLOCK),
                List.of(new Frame.Headers(1, BLOCK, true, true, null))),
            new Case(
                "HEADERS END_HEADERS",
                w -> w.headers(1, BLOCK, false, null),
                "000014 01 04 00000001" + hex(BLOCK),
                List.of(new Frame.Headers(1, BLOCK, false, true, null))),
            new Case(
                "HEADERS with an exclusive priority, weight 256",
                w -> w.headers(5, BLOCK, false, exclusive),
                "000019 01 24 00000005 80000003 ff" + hex(BLOCK),
                List.of(new Frame.Headers(5, BLOCK, false, true, exclusive))),
            new Case(
                "HEADERS END_STREAM with a priority, weight 16",
                w -> w.headers(7, BLOCK, true, plain),
                "000019 01 25 00000007 00000000 0f" + hex(BLOCK),
                List.of(new Frame.Headers(7, BLOCK, true, true, plain))),
            new Case(
                "HEADERS that fill one frame exactly",
                w -> w.headers(3, full, false, null),
                "004000 01 04 00000003" + hex(full),
                List.of(new Frame.Headers(3, full, false, true, null))),
            new Case(
                "HEADERS split into CONTINUATION at the max frame size",
                w -> w.headers(3, big, true, null),
                "004000 01 01 00000003"
                    + hex(big, 0, 16_384)
                    + "000001 09 04 00000003"
                    + hex(big, 16_384, 1),
                List.of(
                    new Frame.Headers(3, slice(big, 0, 16_384), true, false, null),
                    new Frame.Continuation(3, slice(big, 16_384, 1), true))),
            new Case(
                "HEADERS and two CONTINUATIONs, END_HEADERS on the last only",
                w -> w.headers(3, twoAndABit, false, null),
                "004000 01 00 00000003"
                    + hex(twoAndABit, 0, 16_384)
                    + "004000 09 00 00000003"
                    + hex(twoAndABit, 16_384, 16_384)
                    + "000001 09 04 00000003"
                    + hex(twoAndABit, 32_768, 1),
                List.of(
                    new Frame.Headers(3, slice(twoAndABit, 0, 16_384), false, false, null),
                    new Frame.Continuation(3, slice(twoAndABit, 16_384, 16_384), false),
                    new Frame.Continuation(3, slice(twoAndABit, 32_768, 1), true))),
            new Case(
                "HEADERS with a priority split: the 5 priority bytes count in the first frame",
                w -> w.headers(9, full, false, plain),
                "004000 01 20 00000009 00000000 0f"
                    + hex(full, 0, 16_379)
                    + "000005 09 04 00000009"
                    + hex(full, 16_379, 5),
                List.of(
                    new Frame.Headers(9, slice(full, 0, 16_379), false, false, plain),
                    new Frame.Continuation(9, slice(full, 16_379, 5), true))),
            new Case(
                "HEADERS split at a larger max frame size the peer set",
                w -> {
                  w.maxFrameSize(20_000);
                  w.headers(1, wide, true, null);
                },
                "004e20 01 01 00000001"
                    + hex(wide, 0, 20_000)
                    + "000001 09 04 00000001"
                    + hex(wide, 20_000, 1),
                List.of(
                    new Frame.Headers(1, slice(wide, 0, 20_000), true, false, null),
                    new Frame.Continuation(1, slice(wide, 20_000, 1), true))),
            // ---- PRIORITY (§6.3): type 0x2, no flags
            new Case(
                "PRIORITY",
                w -> w.priority(3, new Frame.Priority(1, false, 16)),
                "000005 02 00 00000003 00000001 0f",
                List.of(new Frame.PriorityFrame(3, new Frame.Priority(1, false, 16)))),
            new Case(
                "PRIORITY exclusive, weight 1",
                w -> w.write(new Frame.PriorityFrame(3, new Frame.Priority(0x7fffffff, true, 1))),
                "000005 02 00 00000003 ffffffff 00",
                List.of(new Frame.PriorityFrame(3, new Frame.Priority(0x7fffffff, true, 1)))),
            // ---- RST_STREAM (§6.4): type 0x3
            new Case(
                "RST_STREAM CANCEL",
                w -> w.rstStream(1, ErrorCode.CANCEL.code()),
                "000004 03 00 00000001 00000008",
                List.of(new Frame.RstStream(1, ErrorCode.CANCEL))),
            new Case(
                "RST_STREAM with an unknown code",
                w -> w.write(new Frame.RstStream(1, 0xff)),
                "000004 03 00 00000001 000000ff",
                List.of(new Frame.RstStream(1, 0xff))),
            // ---- SETTINGS (§6.5): type 0x4, ACK 0x1, stream 0, 6 bytes per value, id order
            new Case(
                "SETTINGS with every value, in identifier order",
                w ->
                    w.settings(
                        new Frame.Settings(
                            false,
                            Http2Settings.EMPTY
                                .with(Http2Settings.MAX_HEADER_LIST_SIZE, 0xffffffffL)
                                .with(Http2Settings.MAX_FRAME_SIZE, 16_384)
                                .with(Http2Settings.INITIAL_WINDOW_SIZE, 65_535)
                                .with(Http2Settings.MAX_CONCURRENT_STREAMS, 100)
                                .with(Http2Settings.ENABLE_PUSH, 0)
                                .with(Http2Settings.HEADER_TABLE_SIZE, 4096))),
                "000024 04 00 00000000"
                    + "0001 00001000 0002 00000000 0003 00000064"
                    + "0004 0000ffff 0005 00004000 0006 ffffffff",
                List.of(
                    new Frame.Settings(
                        false,
                        Http2Settings.EMPTY
                            .with(Http2Settings.HEADER_TABLE_SIZE, 4096)
                            .with(Http2Settings.ENABLE_PUSH, 0)
                            .with(Http2Settings.MAX_CONCURRENT_STREAMS, 100)
                            .with(Http2Settings.INITIAL_WINDOW_SIZE, 65_535)
                            .with(Http2Settings.MAX_FRAME_SIZE, 16_384)
                            .with(Http2Settings.MAX_HEADER_LIST_SIZE, 0xffffffffL)))),
            new Case(
                "SETTINGS empty",
                w -> w.write(new Frame.Settings(false, Http2Settings.EMPTY)),
                "000000 04 00 00000000",
                List.of(new Frame.Settings(false, Http2Settings.EMPTY))),
            new Case(
                "SETTINGS ACK",
                w -> w.settings(Frame.Settings.ACK),
                "000000 04 01 00000000",
                List.of(Frame.Settings.ACK)),
            // ---- PUSH_PROMISE (§6.6): type 0x5, END_HEADERS 0x4, promised id first
            new Case(
                "PUSH_PROMISE END_HEADERS",
                w -> w.pushPromise(1, 2, slice(BLOCK, 0, 3)),
                "000007 05 04 00000001 00000002 828684",
                List.of(new Frame.PushPromise(1, 2, slice(BLOCK, 0, 3), true))),
            new Case(
                "PUSH_PROMISE split: the promised id counts in the first frame",
                w -> w.write(new Frame.PushPromise(1, 4, promised, true)),
                "004000 05 00 00000001 00000004"
                    + hex(promised, 0, 16_380)
                    + "000001 09 04 00000001"
                    + hex(promised, 16_380, 1),
                List.of(
                    new Frame.PushPromise(1, 4, slice(promised, 0, 16_380), false),
                    new Frame.Continuation(1, slice(promised, 16_380, 1), true))),
            // ---- PING (§6.7): type 0x6, ACK 0x1, 8 opaque bytes
            new Case(
                "PING",
                w -> w.ping(false, 0x0102030405060708L),
                "000008 06 00 00000000 0102030405060708",
                List.of(new Frame.Ping(false, 0x0102030405060708L))),
            new Case(
                "PING ACK",
                w -> w.write(new Frame.Ping(true, -1)),
                "000008 06 01 00000000 ffffffffffffffff",
                List.of(new Frame.Ping(true, -1))),
            // ---- GOAWAY (§6.8): type 0x7, last stream id, error code, debug data
            new Case(
                "GOAWAY with debug data",
                w -> w.goAway(5, ErrorCode.PROTOCOL_ERROR.code(), ascii("bye")),
                "00000b 07 00 00000000 00000005 00000001 627965",
                List.of(new Frame.GoAway(5, ErrorCode.PROTOCOL_ERROR, "bye"))),
            new Case(
                "GOAWAY NO_ERROR with last stream 2^31-1, the first of a graceful shutdown",
                w -> w.write(new Frame.GoAway(0x7fffffff, ErrorCode.NO_ERROR, "")),
                "000008 07 00 00000000 7fffffff 00000000",
                List.of(new Frame.GoAway(0x7fffffff, ErrorCode.NO_ERROR, ""))),
            // ---- WINDOW_UPDATE (§6.9): type 0x8, 31-bit increment
            new Case(
                "WINDOW_UPDATE for the connection",
                w -> w.windowUpdate(0, 16_711_681),
                "000004 08 00 00000000 00ff0001",
                List.of(new Frame.WindowUpdate(0, 16_711_681))),
            new Case(
                "WINDOW_UPDATE for a stream, the largest increment",
                w -> w.write(new Frame.WindowUpdate(3, 0x7fffffff)),
                "000004 08 00 00000003 7fffffff",
                List.of(new Frame.WindowUpdate(3, 0x7fffffff))),
            // ---- CONTINUATION (§6.10): type 0x9, END_HEADERS 0x4
            new Case(
                "CONTINUATION END_HEADERS",
                w -> w.write(new Frame.Continuation(1, ascii("ab"), true)),
                "000002 09 04 00000001 6162",
                List.of(new Frame.Continuation(1, ascii("ab"), true))),
            new Case(
                "CONTINUATION",
                w -> w.write(new Frame.Continuation(1, ascii("ab"), false)),
                "000002 09 00 00000001 6162",
                List.of(new Frame.Continuation(1, ascii("ab"), false))),
            // ---- a type we do not know (§4.1, §5.5): its header and a zero payload
            new Case(
                "an unknown frame type",
                w -> w.write(new Frame.Unknown(0xbb, 0x81, 7, 3)),
                "000003 bb 81 00000007 000000",
                List.of(new Frame.Unknown(0xbb, 0x81, 7, 3))));
    return cases.stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void writesTheRfcBytesAndReadsThemBack(Case c) throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    FrameWriter writer = new FrameWriter(wire);
    c.writes().to(writer);
    byte[] expected = bytes(c.hex());
    assertThat(HexFormat.of().formatHex(wire.toByteArray()))
        .as("bytes written")
        .isEqualTo(HexFormat.of().formatHex(expected));

    ByteArrayInputStream in = new ByteArrayInputStream(expected);
    FrameReader reader = new FrameReader(in, writer.maxFrameSize());
    if (c.frames().isEmpty()) reader.readPreface();
    List<Frame> read = new ArrayList<>();
    for (Frame frame; (frame = reader.readFrame()) != null; ) read.add(frame);
    assertThat(read).as("frames read back").hasSameSizeAs(c.frames());
    for (int i = 0; i < read.size(); i++) assertSameFrame(read.get(i), c.frames().get(i));
  }

  static Stream<Arguments> padded() {
    return Stream.of(
        Arguments.of(
            "DATA END_STREAM|PADDED: pad length 3, 'hi', 3 bytes of padding",
            "000006 00 09 00000001 03 6869 000000",
            new Frame.Data(1, ascii("hi"), 0, 2, true, 6)),
        Arguments.of(
            "HEADERS END_HEADERS|PADDED|PRIORITY: pad length 2, priority, block, padding",
            "00000b 01 2c 00000005 02 80000003 ff 828684 0000",
            new Frame.Headers(
                5, slice(BLOCK, 0, 3), false, true, new Frame.Priority(3, true, 256))),
        Arguments.of(
            "PUSH_PROMISE END_HEADERS|PADDED: pad length 1, promised 2, block, padding",
            "000007 05 0c 00000001 01 00000002 82 00",
            new Frame.PushPromise(1, 2, slice(BLOCK, 0, 1), true)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("padded")
  void readsThePaddedFramesAPeerMaySend(String name, String hex, Frame expected)
      throws IOException {
    FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes(hex)), 16_384);
    assertSameFrame(reader.readFrame(), expected);
    assertThat(reader.readFrame()).isNull();
  }

  /** Frame records hold arrays, which records compare by identity; compare their contents. */
  private static void assertSameFrame(Frame actual, Frame expected) {
    switch (expected) {
      case Frame.Data e -> {
        Frame.Data a = (Frame.Data) actual;
        assertThat(a.streamId()).isEqualTo(e.streamId());
        assertThat(a.bytes()).isEqualTo(e.bytes());
        assertThat(a.endStream()).isEqualTo(e.endStream());
        assertThat(a.flowLength()).isEqualTo(e.flowLength());
      }
      case Frame.Headers e -> {
        Frame.Headers a = (Frame.Headers) actual;
        assertThat(a.block()).isEqualTo(e.block());
        assertThat(
                new Frame.Headers(
                    a.streamId(), e.block(), a.endStream(), a.endHeaders(), a.priority()))
            .isEqualTo(e);
      }
      case Frame.PushPromise e -> {
        Frame.PushPromise a = (Frame.PushPromise) actual;
        assertThat(a.block()).isEqualTo(e.block());
        assertThat(
                new Frame.PushPromise(
                    a.streamId(), a.promisedStreamId(), e.block(), a.endHeaders()))
            .isEqualTo(e);
      }
      case Frame.Continuation e -> {
        Frame.Continuation a = (Frame.Continuation) actual;
        assertThat(a.block()).isEqualTo(e.block());
        assertThat(new Frame.Continuation(a.streamId(), e.block(), a.endHeaders())).isEqualTo(e);
      }
      case Frame.GoAway e -> {
        Frame.GoAway a = (Frame.GoAway) actual;
        assertThat(a.debugData()).isEqualTo(e.debugData());
        assertThat(new Frame.GoAway(a.lastStreamId(), a.errorCode(), e.debugData())).isEqualTo(e);
      }
      default -> assertThat(actual).isEqualTo(expected); // no arrays inside
    }
  }

  private static Frame.Data data(int streamId, String text, boolean endStream) {
    return data(streamId, ascii(text), endStream);
  }

  private static Frame.Data data(int streamId, byte[] bytes, boolean endStream) {
    return new Frame.Data(streamId, bytes, endStream);
  }

  /** Bytes that differ from one position to the next, so a misplaced split shows. */
  private static byte[] pattern(int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) b[i] = (byte) (i % 251);
    return b;
  }

  private static byte[] slice(byte[] b, int offset, int length) {
    return java.util.Arrays.copyOfRange(b, offset, offset + length);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(US_ASCII);
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static String hex(byte[] b, int offset, int length) {
    return HexFormat.of().formatHex(b, offset, offset + length);
  }

  private static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }
}
