package dev.h2mux.core.engine;

import static dev.h2mux.testkit.FramePeer.request;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameWriter;
import dev.h2mux.testkit.EngineUnderTest;
import dev.h2mux.testkit.FramePeer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Streams the peer opens and resets at once (CVE-2023-44487) on the server engine: one reset in the
 * read of its HEADERS starts no handler, a burst is cut off with ENHANCE_YOUR_CALM within a few
 * hundred streams, and a client that cancels now and then is never near the limit.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RapidResetTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private EngineUnderTest server;
  private FramePeer peer;

  @AfterEach
  void tearDown() throws Exception {
    release.countDown();
    if (server != null) server.close();
  }

  /** Answers "ok"; streams below 1000 wait for the test first when {@code hold} is set. */
  private FramePeer start(boolean hold) throws IOException {
    server =
        EngineUnderTest.server(
            Http2Config.DEFAULTS,
            stream -> {
              if (hold && stream.id() < 1000) release.await();
              stream.sendHeaders(HttpFields.of(":status", "200"), false);
              stream.output().write("ok".getBytes(ISO_8859_1));
              stream.output().close();
            });
    peer = server.peer();
    return peer.handshake();
  }

  /** HEADERS (END_STREAM) and RST_STREAM(CANCEL) for {@code count} streams from {@code first}. */
  private byte[] pairs(int first, int count) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    FrameWriter out = new FrameWriter(bytes);
    for (int i = 0, id = first; i < count; i++, id += 2) {
      out.headers(id, peer.encode(request("GET", "/")), true, null);
      out.rstStream(id, ErrorCode.CANCEL.code());
    }
    return bytes.toByteArray();
  }

  private void assertServes(int streamId) throws IOException {
    peer.get(streamId, "/");
    assertThat(peer.readResponse(streamId).text()).isEqualTo("ok");
  }

  @Test
  void aStreamResetInTheReadOfItsHeadersStartsNoHandler() throws Exception {
    start(false);
    ByteArrayOutputStream write = new ByteArrayOutputStream();
    write.writeBytes(pairs(1, 100));
    new FrameWriter(write).ping(false, 7);
    peer.raw(write.toByteArray()); // one write: the engine reads it in one or a few reads
    assertThat(peer.expect(Frame.Ping.class)).isEqualTo(new Frame.Ping(true, 7));
    // Each stream was reset before the engine had to wait for the socket again. A stream may
    // rarely straddle two reads (the socket splits the write): then its handler starts.
    assertThat(server.opened().size()).as("handlers started").isLessThan(5);
    int started = server.opened().size();
    assertServes(201);
    assertThat(server.opened().size()).isEqualTo(started + 1);
  }

  @Test
  void aBurstOfResetsIsCutOffWithinAFewHundredStreams() throws Exception {
    start(false);
    try {
      peer.raw(pairs(1, 600));
    } catch (IOException cutOffWhileWriting) {
      // the engine may close before it has read everything
    }
    Frame.GoAway goAway = peer.expectGoAway(ErrorCode.ENHANCE_YOUR_CALM);
    // 256 resets at once are allowed (AbuseLimits.DEFAULTS): the 257th stream ends it.
    int streams = (goAway.lastStreamId() + 1) / 2;
    assertThat(streams).as("streams opened before the cut").isBetween(257, 300);
    peer.expectClosed();
  }

  @Test
  void aClientThatCancelsNowAndThenIsFarFromTheLimit() throws Exception {
    start(true);
    // Three pages, each leaving 40 requests in flight when the user navigates away: 120 resets
    // in a few milliseconds, under half of the burst allowed.
    int id = 1;
    for (int page = 0; page < 3; page++) {
      for (int i = 0; i < 40; i++) peer.get(id + 2 * i, "/");
      for (int i = 0; i < 40; i++) server.opened().poll(5, TimeUnit.SECONDS); // handlers running
      for (int i = 0; i < 40; i++) peer.send(new Frame.RstStream(id + 2 * i, ErrorCode.CANCEL));
      id += 80;
    }
    peer.send(new Frame.Ping(false, 9));
    assertThat(peer.expect(Frame.Ping.class)).isEqualTo(new Frame.Ping(true, 9));
    assertServes(1001);
  }
}
