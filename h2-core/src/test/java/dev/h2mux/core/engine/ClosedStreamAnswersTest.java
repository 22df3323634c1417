package dev.h2mux.core.engine;

import static dev.h2mux.core.engine.ScriptedPeer.request;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
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
  private ScriptedPeer peer;

  @AfterEach
  void tearDown() throws Exception {
    release.countDown();
    if (peer != null) peer.close();
  }

  /** Answers "ok" without reading the request body; waits for the test first if busy. */
  private void start(Timing timing) throws IOException {
    peer =
        ScriptedPeer.againstServer(
            Http2Config.DEFAULTS,
            stream -> {
              if (stream.id() == 1 && timing == Timing.HANDLER_BUSY) release.await();
              stream.sendHeaders(HttpFields.of(":status", "200"), false);
              stream.output().write("ok".getBytes(ISO_8859_1));
              stream.output().close();
            });
    peer.handshake();
  }

  /** Stream 1 as the timing says: answered and read, or with its handler started and held. */
  private void reach(Timing timing) throws Exception {
    if (timing == Timing.RESPONDED) {
      assertThat(peer.readResponse(1).text()).isEqualTo("ok");
    } else {
      assertThat(peer.opened.poll(5, TimeUnit.SECONDS)).as("handler started").isNotNull();
    }
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
    peer.data(1, "late".getBytes(ISO_8859_1), true);
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
    start(timing);
    peer.headers(1, false, request("POST", "/"));
    reach(timing); // with RESPONDED, our RST_STREAM(NO_ERROR) waits for the peer's PING ACK
    peer.send(new Frame.RstStream(1, ErrorCode.CANCEL));
    peer.data(1, "late".getBytes(ISO_8859_1), true); // h2spec http2 5.1/8
    peer.expectRstStream(1, ErrorCode.STREAM_CLOSED);
    assertServes(3);
  }

  @ParameterizedTest
  @EnumSource(Timing.class)
  void headersAfterThePeersResetIsStreamClosed(Timing timing) throws Exception {
    start(timing);
    peer.headers(1, false, request("POST", "/"));
    reach(timing);
    peer.send(new Frame.RstStream(1, ErrorCode.CANCEL));
    peer.headers(1, true, "x-trailer", "late"); // h2spec http2 5.1/9
    peer.expectRstStream(1, ErrorCode.STREAM_CLOSED);
    assertServes(3);
  }

  @Test
  void dataAfterThePeersResetCrossedOursIsStreamClosed() throws Exception {
    start(Timing.RESPONDED);
    peer.headers(1, false, request("POST", "/"));
    reach(Timing.RESPONDED);
    peer.expectRstStream(1, ErrorCode.NO_ERROR); // the peer saw the response (PING ACK)
    peer.send(new Frame.RstStream(1, ErrorCode.CANCEL)); // its own, crossing ours
    peer.data(1, "late".getBytes(ISO_8859_1), true);
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
    peer.data(1, "test".getBytes(ISO_8859_1), true); // h2spec http2 8.1.2.6/1
    peer.expectRstStream(1, ErrorCode.PROTOCOL_ERROR);
    assertServes(3);
  }

  @ParameterizedTest
  @EnumSource(Timing.class)
  void pseudoHeaderInTrailersIsAProtocolErrorEvenAfterTheResponse(Timing timing) throws Exception {
    start(timing);
    peer.headers(1, false, request("POST", "/"));
    reach(timing);
    peer.data(1, "test".getBytes(ISO_8859_1), false);
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
    peer =
        ScriptedPeer.againstServer(
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
    peer.handshake();
    peer.headers(1, false, request("POST", "/"));
    peer.expectRstStream(1, ErrorCode.CANCEL);
    // Sent before the peer could know: DATA, a WINDOW_UPDATE, and trailers that end the stream.
    peer.data(1, "crossing".getBytes(ISO_8859_1), false);
    peer.send(new Frame.WindowUpdate(1, 100));
    peer.headers(1, true, "x-trailer", "t");
    peer.send(new Frame.Ping(false, 42));
    assertThat(peer.next()).as("nothing but the PING ACK").isEqualTo(new Frame.Ping(true, 42));
    // After its own END_STREAM the peer knows the stream is over.
    peer.data(1, "late".getBytes(ISO_8859_1), false);
    peer.expectConnectionError(ErrorCode.STREAM_CLOSED);
  }

  @Test
  void anEarlyResponseIsStoppedOnceThePeerHasSeenIt() throws Exception {
    start(Timing.RESPONDED);
    peer.headers(1, false, request("POST", "/"));
    assertThat(peer.readResponse(1).text()).isEqualTo("ok");
    // The PING after the response, then, once acknowledged, RST_STREAM(NO_ERROR) (§8.1).
    Frame.Ping ping = peer.expect(Frame.Ping.class);
    assertThat(ping.ack()).isFalse();
    peer.data(1, "sent before the ACK".getBytes(ISO_8859_1), false); // handled as usual
    peer.send(new Frame.Ping(true, ping.payload()));
    peer.expectRstStream(1, ErrorCode.NO_ERROR);
    peer.data(1, "crossed the reset".getBytes(ISO_8859_1), true); // ignored
    assertServes(3);
  }

  @Test
  void anEarlyResponseIsStoppedWhenThePeerNeverAnswersThePing() throws Exception {
    start(Timing.RESPONDED);
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
