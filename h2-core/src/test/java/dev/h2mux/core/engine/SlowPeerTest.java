package dev.h2mux.core.engine;

import static dev.h2mux.testkit.FramePeer.request;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameReader;
import dev.h2mux.core.frame.FrameWriter;
import dev.h2mux.core.frame.Http2Settings;
import dev.h2mux.testkit.EngineUnderTest;
import dev.h2mux.testkit.FramePeer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Peers that are silent or trickle bytes: a connection must deliver its preface and first SETTINGS
 * within the handshake timeout, and a connection without streams is closed after the idle timeout
 * however many PINGs or bytes of a frame keep arriving. Timeouts are shortened here; the clock is
 * what is tested, so the peer's pauses are real ones.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SlowPeerTest {
  private static final Duration HANDSHAKE = Duration.ofMillis(400);
  private static final Duration IDLE = Duration.ofMillis(400);

  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicBoolean stopTrickle = new AtomicBoolean();
  private EngineUnderTest server;
  private FramePeer peer;

  @AfterEach
  void tearDown() throws Exception {
    stopTrickle.set(true);
    release.countDown();
    if (server != null) server.close();
  }

  private FramePeer start() throws IOException {
    Http2Config config =
        Http2Config.DEFAULTS
            .withIdleTimeout(IDLE)
            .withAbuseLimits(AbuseLimits.DEFAULTS.withHandshakeTimeout(HANDSHAKE));
    server =
        EngineUnderTest.server(
            config,
            stream -> {
              if (stream.id() == 1) release.await();
              stream.sendHeaders(HttpFields.of(":status", "200"), false);
              stream.output().write("ok".getBytes(ISO_8859_1));
              stream.output().close();
            });
    peer = server.peer();
    return peer;
  }

  /** Writes {@code bytes} one at a time, {@code pauseMillis} apart, until stopped or refused. */
  private Thread trickle(byte[] bytes, long pauseMillis) {
    return Thread.ofVirtual()
        .start(
            () -> {
              try {
                for (byte b : bytes) {
                  if (stopTrickle.get()) return;
                  peer.raw(new byte[] {b});
                  Thread.sleep(pauseMillis);
                }
              } catch (IOException | InterruptedException closed) {
                // the engine closed the connection: what the test waits for
              }
            });
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void aSilentPeerIsClosedAtTheHandshakeTimeout() throws Exception {
    long start = System.nanoTime();
    start().acknowledgeSettings(false); // silent: not even the ACK of its SETTINGS
    peer.expectConnectionError(ErrorCode.NO_ERROR);
    assertThat(millisSince(start)).isBetween(HANDSHAKE.toMillis() - 50, 4_000L);
  }

  @Test
  void aPrefaceTrickledAByteAtATimeIsClosedAtTheHandshakeTimeout() throws Exception {
    long start = System.nanoTime();
    start().acknowledgeSettings(false); // silent: not even the ACK of its SETTINGS
    trickle(FrameReader.PREFACE, 50); // 24 bytes over 1.2 s: each byte well within any timeout
    peer.expectConnectionError(ErrorCode.NO_ERROR);
    assertThat(millisSince(start)).as("closed before the preface was complete").isLessThan(1_200L);
  }

  @Test
  void aPrefaceWithoutSettingsIsClosedAtTheHandshakeTimeout() throws Exception {
    start().acknowledgeSettings(false); // silent: not even the ACK of its SETTINGS
    peer.writer().writePreface();
    peer.flush();
    peer.expectConnectionError(ErrorCode.NO_ERROR);
  }

  @Test
  void aWrongPrefaceIsAnsweredAtOnceNotAtTheTimeout() throws Exception {
    long start = System.nanoTime();
    start();
    peer.raw("GET / HTTP/1.1\r\n\r\n".getBytes(ISO_8859_1)); // shorter than the preface
    peer.expectConnectionError(ErrorCode.PROTOCOL_ERROR);
    assertThat(millisSince(start)).isLessThan(HANDSHAKE.toMillis());
  }

  @Test
  void anIdleConnectionReceivingPingsIsClosedAtTheIdleTimeout() throws Exception {
    start().handshake(Http2Settings.EMPTY);
    long start = System.nanoTime();
    Thread pinger =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    for (int i = 0; i < 100 && !stopTrickle.get(); i++) {
                      peer.send(new Frame.Ping(false, i));
                      Thread.sleep(50);
                    }
                  } catch (IOException | InterruptedException closed) {
                    // closed: done
                  }
                });
    peer.expectGracefulClose(); // PING ACKs are skipped on the way
    assertThat(millisSince(start)).isBetween(IDLE.toMillis() - 50, 4_000L);
    stopTrickle.set(true);
    pinger.join();
  }

  @Test
  void anIdleConnectionTricklingAFrameIsClosedAtTheIdleTimeout() throws Exception {
    start().handshake(Http2Settings.EMPTY);
    long start = System.nanoTime();
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    FrameWriter out = new FrameWriter(frames);
    for (int i = 0; i < 10; i++) out.ping(false, i); // 170 bytes: 8.5 s at 50 ms a byte
    trickle(frames.toByteArray(), 50);
    peer.expectGracefulClose();
    assertThat(millisSince(start)).isBetween(IDLE.toMillis() - 50, 4_000L);
  }

  @Test
  void aStreamInProgressKeepsTheConnectionThenIdlenessClosesIt() throws Exception {
    start().handshake(Http2Settings.EMPTY);
    peer.headers(1, true, request("GET", "/"));
    assertThat(server.opened().poll(5, TimeUnit.SECONDS)).isNotNull();
    Thread.sleep(3 * IDLE.toMillis()); // the handler takes its time: that is not idleness
    release.countDown();
    assertThat(peer.readResponse(1).text()).isEqualTo("ok");
    long answered = System.nanoTime();
    peer.expectGracefulClose();
    assertThat(millisSince(answered)).isBetween(IDLE.toMillis() - 50, 4_000L);
  }
}
