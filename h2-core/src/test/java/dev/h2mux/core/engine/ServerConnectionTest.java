package dev.h2mux.core.engine;

import static dev.h2mux.testkit.FramePeer.request;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameReader;
import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.frame.Http2Settings;
import dev.h2mux.testkit.EngineUnderTest;
import dev.h2mux.testkit.FramePeer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The engine in SERVER role against a scripted client: the exact frames it answers with. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ServerConnectionTest {
  /** Echoes the request body with :status 200. */
  static final EngineUnderTest.StreamHandler ECHO =
      stream -> {
        byte[] body = stream.input().readAllBytes();
        stream.sendHeaders(HttpFields.of(":status", "200"), false);
        stream.output().write(body);
        stream.output().close();
      };

  private final CountDownLatch release = new CountDownLatch(1);

  /** On stream 1, waits for the test to release it, then answers "done"; echoes other streams. */
  private final EngineUnderTest.StreamHandler blocked =
      stream -> {
        if (stream.id() != 1) {
          ECHO.handle(stream);
          return;
        }
        release.await();
        stream.sendHeaders(HttpFields.of(":status", "200"), false);
        stream.output().write("done".getBytes(ISO_8859_1));
        stream.output().close();
      };

  private EngineUnderTest server;
  private FramePeer peer;

  private FramePeer start(EngineUnderTest.StreamHandler handler) throws IOException {
    return start(Http2Config.DEFAULTS, handler);
  }

  private FramePeer start(Http2Config config, EngineUnderTest.StreamHandler handler)
      throws IOException {
    server = EngineUnderTest.server(config, handler);
    peer = server.peer();
    return peer;
  }

  @AfterEach
  void tearDown() throws Exception {
    release.countDown();
    if (server != null) server.close();
  }

  private void assertServes(int streamId) throws IOException {
    peer.headers(streamId, false, request("POST", "/echo"));
    peer.data(streamId, true, ("ping " + streamId).getBytes(ISO_8859_1));
    FramePeer.Response response = peer.readResponse(streamId);
    assertThat(response.head().status()).isEqualTo("200");
    assertThat(response.text()).isEqualTo("ping " + streamId);
  }

  @Test
  void aFrameThatStallsHalfwayWhileSpareChunksAreHeldIsStillRead() throws Exception {
    start(ECHO).handshake(Http2Settings.EMPTY);
    // A full-size DATA frame leaves the connection a spare chunk once the handler has read it.
    peer.headers(1, false, request("POST", "/echo"));
    byte[] body = new byte[16_384];
    peer.data(1, true, body);
    assertThat(peer.readResponse(1).body()).isEqualTo(body);
    // Half a frame, a pause longer than spares are kept (1 s), then the rest: the connection
    // waits for a frame's first bytes only that long, never for the rest of a begun frame.
    byte[] block = peer.encode(request("POST", "/echo"));
    java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
    new dev.h2mux.core.frame.FrameWriter(frame).headers(3, block, false, null);
    byte[] bytes = frame.toByteArray();
    peer.raw(java.util.Arrays.copyOf(bytes, 5));
    Thread.sleep(1_500); // the stall is what is tested
    peer.raw(java.util.Arrays.copyOfRange(bytes, 5, bytes.length));
    peer.data(3, true, "late".getBytes(ISO_8859_1));
    assertThat(peer.readResponse(3).text()).isEqualTo("late");
  }

  // ---------------------------------------------------------------- preface and settings

  @Test
  void invalidPrefaceIsProtocolError() throws IOException {
    start(ECHO);
    peer.raw("PRI * HTTP/1.1\r\n\r\nSM\r\n\r\n".getBytes(ISO_8859_1)); // 24 bytes, one wrong
    peer.expectConnectionError(ErrorCode.PROTOCOL_ERROR);
  }

  @Test
  void firstFrameMustBeSettings() throws IOException {
    start(ECHO);
    peer.writer().writePreface();
    peer.send(new Frame.Ping(false, 1));
    Frame.GoAway goAway = peer.expectConnectionError(ErrorCode.PROTOCOL_ERROR);
    assertThat(goAway.lastStreamId()).isZero();
  }

  @Test
  void settingsAckAsFirstFrameIsProtocolError() throws IOException {
    start(ECHO);
    peer.writer().writePreface();
    peer.send(Frame.Settings.ACK);
    peer.expectConnectionError(ErrorCode.PROTOCOL_ERROR);
  }

  @Test
  void serverAdvertisesItsLimitsAndAcknowledgesOurs() throws IOException {
    Http2Config config =
        Http2Config.DEFAULTS.withMaxConcurrentStreams(7).withInitialWindowSize(12_345);
    start(config, ECHO);
    peer.writer().writePreface();
    peer.writer()
        .settings(
            new Frame.Settings(
                false, Http2Settings.EMPTY.with(Http2Settings.MAX_CONCURRENT_STREAMS, 3)));
    peer.flush();
    Frame.Settings settings = peer.expect(Frame.Settings.class);
    assertThat(settings.ack()).isFalse();
    assertThat(settings.settings().get(Http2Settings.MAX_CONCURRENT_STREAMS, -1)).isEqualTo(7);
    assertThat(settings.settings().get(Http2Settings.INITIAL_WINDOW_SIZE, -1)).isEqualTo(12_345);
    assertThat(settings.settings().get(Http2Settings.MAX_FRAME_SIZE, -1)).isEqualTo(16_384);
    assertThat(settings.settings().get(Http2Settings.MAX_HEADER_LIST_SIZE, -1)).isEqualTo(16_384);
    assertThat(settings.settings().isSet(Http2Settings.ENABLE_PUSH))
        .as("servers don't send it")
        .isFalse();
    Frame.WindowUpdate connectionWindow = peer.expect(Frame.WindowUpdate.class);
    assertThat(connectionWindow).isEqualTo(new Frame.WindowUpdate(0, (16 << 20) - 65_535));
    assertThat(peer.expect(Frame.Settings.class)).isEqualTo(Frame.Settings.ACK);
    // a later SETTINGS is acknowledged too
    peer.send(
        new Frame.Settings(false, Http2Settings.EMPTY.with(Http2Settings.HEADER_TABLE_SIZE, 0)));
    assertThat(peer.expect(Frame.Settings.class)).isEqualTo(Frame.Settings.ACK);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "2, 2, PROTOCOL_ERROR", "4, 2147483648, FLOW_CONTROL_ERROR",
    "5, 16383, PROTOCOL_ERROR", "5, 16777216, PROTOCOL_ERROR"
  })
  void invalidSettingsValueIsAConnectionError(int id, long value, ErrorCode error)
      throws IOException {
    start(ECHO).handshake();
    peer.writer().writeHeader(6, FrameType.SETTINGS, 0, 0);
    peer.raw(
        new byte[] {
          0,
          (byte) id,
          (byte) (value >>> 24),
          (byte) (value >>> 16),
          (byte) (value >>> 8),
          (byte) value
        });
    peer.expectConnectionError(error);
  }

  @Test
  void initialWindowIncreaseOverflowingAStreamWindow() throws IOException {
    start(blocked).handshake();
    peer.get(1, "/");
    peer.send(new Frame.WindowUpdate(1, Integer.MAX_VALUE - 65_535)); // exactly 2^31-1
    peer.send(
        new Frame.Settings(
            false, Http2Settings.EMPTY.with(Http2Settings.INITIAL_WINDOW_SIZE, 65_536)));
    peer.expectConnectionError(ErrorCode.FLOW_CONTROL_ERROR);
  }

  @Test
  void peersLargerMaxFrameSizeIsUsedForData() throws IOException {
    byte[] body = new byte[100_000];
    new java.util.Random(3).nextBytes(body);
    start(
            stream -> {
              stream.sendHeaders(HttpFields.of(":status", "200"), false);
              stream.output().write(body);
              stream.output().close();
            })
        .handshake(
            Http2Settings.EMPTY
                .with(Http2Settings.MAX_FRAME_SIZE, 32_768)
                .with(Http2Settings.INITIAL_WINDOW_SIZE, 1 << 20));
    peer.send(new Frame.WindowUpdate(0, 1 << 20));
    peer.get(1, "/");
    peer.expectHeaders(1);
    java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
    int largest = 0;
    Frame.Data data;
    do {
      data = peer.expectData(1);
      largest = Math.max(largest, data.length());
      received.writeBytes(data.bytes());
    } while (!data.endStream());
    assertThat(largest).isEqualTo(32_768);
    assertThat(received.toByteArray()).isEqualTo(body);
  }

  @Test
  void headerTableSizeZeroIsHonouredFromTheNextBlock() throws IOException {
    start(ECHO).handshake(Http2Settings.EMPTY.with(Http2Settings.HEADER_TABLE_SIZE, 0));
    assertServes(1);
    assertServes(3); // the peer's decoder would fail on an index into an empty table
  }

  @Test
  void pingIsAnsweredWithTheSamePayload() throws IOException {
    start(ECHO).handshake();
    peer.send(new Frame.Ping(false, 0x0123_4567_89ab_cdefL));
    assertThat(peer.expect(Frame.Ping.class))
        .isEqualTo(new Frame.Ping(true, 0x0123_4567_89ab_cdefL));
  }

  @Test
  void pingAckFromPeerIsNotAnswered() throws IOException {
    start(ECHO).handshake();
    peer.send(new Frame.Ping(true, 5));
    peer.send(new Frame.Ping(false, 6));
    assertThat(peer.expect(Frame.Ping.class)).isEqualTo(new Frame.Ping(true, 6));
  }

  @Test
  void unknownFrameTypeIsIgnored() throws IOException {
    start(ECHO).handshake();
    peer.writer().writeHeader(3, 0xbb, 0x7, 1);
    peer.raw(new byte[] {1, 2, 3});
    peer.send(new Frame.Ping(false, 9));
    assertThat(peer.expect(Frame.Ping.class)).isEqualTo(new Frame.Ping(true, 9));
    assertServes(1);
  }

  @Test
  void simpleRequestIsServed() throws IOException {
    start(ECHO).handshake();
    assertServes(1);
    assertServes(3);
  }

  // ---------------------------------------------------------------- stream ids and states

  @Test
  void dataOnStreamZero() throws IOException {
    start(ECHO).handshake();
    peer.data(0, false, new byte[3]);
    peer.expectConnectionError(ErrorCode.PROTOCOL_ERROR);
  }

  @Test
  void dataOnIdleStream() throws IOException {
    start(ECHO).handshake();
    peer.data(1, false, new byte[3]);
    peer.expectConnectionError(ErrorCode.PROTOCOL_ERROR);
  }

  @Test
  void headersWithEvenStreamId() throws IOException {
    start(ECHO).handshake();
    peer.get(2, "/");
    peer.expectConnectionError(ErrorCode.PROTOCOL_ERROR);
  }

  @Test
  void decreasingStreamIdIsProtocolError() throws IOException {
    start(ECHO).handshake();
    peer.get(5, "/");
    FramePeer.Response response = peer.readResponse(5);
    assertThat(response.head().status()).isEqualTo("200");
    peer.get(3, "/"); // never used, implicitly closed by 5 (RFC 9113 §5.1.1)
    Frame.GoAway goAway = peer.expectConnectionError(ErrorCode.PROTOCOL_ERROR);
    assertThat(goAway.lastStreamId()).isEqualTo(5);
  }

  @Test
  void headersOnAStreamClosedNormallyIsStreamClosed() throws IOException {
    start(ECHO).handshake();
    peer.get(1, "/");
    peer.readResponse(1);
    peer.get(1, "/");
    peer.expectConnectionError(ErrorCode.STREAM_CLOSED);
  }

  @Test
  void frameOtherThanContinuationInsideAHeaderBlock() throws IOException {
    start(ECHO).handshake();
    byte[] block = peer.encode(request("GET", "/"));
    peer.headersFragment(1, Arrays.copyOf(block, 3), true, false);
    peer.send(new Frame.Ping(false, 1));
    peer.expectConnectionError(ErrorCode.PROTOCOL_ERROR);
  }

  @Test
  void continuationOfAnotherStreamInsideAHeaderBlock() throws IOException {
    start(ECHO).handshake();
    byte[] block = peer.encode(request("GET", "/"));
    peer.headersFragment(1, Arrays.copyOf(block, 3), true, false);
    peer.send(new Frame.Continuation(3, Arrays.copyOfRange(block, 3, block.length), true));
    peer.expectConnectionError(ErrorCode.PROTOCOL_ERROR);
  }

  @Test
  void continuationWithoutHeaders() throws IOException {
    start(ECHO).handshake();
    peer.send(new Frame.Continuation(1, peer.encode(request("GET", "/")), true));
    peer.expectConnectionError(ErrorCode.PROTOCOL_ERROR);
  }

  @Test
  void headerBlockSplitOverManyContinuationsIsDecoded() throws IOException {
    start(ECHO).handshake();
    byte[] block = peer.encode(request("POST", "/split", "x-long", "y".repeat(300)));
    peer.headersFragment(1, Arrays.copyOf(block, 1), false, false);
    for (int i = 1; i < block.length; i++) {
      peer.continuation(1, new byte[] {block[i]}, i == block.length - 1);
    }
    peer.data(1, true, "split".getBytes(ISO_8859_1));
    FramePeer.Response response = peer.readResponse(1);
    assertThat(response.head().status()).isEqualTo("200");
    assertThat(response.text()).isEqualTo("split");
  }

  @Test
  void hpackGarbageIsCompressionError() throws IOException {
    start(ECHO).handshake();
    peer.send(new Frame.Headers(1, new byte[] {(byte) 0x80}, true, true, null));
    peer.expectConnectionError(ErrorCode.COMPRESSION_ERROR);
  }

  @Test
  void headerListAboveTheLimitGets431() throws IOException {
    start(ECHO).handshake();
    peer.headers(1, true, request("GET", "/", "x-big", "z".repeat(20_000)));
    assertThat(peer.framesUntilEndStream(1))
        .containsExactly("<< HEADERS 1 END_STREAM|END_HEADERS :status=431 content-length=0");
    assertServes(3); // HPACK stayed in step
  }

  @Test
  void headerListAboveTheLimitWithABodyComingGets431AndReset() throws IOException {
    start(ECHO).handshake();
    peer.headers(1, false, request("POST", "/", "x-big", "z".repeat(20_000)));
    assertThat(peer.framesUntilEndStream(1))
        .containsExactly("<< HEADERS 1 END_STREAM|END_HEADERS :status=431 content-length=0");
    // then the request body is stopped (§8.1)
    assertThat(peer.framesUntilEndStream(1)).containsExactly("<< RST_STREAM 1 NO_ERROR");
    assertServes(3);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "uppercase",
        "missing-method",
        "connection",
        "te-gzip",
        "pseudo-after-regular",
        "response-pseudo",
        "empty-path"
      })
  void malformedRequestIsResetAndTheConnectionGoesOn(String kind) throws IOException {
    start(ECHO).handshake();
    String[] fields =
        switch (kind) {
          case "uppercase" -> request("GET", "/", "X-Upper", "1");
          case "missing-method" ->
              new String[] {":scheme", "http", ":authority", "a", ":path", "/"};
          case "connection" -> request("GET", "/", "connection", "keep-alive");
          case "te-gzip" -> request("GET", "/", "te", "gzip");
          case "pseudo-after-regular" ->
              new String[] {":method", "GET", "accept", "*/*", ":scheme", "http", ":path", "/"};
          case "response-pseudo" -> request("GET", "/", ":status", "200");
          case "empty-path" -> new String[] {":method", "GET", ":scheme", "http", ":path", ""};
          default -> throw new IllegalArgumentException(kind);
        };
    peer.headers(1, true, fields);
    peer.expectRstStream(1, ErrorCode.PROTOCOL_ERROR);
    assertThat(server.opened()).as("no handler ran").isEmpty();
    assertServes(3);
  }

  @Test
  void bodyShorterThanContentLengthIsReset() throws IOException {
    start(ECHO).handshake();
    peer.headers(1, false, request("POST", "/", "content-length", "10"));
    peer.data(1, true, new byte[5]);
    peer.expectRstStream(1, ErrorCode.PROTOCOL_ERROR);
    assertServes(3);
  }

  @Test
  void bodyLongerThanContentLengthIsReset() throws IOException {
    start(ECHO).handshake();
    peer.headers(1, false, request("POST", "/", "content-length", "3"));
    peer.data(1, false, new byte[5]);
    peer.expectRstStream(1, ErrorCode.PROTOCOL_ERROR);
    assertServes(3);
  }

  @Test
  void contentLengthWithoutBodyIsReset() throws IOException {
    start(ECHO).handshake();
    peer.headers(1, true, request("POST", "/", "content-length", "3"));
    peer.expectRstStream(1, ErrorCode.PROTOCOL_ERROR);
    assertServes(3);
  }

  @Test
  void dataAfterEndStreamIsStreamClosed() throws IOException {
    start(blocked).handshake();
    peer.get(1, "/");
    peer.data(1, false, new byte[4]); // stream 1 is half-closed (remote)
    peer.expectRstStream(1, ErrorCode.STREAM_CLOSED);
    assertServes(3);
  }

  @Test
  void dataOnAStreamWeResetIsIgnored() throws IOException {
    start(ECHO).handshake();
    peer.headers(1, false, request("POST", "/", "content-length", "1"));
    peer.data(1, false, new byte[2]);
    peer.expectRstStream(1, ErrorCode.PROTOCOL_ERROR);
    peer.data(1, true, new byte[2]); // was in flight when the reset was sent
    assertServes(3);
  }

  @Test
  void streamsBeyondMaxConcurrentAreRefused() throws IOException, InterruptedException {
    start(
            Http2Config.DEFAULTS.withMaxConcurrentStreams(2),
            stream -> {
              if (stream.id() <= 3) release.await(); // both slots stay taken until released
              ECHO.handle(stream);
            })
        .handshake();
    assertThat(peer.otherSettings().maxConcurrentStreams()).isEqualTo(2);
    peer.get(1, "/");
    peer.get(3, "/");
    peer.get(5, "/");
    peer.expectRstStream(5, ErrorCode.REFUSED_STREAM);
    release.countDown();
    java.util.Map<Integer, FramePeer.Response> responses = peer.readResponses(1, 3);
    assertThat(responses.get(1).head().status()).isEqualTo("200");
    assertThat(responses.get(3).head().status()).isEqualTo("200");
    assertServes(7); // slots are free again
  }

  // ---------------------------------------------------------------- flow-control errors

  @Test
  void windowUpdateOverflowOnTheConnection() throws IOException {
    start(ECHO).handshake();
    peer.send(new Frame.WindowUpdate(0, Integer.MAX_VALUE));
    peer.expectConnectionError(ErrorCode.FLOW_CONTROL_ERROR);
  }

  @Test
  void windowUpdateOverflowOnAStream() throws IOException {
    start(blocked).handshake();
    peer.get(1, "/");
    peer.send(new Frame.WindowUpdate(1, Integer.MAX_VALUE));
    peer.expectRstStream(1, ErrorCode.FLOW_CONTROL_ERROR);
    assertServes(3);
  }

  @Test
  void windowUpdateZeroOnAStream() throws IOException {
    start(blocked).handshake();
    peer.get(1, "/");
    peer.send(new Frame.WindowUpdate(1, 1)); // fine
    peer.writer().writeHeader(4, FrameType.WINDOW_UPDATE, 0, 1);
    peer.raw(new byte[4]);
    peer.expectRstStream(1, ErrorCode.PROTOCOL_ERROR);
    assertServes(3);
  }

  @Test
  void windowUpdateZeroOnTheConnection() throws IOException {
    start(ECHO).handshake();
    peer.writer().writeHeader(4, FrameType.WINDOW_UPDATE, 0, 0);
    peer.raw(new byte[4]);
    peer.expectConnectionError(ErrorCode.PROTOCOL_ERROR);
  }

  @Test
  void windowUpdateOnIdleStream() throws IOException {
    start(ECHO).handshake();
    peer.send(new Frame.WindowUpdate(1, 100));
    peer.expectConnectionError(ErrorCode.PROTOCOL_ERROR);
  }

  @Test
  void dataBeyondTheStreamWindow() throws IOException {
    start(Http2Config.DEFAULTS.withInitialWindowSize(1000), blocked).handshake();
    peer.headers(1, false, request("POST", "/"));
    peer.data(1, false, new byte[1000]); // exactly the window
    peer.data(1, false, new byte[1]);
    peer.expectRstStream(1, ErrorCode.FLOW_CONTROL_ERROR);
    assertServes(3); // the connection window got the refused bytes back
  }

  @Test
  void paddedDataCountsAgainstTheWindow() throws IOException {
    start(Http2Config.DEFAULTS.withInitialWindowSize(1000), blocked).handshake();
    peer.headers(1, false, request("POST", "/"));
    // 1 pad-length byte + 900 data + 99 padding = 1000: the whole window
    peer.writer().writeHeader(1000, FrameType.DATA, FrameType.FLAG_PADDED, 1);
    byte[] payload = new byte[1000];
    payload[0] = 99;
    peer.raw(payload);
    peer.data(1, false, new byte[1]);
    peer.expectRstStream(1, ErrorCode.FLOW_CONTROL_ERROR);
  }

  @Test
  void dataBeyondTheConnectionWindow() throws IOException {
    start(Http2Config.DEFAULTS.withConnectionWindowSize(65_535), blocked).handshake();
    peer.headers(1, false, request("POST", "/"));
    peer.data(1, false, new byte[65_535]); // the whole connection window, in four frames
    peer.data(1, false, new byte[1]);
    Frame.GoAway goAway = peer.expectConnectionError(ErrorCode.FLOW_CONTROL_ERROR);
    assertThat(goAway.lastStreamId()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- other frames

  @Test
  void rstStreamOnIdleStream() throws IOException {
    start(ECHO).handshake();
    peer.send(new Frame.RstStream(1, ErrorCode.CANCEL));
    peer.expectConnectionError(ErrorCode.PROTOCOL_ERROR);
  }

  @Test
  void rstStreamFromPeerFailsTheHandler() throws Exception {
    java.util.concurrent.CompletableFuture<Throwable> failure =
        new java.util.concurrent.CompletableFuture<>();
    start(
            stream -> {
              if (stream.id() != 1) {
                ECHO.handle(stream);
                return;
              }
              try {
                stream.input().readAllBytes();
                failure.complete(null);
              } catch (IOException e) {
                failure.complete(e);
              }
            })
        .handshake();
    peer.headers(1, false, request("POST", "/"));
    // The handler starts once the frames read with the HEADERS are handled; a reset in the same
    // read would mean it never starts (RapidResetTest).
    assertThat(server.opened().poll(5, TimeUnit.SECONDS)).isNotNull();
    peer.send(new Frame.RstStream(1, ErrorCode.CANCEL));
    assertThat(failure)
        .succeedsWithin(Duration.ofSeconds(5))
        .isInstanceOfSatisfying(
            StreamResetException.class,
            e -> {
              assertThat(e.error()).isEqualTo(ErrorCode.CANCEL);
              assertThat(e.isRetryable()).isFalse();
            });
    assertServes(3);
  }

  @Test
  void responseCompleteBeforeTheRequestBodyIsSentWholeThenReset() throws IOException {
    byte[] big = new byte[40_000];
    new java.util.Random(7).nextBytes(big);
    start(
            stream -> {
              if (stream.id() != 1) {
                ECHO.handle(stream);
                return;
              }
              stream.sendHeaders(HttpFields.of(":status", "413"), false);
              stream.output().write(big);
              stream.output().close(); // without reading the request body
            })
        .handshake();
    peer.headers(1, false, request("POST", "/upload"));
    FramePeer.Response response = peer.readResponse(1);
    assertThat(response.head().status()).isEqualTo("413");
    assertThat(response.body()).isEqualTo(big);
    // RFC 9113 §8.1: then RST_STREAM(NO_ERROR) tells the client to stop sending the body
    peer.expectRstStream(1, ErrorCode.NO_ERROR);
    peer.data(1, true, new byte[100]); // in flight: ignored
    assertServes(3);
  }

  @Test
  void priorityDependingOnItself() throws IOException {
    start(ECHO).handshake();
    peer.send(new Frame.PriorityFrame(1, new Frame.Priority(1, false, 16)));
    peer.expectRstStream(1, ErrorCode.PROTOCOL_ERROR);
    assertServes(3);
  }

  @Test
  void headersWithPriorityOnItself() throws IOException {
    start(ECHO).handshake();
    peer.send(
        new Frame.Headers(
            1, peer.encode(request("GET", "/")), true, true, new Frame.Priority(1, true, 16)));
    peer.expectRstStream(1, ErrorCode.PROTOCOL_ERROR);
    assertServes(3);
  }

  @Test
  void priorityOnIdleStreamIsAllowed() throws IOException {
    start(ECHO).handshake();
    peer.send(new Frame.PriorityFrame(7, new Frame.Priority(0, false, 16)));
    assertServes(1);
  }

  @Test
  void pushPromiseFromAClient() throws IOException {
    start(ECHO).handshake();
    peer.get(1, "/");
    peer.readResponse(1);
    peer.send(new Frame.PushPromise(1, 2, peer.encode(request("GET", "/pushed")), true));
    peer.expectConnectionError(ErrorCode.PROTOCOL_ERROR);
  }

  @Test
  void peerGoAwayWithErrorEndsTheConnection() throws IOException {
    start(ECHO).handshake();
    peer.send(new Frame.GoAway(0, ErrorCode.PROTOCOL_ERROR, "bye"));
    peer.expectClosed();
  }

  // ---------------------------------------------------------------- floods

  @ParameterizedTest
  @ValueSource(strings = {"PING", "SETTINGS"})
  void controlFrameFloodWithoutReadingEndsTheConnection(String kind) throws Exception {
    Http2Config config =
        new Http2Config(
            100,
            1 << 20,
            16 << 20,
            16_384,
            16_384,
            100,
            1 << 20,
            Duration.ofSeconds(30),
            AbuseLimits.DEFAULTS.withNoOpFrames(Integer.MAX_VALUE, 0));
    server = EngineUnderTest.server(config, ECHO, 8 * 1024);
    peer = server.peer().handshake();
    int frames = 2_000_000; // ~34 MB of requests, whose answers nobody reads
    AtomicLong written = new AtomicLong();
    Thread flooder =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    OutputStream out =
                        new BufferedOutputStream(peer.socket().getOutputStream(), 64 * 1024);
                    byte[] frame =
                        kind.equals("PING")
                            ? new byte[] {
                              0, 0, 8, FrameType.PING, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8
                            }
                            : new byte[] {0, 0, 0, FrameType.SETTINGS, 0, 0, 0, 0, 0};
                    for (int i = 0; i < frames; i++) {
                      out.write(frame);
                      written.incrementAndGet();
                    }
                    out.flush();
                  } catch (IOException expected) {
                    // the engine gave up on us
                  }
                });
    // The engine must give up: once it does, it stops reading and the flooder stalls or fails.
    assertThat(server.engineClosed()).succeedsWithin(Duration.ofSeconds(10));
    long acks = 0;
    Frame.GoAway goAway = null;
    try {
      for (Frame f; (f = peer.next()) != null; ) {
        if (f instanceof Frame.GoAway g) {
          goAway = g;
        } else if (f instanceof Frame.Ping || f instanceof Frame.Settings) {
          acks++;
        } else if (!(f instanceof Frame.WindowUpdate)) {
          throw new AssertionError("unexpected " + f);
        }
      }
    } catch (SocketException reset) {
      // closed with our flood unread: a reset is an end too
    }
    flooder.join(Duration.ofSeconds(5));
    assertThat(flooder.isAlive()).as("flooder unblocked by the close").isFalse();
    assertThat(goAway).as("GOAWAY after the answers").isNotNull();
    assertThat(goAway.error()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
    assertThat(acks).as("answers sent before giving up").isLessThan(frames);
    assertThat(written.get()).as("the engine stopped reading the flood").isLessThan(frames);
    assertThat(server.engine().awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void emptyContinuationFloodIsCutOff() throws IOException {
    start(ECHO).handshake();
    byte[] block = peer.encode(request("GET", "/"));
    peer.headersFragment(1, block, true, false);
    for (int i = 0; i < 600; i++) peer.continuation(1, new byte[0], false);
    peer.flush();
    peer.expectConnectionError(ErrorCode.ENHANCE_YOUR_CALM);
  }

  // ---------------------------------------------------------------- shutdown

  @Test
  void gracefulShutdownLetsTheStreamInFlightFinish() throws Exception {
    start(blocked).handshake().answerPings(false);
    peer.get(1, "/");
    assertThat(server.opened().poll(5, TimeUnit.SECONDS)).isNotNull();
    server.engine().shutdownGracefully();
    // §6.8: GOAWAY(2^31-1) and a PING first, the real last stream once the PING is answered
    assertThat(peer.expectGoAway(ErrorCode.NO_ERROR).lastStreamId()).isEqualTo(Integer.MAX_VALUE);
    peer.send(new Frame.Ping(true, peer.expect(Frame.Ping.class).payload()));
    Frame.GoAway goAway = peer.expectGoAway(ErrorCode.NO_ERROR);
    assertThat(goAway.lastStreamId()).isEqualTo(1);
    assertThat(server.engine().isShutdown()).isTrue();
    peer.get(3, "/"); // above the last stream id: ignored
    release.countDown();
    FramePeer.Response response = peer.readResponse(1);
    assertThat(response.head().status()).isEqualTo("200");
    assertThat(response.text()).isEqualTo("done");
    peer.expectClosed(); // nothing for stream 3
    assertThat(server.opened()).isEmpty();
  }

  @Test
  void closeSendsGoAwayNoError() throws IOException {
    start(ECHO).handshake();
    assertServes(1);
    server.engine().close();
    Frame.GoAway goAway = peer.expectConnectionError(ErrorCode.NO_ERROR);
    assertThat(goAway.lastStreamId()).isEqualTo(1);
  }

  @Test
  void responseWithTrailers() throws IOException {
    start(
            stream -> {
              stream.input().readAllBytes();
              stream.sendHeaders(HttpFields.of(":status", "200"), false);
              stream.output().write("body".getBytes(ISO_8859_1));
              stream.output().closeWithTrailers(HttpFields.of("x-checksum", "42"));
            })
        .handshake();
    peer.get(1, "/");
    FramePeer.Response response = peer.readResponse(1);
    assertThat(response.text()).isEqualTo("body");
    assertThat(response.trailers()).isEqualTo(HttpFields.of("x-checksum", "42"));
    // §8.1: the head, the body, then trailers that end the stream
    assertThat(peer.trace())
        .containsSubsequence(
            "<< HEADERS 1 END_HEADERS :status=200",
            "<< DATA 1 4",
            "<< HEADERS 1 END_STREAM|END_HEADERS x-checksum=42");
  }

  @Test
  void requestTrailersAreDelivered() throws Exception {
    HttpFields[] seen = new HttpFields[1];
    start(
            stream -> {
              byte[] body = stream.input().readAllBytes();
              seen[0] = stream.trailers();
              stream.sendHeaders(HttpFields.of(":status", "200"), false);
              stream.output().write(body);
              stream.output().close();
            })
        .handshake();
    peer.headers(1, false, request("POST", "/"));
    peer.data(1, false, "abc".getBytes(ISO_8859_1));
    peer.headers(1, true, "x-sum", "1");
    assertThat(peer.readResponse(1).text()).isEqualTo("abc");
    assertThat(seen[0]).isEqualTo(HttpFields.of("x-sum", "1"));
  }

  @Test
  void trailersWithoutEndStreamAreReset() throws IOException {
    start(ECHO).handshake();
    peer.headers(1, false, request("POST", "/"));
    peer.headers(1, false, "x-sum", "1");
    peer.expectRstStream(1, ErrorCode.PROTOCOL_ERROR);
    assertServes(3);
  }

  @Test
  void prefaceConstantIsTheRfcMagic() {
    assertThat(new String(FrameReader.PREFACE, ISO_8859_1))
        .isEqualTo("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
  }
}
