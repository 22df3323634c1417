package dev.h2mux.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.engine.Http2Config;
import dev.h2mux.core.engine.Http2Stream;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.http.ResponseHead;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shared test peer against the real engine, in both roles. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FramePeerTest {
  /** Answers {@code :status 200} and "hello", whatever was asked. */
  private static final EngineUnderTest.StreamHandler HELLO =
      stream -> {
        stream.input().readAllBytes();
        stream.sendHeaders(HttpFields.of(":status", "200"), false);
        stream.output().write("hello".getBytes(UTF_8));
        stream.output().close();
      };

  @Test
  void aGetIsAnsweredWithHeadersThenData() throws Exception {
    try (EngineUnderTest server = EngineUnderTest.server(Http2Config.DEFAULTS, HELLO)) {
      FramePeer peer = server.peer().handshake();
      peer.get(1, "/");
      assertThat(peer.framesUntilEndStream(1))
          .containsExactly("<< HEADERS 1 END_HEADERS :status=200", "<< DATA 1 END_STREAM 5");
    }
  }

  @Test
  void theHandshakeIsTracedBothWaysInTheOrderItHappened() throws Exception {
    try (EngineUnderTest server = EngineUnderTest.server(Http2Config.DEFAULTS, HELLO)) {
      FramePeer peer = server.peer().handshake();
      assertThat(peer.trace())
          .containsExactly(
              ">> PREFACE",
              ">> SETTINGS 0",
              "<< SETTINGS 0 MAX_CONCURRENT_STREAMS=128 INITIAL_WINDOW_SIZE=1048576"
                  + " MAX_FRAME_SIZE=16384 MAX_HEADER_LIST_SIZE=16384",
              ">> SETTINGS 0 ACK",
              "<< WINDOW_UPDATE 0 16711681",
              "<< SETTINGS 0 ACK");
      // the WINDOW_UPDATE that came during the handshake waits for the next read
      assertThat(peer.next()).isEqualTo(new Frame.WindowUpdate(0, 16_711_681));
    }
  }

  @Test
  void framesOfOtherStreamsWaitTheirTurn() throws Exception {
    try (EngineUnderTest server = EngineUnderTest.server(Http2Config.DEFAULTS, HELLO)) {
      FramePeer peer = server.peer().handshake();
      peer.headers(1, false, FramePeer.request("POST", "/"));
      peer.get(3, "/");
      // stream 3 may well be answered first; stream 1 waits for its body
      assertThat(peer.framesUntilEndStream(3))
          .containsExactly("<< HEADERS 3 END_HEADERS :status=200", "<< DATA 3 END_STREAM 5");
      peer.data(1, true, "body");
      FramePeer.Response response = peer.readResponse(1);
      assertThat(response.head().status()).isEqualTo("200");
      assertThat(response.text()).isEqualTo("hello");
      assertThat(peer.trace()).contains(">> DATA 1 END_STREAM 4");
    }
  }

  @Test
  void hpackStaysInStepAcrossBlocksThatUseTheDynamicTable() throws Exception {
    EngineUnderTest.StreamHandler tokened =
        stream -> {
          stream.sendHeaders(HttpFields.of(":status", "200", "x-token", "abcdefghijkl"), true);
        };
    try (EngineUnderTest server = EngineUnderTest.server(Http2Config.DEFAULTS, tokened)) {
      FramePeer peer = server.peer().handshake();
      int[] blockLengths = new int[3];
      for (int i = 0; i < 3; i++) {
        int stream = 2 * i + 1;
        peer.get(stream, "/");
        Frame.Headers headers = peer.expect(Frame.Headers.class);
        blockLengths[i] = headers.block().length;
        List<String> trace = peer.trace();
        assertThat(trace.get(trace.size() - 1))
            .isEqualTo(
                "<< HEADERS "
                    + stream
                    + " END_STREAM|END_HEADERS :status=200 x-token=abcdefghijkl");
      }
      // the engine indexed the field, so later blocks refer to the table entry we now hold too
      assertThat(blockLengths[1]).isLessThan(blockLengths[0]).isEqualTo(blockLengths[2]);
    }
  }

  @Test
  void aBlockLongerThanAFrameIsTracedAsHeadersThenContinuation() throws Exception {
    String big = "a".repeat(40_000); // Huffman-coded to about 25,000 bytes: two frames
    EngineUnderTest.StreamHandler large =
        stream -> stream.sendHeaders(HttpFields.of(":status", "200", "x-big", big), true);
    try (EngineUnderTest server = EngineUnderTest.server(Http2Config.DEFAULTS, large)) {
      FramePeer peer = server.peer().handshake();
      peer.get(1, "/");
      List<String> lines = peer.framesUntilEndStream(1);
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0)).isEqualTo("<< HEADERS 1 END_STREAM 16384");
      assertThat(lines.get(1)).isEqualTo("<< CONTINUATION 1 END_HEADERS :status=200 x-big=" + big);
    }
  }

  @Test
  void asTheServerItAnswersTheClientEngine() throws Exception {
    try (EngineUnderTest client = EngineUnderTest.client(Http2Config.DEFAULTS)) {
      FramePeer peer = client.peer().handshake();
      Http2Stream stream =
          client
              .engine()
              .newStream(
                  HttpFields.of(
                      ":method", "GET", ":scheme", "http", ":authority", "localhost", ":path", "/"),
                  true,
                  TimeUnit.SECONDS.toNanos(5));
      FramePeer.Head request = peer.awaitRequest();
      assertThat(request.streamId()).isEqualTo(1);
      assertThat(request.endStream()).isTrue();
      assertThat(request.fields().get(":path")).isEqualTo("/");
      peer.respond(1, "hi");
      ResponseHead response = stream.awaitResponse(TimeUnit.SECONDS.toNanos(5));
      assertThat(response.status()).isEqualTo(200);
      assertThat(new String(stream.input().readAllBytes(), UTF_8)).isEqualTo("hi");
      assertThat(peer.trace())
          .contains(
              "<< PREFACE",
              "<< SETTINGS 0 ENABLE_PUSH=0 MAX_CONCURRENT_STREAMS=128 INITIAL_WINDOW_SIZE=1048576"
                  + " MAX_FRAME_SIZE=16384 MAX_HEADER_LIST_SIZE=16384",
              "<< HEADERS 1 END_STREAM|END_HEADERS :method=GET :scheme=http"
                  + " :authority=localhost :path=/",
              ">> HEADERS 1 END_HEADERS :status=200 content-length=2",
              ">> DATA 1 END_STREAM 2");
    }
  }

  @Test
  void aConnectionErrorReadsLikeTheRfc() throws Exception {
    try (EngineUnderTest server = EngineUnderTest.server(Http2Config.DEFAULTS, HELLO)) {
      FramePeer peer = server.peer().handshake();
      peer.data(1, false, new byte[3]); // DATA on an idle stream (§5.1)
      Frame.GoAway goAway = peer.expectConnectionError(ErrorCode.PROTOCOL_ERROR);
      assertThat(goAway.lastStreamId()).isZero();
      assertThat(peer.trace()).contains(">> DATA 1 3");
      assertThat(peer.trace())
          .anyMatch(l -> l.startsWith("<< GOAWAY 0 last_stream=0 PROTOCOL_ERROR"));
    }
  }

  @Test
  void aMissingFrameFailsWithTheTraceSoFar() throws Exception {
    EngineUnderTest.StreamHandler silent = stream -> {}; // never answers
    try (EngineUnderTest server = EngineUnderTest.server(Http2Config.DEFAULTS, silent)) {
      FramePeer peer = server.peer().handshake().readTimeout(200);
      assertThatThrownBy(() -> peer.expect(Frame.RstStream.class))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("no frame within 200 ms")
          .hasMessageContaining("<< SETTINGS 0 ACK");
    }
  }
}
