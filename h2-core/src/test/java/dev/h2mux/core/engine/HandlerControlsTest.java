package dev.h2mux.core.engine;

import static dev.h2mux.testkit.FramePeer.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.Http2Settings;
import dev.h2mux.testkit.EngineUnderTest;
import dev.h2mux.testkit.FramePeer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine controls a server handler may use on purpose: a reset behind what it sent, a graceful
 * GOAWAY with an error code, and the settings the peer sent.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HandlerControlsTest {
  private EngineUnderTest server;
  private FramePeer peer;

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) server.close();
  }

  @Test
  void resetAfterQueuedSendsTheHeadAndBodyFirstThenRstStream() throws Exception {
    byte[] body = new byte[40_000]; // more than one frame
    server =
        EngineUnderTest.server(
            Http2Config.DEFAULTS,
            stream -> {
              stream.sendHeaders(HttpFields.of(":status", "200"), false);
              stream.output().write(body);
              stream.output().flush();
              stream.output().write(new byte[10]); // buffered, never flushed: dropped
              stream.resetAfterQueued(ErrorCode.ENHANCE_YOUR_CALM);
            });
    peer = server.peer();
    peer.handshake();
    peer.headers(1, true, request("GET", "/"));
    assertThat(peer.expectHeaders(1).fields().get(":status")).isEqualTo("200");
    long received = 0;
    while (true) {
      Frame frame = peer.expect(Frame.class);
      if (frame instanceof Frame.Data data) {
        assertThat(data.endStream()).isFalse();
        received += data.length();
      } else if (frame instanceof Frame.RstStream rst) {
        assertThat(rst.streamId()).isEqualTo(1);
        assertThat(rst.error()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
        break;
      } else if (!(frame instanceof Frame.WindowUpdate || frame instanceof Frame.Settings)) {
        throw new AssertionError("unexpected " + frame);
      }
    }
    assertThat(received).isEqualTo(body.length);
    // the connection goes on
    peer.headers(3, true, request("GET", "/"));
    peer.expectHeaders(3);
  }

  @Test
  void gracefulShutdownWithAnErrorCodeStillFinishesTheStreamsAccepted() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server =
        EngineUnderTest.server(
            Http2Config.DEFAULTS,
            stream -> {
              if (stream.id() == 1) {
                stream.connection().shutdownGracefully(ErrorCode.ENHANCE_YOUR_CALM, "slow down");
                release.await();
              }
              stream.sendHeaders(HttpFields.of(":status", "200"), false);
              stream.output().write("done".getBytes(StandardCharsets.US_ASCII));
              stream.output().close();
            });
    peer = server.peer();
    peer.handshake();
    peer.headers(1, true, request("GET", "/"));
    Frame.GoAway goAway = peer.expectGoAway(ErrorCode.ENHANCE_YOUR_CALM);
    assertThat(goAway.lastStreamId()).isEqualTo(1);
    assertThat(new String(goAway.debugData(), StandardCharsets.UTF_8)).isEqualTo("slow down");
    peer.headers(3, true, request("GET", "/")); // after the GOAWAY: ignored
    release.countDown();
    assertThat(peer.readResponse(1).text()).isEqualTo("done");
    peer.expectClosed();
    assertThat(server.opened()).extracting(Http2Stream::id).containsExactly(1);
  }

  @Test
  void peerSettingsSentHoldsOnlyWhatThePeerSent() throws Exception {
    CompletableFuture<Http2Settings> seen = new CompletableFuture<>();
    server =
        EngineUnderTest.server(
            Http2Config.DEFAULTS,
            stream -> {
              seen.complete(stream.connection().peerSettingsSent());
              stream.sendHeaders(HttpFields.of(":status", "204"), true);
            });
    peer = server.peer();
    peer.handshake(
        Http2Settings.EMPTY
            .with(Http2Settings.MAX_HEADER_LIST_SIZE, 8192)
            .with(Http2Settings.ENABLE_PUSH, 0));
    peer.headers(1, true, request("GET", "/"));
    peer.expectHeaders(1);
    Http2Settings settings = seen.get(10, TimeUnit.SECONDS);
    assertThat(settings.size()).isEqualTo(2);
    assertThat(settings.get(Http2Settings.MAX_HEADER_LIST_SIZE, -1)).isEqualTo(8192);
    assertThat(settings.get(Http2Settings.ENABLE_PUSH, -1)).isZero();
    assertThat(settings.isSet(Http2Settings.INITIAL_WINDOW_SIZE)).isFalse();
  }
}
