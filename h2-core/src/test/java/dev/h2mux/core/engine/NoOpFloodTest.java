package dev.h2mux.core.engine;

import static dev.h2mux.testkit.FramePeer.request;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.frame.FrameWriter;
import dev.h2mux.core.frame.Http2Settings;
import dev.h2mux.testkit.EngineUnderTest;
import dev.h2mux.testkit.FramePeer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Floods of frames that do nothing (CVE-2019-9518) and of frames that make us answer with a stream
 * error: each is cut off with ENHANCE_YOUR_CALM after the budget (AbuseLimits.DEFAULTS: 100 at
 * once, then 10 per second), and a legitimate peer's few such frames never reach it.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class NoOpFloodTest {
  /** How many flood frames a test writes: ten times the burst, so the cut must come first. */
  private static final int FLOOD = 1_000;

  private EngineUnderTest server;
  private FramePeer peer;

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) server.close();
  }

  private void start() throws IOException {
    server =
        EngineUnderTest.server(
            Http2Config.DEFAULTS,
            stream -> {
              byte[] body = stream.input().readAllBytes();
              stream.sendHeaders(HttpFields.of(":status", "200"), false);
              stream.output().write(("got " + body.length).getBytes(ISO_8859_1));
              stream.output().close();
            });
    peer = server.peer();
    peer.handshake();
  }

  enum Flood {
    EMPTY_DATA,
    PADDING_ONLY_DATA,
    EMPTY_CONTINUATIONS,
    EMPTY_SETTINGS,
    PRIORITY,
    UNKNOWN_TYPE,
    WINDOW_UPDATE_FOR_NO_KNOWN_STREAM,
    STREAM_ERRORS
  }

  @ParameterizedTest
  @EnumSource(Flood.class)
  void aFloodIsCutOff(Flood flood) throws Exception {
    start();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    FrameWriter out = new FrameWriter(bytes);
    switch (flood) {
      case EMPTY_DATA, PADDING_ONLY_DATA, STREAM_ERRORS ->
          out.headers(1, peer.encode(request("POST", "/")), false, null);
      case EMPTY_CONTINUATIONS -> {
        out.writeHeader(0, FrameType.HEADERS, 0, 1); // no END_HEADERS: CONTINUATIONs follow
      }
      case WINDOW_UPDATE_FOR_NO_KNOWN_STREAM ->
          // opening stream 2001 closes every lower odd id without ever opening it (§5.1.1)
          out.headers(2001, peer.encode(request("POST", "/")), false, null);
      default -> {}
    }
    for (int i = 0; i < FLOOD; i++) {
      switch (flood) {
        case EMPTY_DATA -> out.writeHeader(0, FrameType.DATA, 0, 1);
        case PADDING_ONLY_DATA -> {
          out.writeHeader(4, FrameType.DATA, FrameType.FLAG_PADDED, 1);
          bytes.write(new byte[] {3, 0, 0, 0});
        }
        case EMPTY_CONTINUATIONS -> out.writeHeader(0, FrameType.CONTINUATION, 0, 1);
        case EMPTY_SETTINGS -> out.writeHeader(0, FrameType.SETTINGS, 0, 0);
        case PRIORITY ->
            out.write(new Frame.PriorityFrame(3 + 2 * i, new Frame.Priority(0, false, 16)));
        case UNKNOWN_TYPE -> out.writeHeader(0, 0xfa, 0, 0);
        case WINDOW_UPDATE_FOR_NO_KNOWN_STREAM -> out.windowUpdate(1 + 2 * (i % 1000), 1);
        // WINDOW_UPDATE with increment 0 on a stream: a stream error each (§6.9)
        case STREAM_ERRORS -> {
          out.writeHeader(4, FrameType.WINDOW_UPDATE, 0, 1);
          bytes.write(new byte[4]);
        }
      }
    }
    try {
      peer.raw(bytes.toByteArray());
    } catch (IOException cutOffWhileWriting) {
      // the engine may close before it has read everything
    }
    readUntilGoAway(ErrorCode.ENHANCE_YOUR_CALM);
  }

  /** Skips the answers a flood may get before the cut (RST_STREAM, 200s), then wants GOAWAY. */
  private void readUntilGoAway(ErrorCode error) throws IOException {
    for (Frame frame; (frame = peer.next()) != null; ) {
      if (frame instanceof Frame.GoAway g) {
        assertThat(g.error()).as("GOAWAY %s", g).isEqualTo(error);
        peer.expectClosed();
        return;
      }
    }
    throw new AssertionError("connection closed without GOAWAY");
  }

  @Test
  void aLegitimatePeersFewNoOpFramesNeverReachTheBudget() throws Exception {
    start();
    // What browsers send at the start: an empty SETTINGS, a PRIORITY tree on idle streams, a
    // GREASE frame of a reserved type.
    peer.send(new Frame.Settings(false, Http2Settings.EMPTY));
    for (int id = 3; id <= 13; id += 2) {
      peer.send(new Frame.PriorityFrame(id, new Frame.Priority(0, false, 200)));
    }
    peer.writer().writeHeader(0, 0x0b, 0, 0);
    peer.flush();
    // Then many requests with bodies ended by an empty DATA, a WINDOW_UPDATE for each stream
    // after it closed (it crossed the END_STREAM), neither of them a no-op, and a PRIORITY_UPDATE
    // (RFC 9218) for each stream, which is one, paid for by the stream.
    for (int id = 15; id < 15 + 2 * 300; id += 2) {
      peer.headers(id, false, request("POST", "/"));
      peer.writer().writeHeader(5, 0x10, 0, 0);
      peer.raw(
          new byte[] {(byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id, 'u'});
      peer.data(id, false, "body".getBytes(ISO_8859_1));
      peer.data(id, true, new byte[0]);
      assertThat(peer.readResponse(id).text()).isEqualTo("got 4");
      peer.send(new Frame.WindowUpdate(id, 100));
    }
    peer.send(new Frame.Ping(false, 3));
    assertThat(peer.expect(Frame.Ping.class)).isEqualTo(new Frame.Ping(true, 3));
  }
}
