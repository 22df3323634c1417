package dev.h2mux.core.engine;

import static dev.h2mux.testkit.FramePeer.request;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.testkit.EngineUnderTest;
import dev.h2mux.testkit.FramePeer;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Frames on a stream that is over, on the server (RFC 9113 §5.1): the answer depends on what the
 * peer knew when it sent them, never on whether our handler had finished. Each case runs with the
 * response complete before the late frame ({@link Timing#RESPONDED}) and with the handler still
 * holding the stream ({@link Timing#HANDLER_BUSY}). These are the h2spec cases that failed now and
 * then (§5.1/6, §5.1/8, §6.9.1/3, §8.1.2.1/3, §8.1.2.6/1), made deterministic.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ClosedStreamAnswersTest {
  enum Timing {
    /** The peer has read our whole response before it sends the late frame. */
    RESPONDED,
    /** The handler has not answered yet when the late frame arrives. */
    HANDLER_BUSY
  }

  private final CountDownLatch release = new CountDownLatch(1);
  private EngineUnderTest server;
  private FramePeer peer;

  @AfterEach
  void tearDown() throws Exception {
    release.countDown();
    if (server != null) server.close();
  }

  /** Answers "ok" without reading the request body; waits for the test first if busy. */
  private void start(Timing timing) throws IOException {
    server =
        EngineUnderTest.server(
            Http2Config.DEFAULTS,
            stream -> {
              if (stream.id() == 1 && timing == Timing.HANDLER_BUSY) release.await();
              stream.sendHeaders(HttpFields.of(":status", "200"), false);
              stream.output().write("ok".getBytes(ISO_8859_1));
              stream.output().close();
            });
    peer = server.peer();
    peer.handshake();
  }

  /** Stream 1 as the timing says: answered and read, or with its handler started and held. */
  private void reach(Timing timing) throws Exception {
    if (timing == Timing.RESPONDED) {
      assertThat(peer.readResponse(1).text()).isEqualTo("ok");
    } else {
      assertThat(server.opened().poll(5, TimeUnit.SECONDS)).as("handler started").isNotNull();
    }
  }

  /**
   * Stream 1, a POST whose body is still coming, reached as {@code timing} says, then reset by the
   * peer with RST_STREAM(CANCEL). With RESPONDED our RST_STREAM(NO_ERROR) waits for the peer's PING
   * ACK, which it has not read yet: the peer's reset comes first.
   */
  private void resetByThePeer(Timing timing) throws Exception {
    start(timing);
    peer.headers(1, false, request("POST", "/"));
    reach(timing);
    peer.send(new Frame.RstStream(1, ErrorCode.CANCEL));
  }

  private void assertServes(int streamId) throws IOException {
    peer.get(streamId, "/");
    assertThat(peer.readResponse(streamId).text()).isEqualTo("ok");
  }

  // ---------------------------------------------------------------- the peer ended the stream

  @ParameterizedTest
  @EnumSource(Timing.class)
  void headersAfterTheStreamsEndStreamIsStreamClosed(Timing timing) throws Exception {
    start(timing);
    peer.get(1, "/");
    reach(timing);
    peer.get(1, "/"); // h2spec http2 5.1/6
    if (timing == Timing.RESPONDED) {
      // closed after the peer's END_STREAM: a connection error (§5.1)
      peer.expectConnectionError(ErrorCode.STREAM_CLOSED);
    } else {
      // half-closed (remote): a stream error (§5.1)
      peer.expectRstStream(1, ErrorCode.STREAM_CLOSED);
      assertServes(3);
    }
  }

  @ParameterizedTest
  @EnumSource(Timing.class)
  void dataAfterTheStreamsEndStreamIsStreamClosed(Timing timing) throws Exception {
    start(timing);
    peer.get(1, "/");
    reach(timing);
    peer.data(1, true, "late".getBytes(ISO_8859_1));
    if (timing == Timing.RESPONDED) {
      peer.expectConnectionError(ErrorCode.STREAM_CLOSED);
    } else {
      peer.expectRstStream(1, ErrorCode.STREAM_CLOSED);
      assertServes(3);
    }
  }

  @ParameterizedTest
  @EnumSource(Timing.class)
  void dataAfterThePeersResetIsStreamClosed(Timing timing) throws Exception {
    resetByThePeer(timing);
    peer.data(1, true, "late".getBytes(ISO_8859_1)); // h2spec http2 5.1/8
    peer.expectRstStream(1, ErrorCode.STREAM_CLOSED);
    assertServes(3);
  }

  @ParameterizedTest
  @EnumSource(Timing.class)
  void headersAfterThePeersResetIsStreamClosed(Timing timing) throws Exception {
    resetByThePeer(timing);
    peer.headers(1, true, "x-trailer", "late"); // h2spec http2 5.1/9
    peer.expectRstStream(1, ErrorCode.STREAM_CLOSED);
    assertServes(3);
  }

  @ParameterizedTest
  @EnumSource(Timing.class)
  void windowUpdateAfterThePeersResetIsStreamClosed(Timing timing) throws Exception {
    resetByThePeer(timing);
    // §5.1: after its RST_STREAM the peer may send PRIORITY only; anything else is STREAM_CLOSED
    peer.send(new Frame.PriorityFrame(1, new Frame.Priority(0, false, 16)));
    peer.send(new Frame.WindowUpdate(1, 100));
    assertThat(peer.framesUntilEndStream(1)).containsExactly("<< RST_STREAM 1 STREAM_CLOSED");
    assertServes(3);
  }

  @Test
  void dataAfterThePeersResetCrossedOursIsStreamClosed() throws Exception {
    start(Timing.RESPONDED);
    peer.headers(1, false, request("POST", "/"));
    reach(Timing.RESPONDED);
    peer.expectRstStream(1, ErrorCode.NO_ERROR); // the peer saw the response (PING ACK)
    peer.send(new Frame.RstStream(1, ErrorCode.CANCEL)); // its own, crossing ours
    peer.data(1, true, "late".getBytes(ISO_8859_1));
    peer.expectRstStream(1, ErrorCode.STREAM_CLOSED);
    assertServes(3);
  }

  // ---------------------------------------------------- the peer had not seen our response yet

  @ParameterizedTest
  @EnumSource(Timing.class)
  void bodyLongerThanContentLengthIsAProtocolErrorEvenAfterTheResponse(Timing timing)
      throws Exception {
    start(timing);
    peer.headers(1, false, request("POST", "/", "content-length", "1"));
    reach(timing);
    peer.data(1, true, "test".getBytes(ISO_8859_1)); // h2spec http2 8.1.2.6/1
    peer.expectRstStream(1, ErrorCode.PROTOCOL_ERROR);
    assertServes(3);
  }

  @ParameterizedTest
  @EnumSource(Timing.class)
  void pseudoHeaderInTrailersIsAProtocolErrorEvenAfterTheResponse(Timing timing) throws Exception {
    start(timing);
    peer.headers(1, false, request("POST", "/"));
    reach(timing);
    peer.data(1, false, "test".getBytes(ISO_8859_1));
    peer.headers(1, false, ":method", "POST"); // h2spec http2 8.1.2.1/3
    peer.expectRstStream(1, ErrorCode.PROTOCOL_ERROR);
    assertServes(3);
  }

  @ParameterizedTest
  @EnumSource(Timing.class)
  void windowOverflowIsTheFirstResetEvenAfterTheResponse(Timing timing) throws Exception {
    start(timing);
    peer.headers(1, false, request("POST", "/"));
    reach(timing);
    peer.send(new Frame.WindowUpdate(1, Integer.MAX_VALUE)); // h2spec http2 6.9.1/3
    peer.send(new Frame.WindowUpdate(1, Integer.MAX_VALUE));
    // the first RST_STREAM for the stream, not a NO_ERROR one sent after the response
    peer.expectRstStream(1, ErrorCode.FLOW_CONTROL_ERROR);
    assertServes(3);
  }

  // ---------------------------------------------------------------- we reset the stream

  @Test
  void framesThatCrossedOurResetAreIgnoredUntilThePeerEndsTheStream() throws Exception {
    server =
        EngineUnderTest.server(
            Http2Config.DEFAULTS,
            stream -> {
              if (stream.id() == 1) {
                stream.reset(ErrorCode.CANCEL);
                return;
              }
              stream.sendHeaders(HttpFields.of(":status", "200"), false);
              stream.output().write("ok".getBytes(ISO_8859_1));
              stream.output().close();
            });
    peer = server.peer();
    peer.handshake();
    peer.headers(1, false, request("POST", "/"));
    peer.expectRstStream(1, ErrorCode.CANCEL);
    // Sent before the peer could know: DATA, a WINDOW_UPDATE, and trailers that end the stream.
    peer.data(1, false, "crossing".getBytes(ISO_8859_1));
    peer.send(new Frame.WindowUpdate(1, 100));
    peer.headers(1, true, "x-trailer", "t");
    peer.send(new Frame.Ping(false, 42));
    assertThat(peer.next()).as("nothing but the PING ACK").isEqualTo(new Frame.Ping(true, 42));
    // After its own END_STREAM the peer knows the stream is over.
    peer.data(1, false, "late".getBytes(ISO_8859_1));
    peer.expectConnectionError(ErrorCode.STREAM_CLOSED);
  }

  @Test
  void afterTheStreamsEndStreamOurResetDoesNotExcuseLaterData() throws Exception {
    CountDownLatch read = new CountDownLatch(1);
    server =
        EngineUnderTest.server(
            Http2Config.DEFAULTS,
            stream -> {
              stream.input().readAllBytes(); // the whole request: the stream is half-closed
              stream.reset(ErrorCode.CANCEL); // (remote), and we reset it
              read.countDown();
            });
    peer = server.peer().handshake();
    peer.get(1, "/");
    assertThat(peer.framesUntilEndStream(1)).containsExactly("<< RST_STREAM 1 CANCEL");
    assertThat(read.await(5, TimeUnit.SECONDS)).isTrue();
    // The peer had ended the stream before our reset: nothing of its could be in flight but
    // WINDOW_UPDATE, PRIORITY or RST_STREAM, which are ignored; DATA breaks §5.1 as it would have
    // before the reset, whatever our handler's timing.
    peer.send(new Frame.WindowUpdate(1, 100));
    peer.send(new Frame.RstStream(1, ErrorCode.CANCEL));
    peer.data(1, true, "late".getBytes(ISO_8859_1));
    peer.expectConnectionError(ErrorCode.STREAM_CLOSED);
  }

  @Test
  void aFrameOnAStreamNeverOpenedIsAnsweredOnceThenIgnored() throws Exception {
    start(Timing.RESPONDED);
    peer.get(5, "/"); // closes 1 and 3 without opening them (§5.1.1)
    assertThat(peer.readResponse(5).text()).isEqualTo("ok");
    peer.data(3, false, "lost".getBytes(ISO_8859_1));
    assertThat(peer.framesUntilEndStream(3)).containsExactly("<< RST_STREAM 3 STREAM_CLOSED");
    // What follows may have crossed that RST_STREAM: ignored (§5.1), not one reset per frame.
    peer.data(3, true, "more".getBytes(ISO_8859_1));
    peer.send(new Frame.Ping(false, 8));
    // expect() fails on any frame but connection housekeeping before the ACK
    assertThat(peer.expect(Frame.Ping.class)).isEqualTo(new Frame.Ping(true, 8));
  }

  @Test
  void anEarlyResponseIsStoppedOnceThePeerHasSeenIt() throws Exception {
    start(Timing.RESPONDED);
    peer.answerPings(false); // the test answers the PING itself, after more DATA
    peer.headers(1, false, request("POST", "/"));
    assertThat(peer.readResponse(1).text()).isEqualTo("ok");
    // The PING after the response, then, once acknowledged, RST_STREAM(NO_ERROR) (§8.1).
    Frame.Ping ping = peer.expect(Frame.Ping.class);
    assertThat(ping.ack()).isFalse();
    peer.data(1, false, "sent before the ACK".getBytes(ISO_8859_1)); // handled as usual
    peer.send(new Frame.Ping(true, ping.payload()));
    peer.expectRstStream(1, ErrorCode.NO_ERROR);
    peer.data(1, true, "crossed the reset".getBytes(ISO_8859_1)); // ignored
    assertServes(3);
  }

  @Test
  void anEarlyResponseIsStoppedWhenThePeerNeverAnswersThePing() throws Exception {
    start(Timing.RESPONDED);
    peer.answerPings(false);
    peer.headers(1, false, request("POST", "/"));
    assertThat(peer.readResponse(1).text()).isEqualTo("ok");
    Frame.Ping ping = peer.expect(Frame.Ping.class);
    assertThat(ping.ack()).isFalse();
    // Not acknowledged: once the peer has been quiet a while the stream is stopped anyway.
    Frame next = peer.next();
    assertThat(next).isInstanceOf(Frame.RstStream.class);
    assertThat(((Frame.RstStream) next).error()).isEqualTo(ErrorCode.NO_ERROR);
  }
}
