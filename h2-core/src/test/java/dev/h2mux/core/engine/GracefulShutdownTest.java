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
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's graceful shutdown frame by frame (RFC 9113 §6.8): GOAWAY(2^31-1) and a PING, the
 * final GOAWAY once the PING is answered, every stream up to it served, the rest ignored, and a
 * close that never destroys what was sent.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GracefulShutdownTest {
  private static final int MAX_ID = Integer.MAX_VALUE;

  private final CountDownLatch release = new CountDownLatch(1);

  /** Waits for the test to release it, then answers "done <id>". */
  private final EngineUnderTest.StreamHandler held =
      stream -> {
        release.await();
        stream.sendHeaders(HttpFields.of(":status", "200"), false);
        stream.output().write(("done " + stream.id()).getBytes(ISO_8859_1));
        stream.output().close();
      };

  private EngineUnderTest server;
  private FramePeer peer;

  @AfterEach
  void tearDown() throws Exception {
    release.countDown();
    if (server != null) server.close();
  }

  /** The server; the peer answers its PINGs only when a test says so, as each step matters. */
  private FramePeer start(Http2Config config, EngineUnderTest.StreamHandler handler)
      throws IOException {
    server = EngineUnderTest.server(config, handler);
    peer = server.peer().answerPings(false).handshake();
    return peer;
  }

  private void awaitOpened(int count) throws InterruptedException {
    for (int i = 0; i < count; i++) {
      assertThat(server.opened().poll(5, TimeUnit.SECONDS))
          .as("stream %d of %d", i + 1, count)
          .isNotNull();
    }
  }

  /** The first step: GOAWAY(2^31-1, error) and then a PING, nothing between them. */
  private long expectFirstGoAwayAndPing(ErrorCode error) throws IOException {
    Frame.GoAway first = peer.expectGoAway(error);
    assertThat(first.lastStreamId()).isEqualTo(MAX_ID);
    Frame.Ping ping = peer.expect(Frame.Ping.class);
    assertThat(ping.ack()).isFalse();
    return ping.payload();
  }

  /** Reads to the end of the connection, which must be a clean FIN, not a reset. */
  private void expectCleanEnd() throws IOException {
    for (Frame f; (f = peer.next()) != null; ) {
      assertThat(f).isInstanceOfAny(Frame.Settings.class, Frame.WindowUpdate.class);
    }
  }

  @Test
  void streamsOpenedBeforeThePingAckAreServedAndLaterOnesIgnored() throws Exception {
    start(Http2Config.DEFAULTS, held);
    peer.get(1, "/");
    peer.get(3, "/");
    peer.get(5, "/");
    awaitOpened(3);

    server.engine().shutdownGracefully();
    long payload = expectFirstGoAwayAndPing(ErrorCode.NO_ERROR);
    assertThat(server.engine().isShutdown()).isTrue();
    // A request that crossed the first GOAWAY: it reaches the server before the PING ACK.
    peer.get(7, "/");
    peer.send(new Frame.Ping(true, payload));
    Frame.GoAway last = peer.expectGoAway(ErrorCode.NO_ERROR);
    assertThat(last.lastStreamId()).isEqualTo(7);
    awaitOpened(1);
    peer.get(9, "/"); // after the final GOAWAY: ignored, never handled

    release.countDown();
    Map<Integer, FramePeer.Response> responses = peer.readResponses(1, 3, 5, 7);
    for (int id : new int[] {1, 3, 5, 7}) {
      assertThat(responses.get(id).head().status()).isEqualTo("200");
      assertThat(responses.get(id).text()).isEqualTo("done " + id);
    }
    expectCleanEnd(); // no frame for stream 9
    assertThat(server.opened()).isEmpty();
    assertThat(server.engine().isClosed()).isTrue();
  }

  @Test
  void withoutAPingAckTheFinalGoAwayFollowsAfterABoundedWait() throws Exception {
    start(Http2Config.DEFAULTS, held);
    peer.get(1, "/");
    awaitOpened(1);
    long start = System.nanoTime();
    server.engine().shutdownGracefully();
    expectFirstGoAwayAndPing(ErrorCode.NO_ERROR);
    peer.get(3, "/"); // the PING is never answered
    Frame.GoAway last = peer.expectGoAway(ErrorCode.NO_ERROR);
    assertThat(last.lastStreamId()).isEqualTo(3);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(GracefulShutdown.PING_TIMEOUT_MILLIS - 20));
    release.countDown();
    assertThat(peer.readResponses(1, 3)).hasSize(2);
    expectCleanEnd();
  }

  @Test
  void aGracefulShutdownWithAnErrorCodeNamesTheLastStreamInItsOneGoAway() throws Exception {
    start(Http2Config.DEFAULTS, held);
    peer.get(1, "/");
    awaitOpened(1);
    server.engine().shutdownGracefully(ErrorCode.ENHANCE_YOUR_CALM, "draining for maintenance");
    Frame.GoAway last = peer.expectGoAway(ErrorCode.ENHANCE_YOUR_CALM);
    assertThat(last.lastStreamId()).isEqualTo(1);
    assertThat(new String(last.debugData(), StandardCharsets.UTF_8))
        .isEqualTo("draining for maintenance");
    release.countDown();
    assertThat(peer.readResponse(1).text()).isEqualTo("done 1");
    expectCleanEnd();
  }

  @Test
  void anIdleConnectionClosesAtOnceAfterTheFinalGoAway() throws Exception {
    start(Http2Config.DEFAULTS, held);
    server.engine().shutdownGracefully();
    peer.send(new Frame.Ping(true, expectFirstGoAwayAndPing(ErrorCode.NO_ERROR)));
    assertThat(peer.expectGoAway(ErrorCode.NO_ERROR).lastStreamId()).isZero();
    expectCleanEnd();
  }

  @Test
  void theIdleTimeoutEndsWithTheFinalGoAwayToo() throws Exception {
    start(Http2Config.DEFAULTS.withIdleTimeout(Duration.ofMillis(300)), held);
    expectFirstGoAwayAndPing(ErrorCode.NO_ERROR);
    assertThat(peer.expectGoAway(ErrorCode.NO_ERROR).lastStreamId()).isZero();
    expectCleanEnd();
  }

  @Test
  void aForcedCloseDuringTheShutdownSendsTheFinalGoAwayAndCountsTheCutStreams() throws Exception {
    start(Http2Config.DEFAULTS, held);
    peer.get(1, "/");
    peer.get(3, "/");
    awaitOpened(2);
    server.engine().shutdownGracefully();
    expectFirstGoAwayAndPing(ErrorCode.NO_ERROR);
    // the graceful timeout passes before the PING is answered
    assertThat(server.engine().closeNow()).isEqualTo(2);
    assertThat(peer.expectGoAway(ErrorCode.NO_ERROR).lastStreamId()).isEqualTo(3);
    expectCleanEnd();
    assertThat(server.engine().closeNow()).isZero(); // already closed
  }

  /**
   * The engine's FIN comes while the peer is still sending: the engine goes on reading (and
   * dropping) until the peer closes its side, instead of closing with unread input, which would
   * make the kernel reset the connection and destroy what the peer had not read yet.
   */
  @Test
  void afterItsLastFrameTheEngineReadsOnUntilThePeerCloses() throws Exception {
    start(Http2Config.DEFAULTS, held);
    server.engine().shutdownGracefully();
    peer.send(new Frame.Ping(true, expectFirstGoAwayAndPing(ErrorCode.NO_ERROR)));
    assertThat(peer.expectGoAway(ErrorCode.NO_ERROR).lastStreamId()).isZero();
    expectCleanEnd();
    // Our side is still open: what we send now is read and dropped. Had the engine closed its
    // socket, these bytes would make the kernel answer with a reset, and the read below fail.
    for (int i = 0; i < 200; i++) peer.writer().ping(false, i);
    peer.flush();
    peer.socket().shutdownOutput();
    assertThat(server.engine().awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    InputStream in = peer.socket().getInputStream();
    assertThat(in.read()).as("a clean end, no reset").isEqualTo(-1);
  }

  /** The linger is bounded: a peer that never closes its side is closed on after a while. */
  @Test
  void aPeerThatNeverClosesItsSideIsClosedAfterTheLinger() throws Exception {
    start(Http2Config.DEFAULTS, held);
    server.engine().shutdownGracefully();
    peer.send(new Frame.Ping(true, expectFirstGoAwayAndPing(ErrorCode.NO_ERROR)));
    assertThat(peer.expectGoAway(ErrorCode.NO_ERROR).lastStreamId()).isZero();
    expectCleanEnd(); // the engine's FIN; we keep our side open and send nothing
    assertThat(
            server
                .engine()
                .awaitTermination(
                    LingeringClose.LINGER_MILLIS + LingeringClose.WRITE_GRACE_MILLIS + 5_000,
                    TimeUnit.MILLISECONDS))
        .isTrue();
  }

  /**
   * A download through small socket buffers while the server shuts down, the client crediting every
   * DATA frame at once, as clients do: when the response ends, WINDOW_UPDATEs are still on their
   * way in while the end of the response still waits in the server's send buffer. Closing then,
   * with input unread, would reset the connection and destroy that end.
   */
  @Test
  void aResponseStillInTheSocketBuffersArrivesWholeWhileThePeerKeepsSending() throws Exception {
    int size = 1 << 20;
    byte[] body = new byte[size];
    for (int i = 0; i < size; i++) body[i] = (byte) (i * 31 + 7);
    server =
        EngineUnderTest.server(
            Http2Config.DEFAULTS,
            stream -> {
              stream.sendHeaders(HttpFields.of(":status", "200"), false);
              stream.output().write(body);
              stream.output().close();
            },
            16 * 1024);
    // This peer answers PINGs and credits DATA itself, below, frame by frame.
    peer = server.peer().answerPings(false).replenishWindows(false).handshake();
    peer.get(1, "/");
    server.engine().shutdownGracefully();
    java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
    List<Integer> goAways = new ArrayList<>();
    boolean ended = false;
    for (Frame f; (f = peer.next()) != null; ) {
      switch (f) {
        case Frame.GoAway g -> goAways.add(g.lastStreamId());
        case Frame.Ping p when !p.ack() -> peer.send(new Frame.Ping(true, p.payload()));
        case Frame.Data d -> {
          received.writeBytes(d.bytes());
          ended = d.endStream();
          peer.writer().windowUpdate(0, d.flowLength());
          if (!d.endStream()) peer.writer().windowUpdate(1, d.flowLength());
          peer.flush();
        }
        default -> {}
      }
    }
    assertThat(goAways).containsExactly(MAX_ID, 1);
    assertThat(ended).as("END_STREAM received").isTrue();
    assertThat(received.toByteArray()).isEqualTo(body);
  }

  /**
   * Streams ending at the moment the shutdown starts must not keep the GOAWAY from being sent: the
   * connection may only close after it was queued.
   */
  @Test
  void everyConnectionGetsAGoAwayEvenWhenItsLastStreamEndsDuringTheShutdown() throws Exception {
    for (int round = 0; round < 40; round++) {
      EngineUnderTest s =
          EngineUnderTest.server(
              Http2Config.DEFAULTS,
              stream -> {
                stream.sendHeaders(HttpFields.of(":status", "204"), true);
              });
      try {
        FramePeer p = s.peer().answerPings(false).handshake();
        for (int id = 1; id <= 39; id += 2) p.headers(id, true, request("GET", "/"));
        s.engine().shutdownGracefully();
        List<Integer> goAways = new ArrayList<>();
        for (Frame f; (f = p.next()) != null; ) {
          if (f instanceof Frame.GoAway g) goAways.add(g.lastStreamId());
          if (f instanceof Frame.Ping ping && !ping.ack())
            p.send(new Frame.Ping(true, ping.payload()));
        }
        assertThat(goAways).as("round %d", round).hasSize(2).startsWith(MAX_ID);
        assertThat(goAways.get(1)).as("round %d", round).isEqualTo(39);
      } finally {
        s.close();
      }
    }
  }
}
