package dev.h2mux.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.frame.FrameWriter;
import dev.h2mux.core.frame.Http2Settings;
import dev.h2mux.testkit.FramePeer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fixed-seed frame fuzz over real connections to a real server. Each case sends a valid request
 * (HEADERS, DATA, WINDOW_UPDATE) with one mutation — of a frame's type, flags, length, stream id,
 * padding, a window increment, a SETTINGS value, or raw bits — then a PING. The server must answer
 * every case by the RFC: where the mutation decides the error (a padding past the payload, a zero
 * or overflowing increment, a bad SETTINGS value, a fixed-size frame of the wrong length, a frame
 * on the wrong stream) with exactly that GOAWAY or RST_STREAM code; otherwise with GOAWAY or
 * RST_STREAM carrying a defined code other than INTERNAL_ERROR, or by going on (the PING's ACK). It
 * never closes without a GOAWAY, never hangs, never logs a warning or an uncaught exception, and
 * serves a good client afterwards.
 */
@Timeout(120)
class FrameFuzzTest {
  private static final int CASES = 2_000;
  private static final long PROBE = 0x0f00dL;

  private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PrintStream originalErr;
  private Thread.UncaughtExceptionHandler originalHandler;
  private Http2Server server;

  @BeforeEach
  void start() throws IOException {
    originalErr = System.err;
    // slf4j-simple looks System.err up on every call: what the server logs comes here
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    originalHandler = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
    server =
        Http2Server.builder()
            .port(0)
            .handler(
                (request, response) -> {
                  byte[] body = request.body().readAllBytes();
                  response.body().write(body);
                })
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    if (server != null) server.closeNow();
    System.setErr(originalErr);
    Thread.setDefaultUncaughtExceptionHandler(originalHandler);
    originalErr.print(log.toString(StandardCharsets.UTF_8)); // keep it in the test's output
  }

  /** One frame to send: its header fields and payload, mutable by the fuzzer. */
  private static final class RawFrame {
    int type;
    int flags;
    int streamId;
    byte[] payload;
    int declaredLength = -1; // -1: the payload's length

    RawFrame(int type, int flags, int streamId, byte[] payload) {
      this.type = type;
      this.flags = flags;
      this.streamId = streamId;
      this.payload = payload;
    }

    /** The frame as it goes on the wire: its header as declared, then its payload. */
    void writeTo(ByteArrayOutputStream out) throws IOException {
      new FrameWriter(out)
          .writeHeader(declaredLength < 0 ? payload.length : declaredLength, type, flags, streamId);
      out.writeBytes(payload);
    }
  }

  private static byte[] int32(long v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  /** What a case must get: a code decided by its mutation, or any answer the RFC allows. */
  private record Expected(String what, boolean connection, ErrorCode code) {
    static Expected any(String what) {
      return new Expected(what, false, null);
    }
  }

  /** The base request, then one mutation; returns what the answer must be. */
  private static Expected mutate(SplittableRandom random, List<RawFrame> frames, int kind) {
    RawFrame headers = frames.get(0);
    RawFrame data = frames.get(1);
    RawFrame window = frames.get(2);
    RawFrame pick = frames.get(random.nextInt(frames.size()));
    switch (kind) {
      case 0 -> { // padding at least as long as the payload
        data.flags |= FrameType.FLAG_PADDED;
        byte[] padded = new byte[1 + data.payload.length];
        padded[0] = (byte) random.nextInt(padded.length, 256);
        System.arraycopy(data.payload, 0, padded, 1, data.payload.length);
        data.payload = padded;
        return new Expected("padding past the payload", true, ErrorCode.PROTOCOL_ERROR);
      }
      case 1 -> { // a zero increment
        boolean onConnection = random.nextBoolean();
        window.streamId = onConnection ? 0 : 1;
        window.payload = int32(0);
        return onConnection
            ? new Expected("zero increment on the connection", true, ErrorCode.PROTOCOL_ERROR)
            : new Expected("zero increment on a stream", false, ErrorCode.PROTOCOL_ERROR);
      }
      case 2 -> { // an increment that overflows the connection window (65,535 + more than
        // 2^31-65,536)
        window.streamId = 0;
        window.payload =
            int32(random.nextLong(Integer.MAX_VALUE - 65_534L, Integer.MAX_VALUE + 1L));
        return new Expected("connection window above 2^31-1", true, ErrorCode.FLOW_CONTROL_ERROR);
      }
      case 3 -> { // a SETTINGS value, valid or not
        int id = random.nextInt(1, 9);
        long value =
            switch (random.nextInt(4)) {
              case 0 -> random.nextLong(0, 3);
              case 1 -> random.nextLong(16_383, 16_386);
              case 2 -> random.nextLong(16_777_214, 16_777_217);
              default -> random.nextLong(0x7ffffffeL, 0x100000000L);
            };
        byte[] setting = new byte[6];
        setting[1] = (byte) id;
        System.arraycopy(int32(value), 0, setting, 2, 4);
        frames.add(0, new RawFrame(FrameType.SETTINGS, 0, 0, setting));
        ErrorCode error =
            id == 2 && value > 1
                ? ErrorCode.PROTOCOL_ERROR
                : id == 4 && value > Integer.MAX_VALUE
                    ? ErrorCode.FLOW_CONTROL_ERROR
                    : id == 5 && (value < 16_384 || value > 16_777_215)
                        ? ErrorCode.PROTOCOL_ERROR
                        : null;
        return error == null
            ? Expected.any("SETTINGS " + id + "=" + value)
            : new Expected("SETTINGS " + id + "=" + value, true, error);
      }
      case 4 -> { // a fixed-size frame of another size
        int[] types = {
          FrameType.PING,
          FrameType.RST_STREAM,
          FrameType.WINDOW_UPDATE,
          FrameType.PRIORITY,
          FrameType.SETTINGS
        };
        int type = types[random.nextInt(types.length)];
        int right =
            switch (type) {
              case FrameType.PING -> 8;
              case FrameType.PRIORITY -> 5;
              case FrameType.SETTINGS -> 6;
              default -> 4;
            };
        int length = random.nextInt(0, 12);
        if (length == right || type == FrameType.SETTINGS && length % 6 == 0) length++;
        int stream = type == FrameType.PING || type == FrameType.SETTINGS ? 0 : 1;
        frames.add(1, new RawFrame(type, 0, stream, new byte[length]));
        // PRIORITY of the wrong size is a stream error (§6.3); the others end the connection
        boolean onStream = type == FrameType.PRIORITY;
        return new Expected(
            FrameType.name(type) + " of " + length + " bytes",
            !onStream,
            ErrorCode.FRAME_SIZE_ERROR);
      }
      case 5 -> { // a frame on the wrong stream
        switch (random.nextInt(4)) {
          case 0 -> {
            frames.add(
                1, new RawFrame(FrameType.PING, 0, 1 + 2 * random.nextInt(100), new byte[8]));
            return new Expected("PING on a stream", true, ErrorCode.PROTOCOL_ERROR);
          }
          case 1 -> {
            data.streamId = 0;
            return new Expected("DATA on stream 0", true, ErrorCode.PROTOCOL_ERROR);
          }
          case 2 -> {
            headers.streamId = 2 * random.nextInt(1, 100);
            return new Expected("HEADERS on an even stream", true, ErrorCode.PROTOCOL_ERROR);
          }
          default -> {
            data.streamId = 3 + 2 * random.nextInt(100);
            return new Expected("DATA on an idle stream", true, ErrorCode.PROTOCOL_ERROR);
          }
        }
      }
      case 6 -> { // longer than the frame size we allow
        frames.add(
            1, new RawFrame(random.nextInt(0, 10), 0, 1, new byte[16_385 + random.nextInt(100)]));
        return new Expected(
            "frame above SETTINGS_MAX_FRAME_SIZE", true, ErrorCode.FRAME_SIZE_ERROR);
      }
      case 7 -> {
        pick.type = random.nextInt(256);
        return Expected.any("type " + pick.type);
      }
      case 8 -> {
        pick.flags = random.nextInt(256);
        return Expected.any("flags " + pick.flags);
      }
      case 9 -> {
        int length = pick.payload.length;
        pick.declaredLength = Math.max(0, length + random.nextInt(-length - 1, 4));
        return Expected.any("declared length " + pick.declaredLength + " of " + length);
      }
      case 10 -> {
        pick.streamId = random.nextInt(8) == 0 ? random.nextInt() & 0x7fffffff : random.nextInt(8);
        return Expected.any("stream " + pick.streamId);
      }
      default -> {
        byte[] bits = pick.payload.clone();
        if (bits.length > 0) bits[random.nextInt(bits.length)] ^= (byte) (1 << random.nextInt(8));
        pick.payload = bits;
        return Expected.any("a flipped bit");
      }
    }
  }

  @Test
  void mutatedFramesGetTheRfcsAnswerAndTheServerGoesOn() throws Exception {
    SplittableRandom random = new SplittableRandom(0x9113_7541L);
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < CASES && problems.size() < 10; i++) {
      int kind = random.nextInt(12);
      String problem = runCase(random, kind);
      if (problem != null) problems.add("case " + i + " (kind " + kind + "): " + problem);
    }
    assertThat(problems).isEmpty();
    try (H2TestClient good = new H2TestClient(server.port())) {
      byte[] body = "still serving".getBytes(StandardCharsets.UTF_8);
      assertThat(good.send("POST", "/", body).body()).isEqualTo(body);
    }
    assertThat(uncaught).isEmpty();
    String logged = log.toString(StandardCharsets.UTF_8);
    assertThat(logged).doesNotContain(" WARN ", " ERROR ", "Exception in thread");
  }

  /**
   * Runs one case on a new connection; returns what went wrong, or null. After the handshake the
   * peer neither answers PINGs nor gives back windows: what the server sees is the case alone.
   */
  private String runCase(SplittableRandom random, int kind) throws IOException {
    try (FramePeer peer = FramePeer.connect(server.port())) {
      peer.handshake(Http2Settings.EMPTY.with(Http2Settings.INITIAL_WINDOW_SIZE, 1 << 20))
          .answerPings(false)
          .replenishWindows(false);
      List<RawFrame> frames = new ArrayList<>();
      byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
      frames.add(
          new RawFrame(
              FrameType.HEADERS,
              FrameType.FLAG_END_HEADERS,
              1,
              peer.encode(FramePeer.request("POST", "/", "content-length", "5"))));
      frames.add(new RawFrame(FrameType.DATA, FrameType.FLAG_END_STREAM, 1, body));
      frames.add(new RawFrame(FrameType.WINDOW_UPDATE, 0, 0, int32(1000)));
      Expected expected = mutate(random, frames, kind);
      // A GOAWAY of ours (a mutated type) lets the server close without one of its own (§6.8).
      boolean weSentGoAway = frames.stream().anyMatch(f -> f.type == FrameType.GOAWAY);
      // A frame declared longer than it is swallows the next ones: the server waits for bytes we
      // never send. We end our side; a frame cut by the end of the input ends the connection.
      boolean truncates = frames.stream().anyMatch(f -> f.declaredLength > f.payload.length);
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      for (RawFrame frame : frames) frame.writeTo(wire);
      new RawFrame(FrameType.PING, 0, 0, new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xf0, 0x0d})
          .writeTo(wire);
      try {
        peer.raw(wire.toByteArray());
        if (truncates) peer.socket().shutdownOutput();
      } catch (SocketException closedEarly) {
        // the server answered an early frame and closed; its answer is still to be read
      }
      String problem = check(peer, expected);
      return (weSentGoAway || truncates)
              && problem != null
              && problem.contains("closed without GOAWAY")
          ? null
          : problem;
    }
  }

  private static String check(FramePeer peer, Expected expected) throws IOException {
    List<Frame.RstStream> resets = new ArrayList<>();
    try {
      for (Frame frame; (frame = peer.next()) != null; ) {
        if (frame instanceof Frame.GoAway g) {
          try {
            Frame after = peer.next();
            if (after != null) return expected.what + ": " + after + " after " + g;
          } catch (SocketException resetAfterTheGoAway) {
            // closed with our bytes unread: the end of the connection too
          }
          return checkCode(expected, g.error(), true, resets);
        }
        if (frame instanceof Frame.RstStream r) resets.add(r);
        if (frame instanceof Frame.Ping p && p.ack() && p.payload() == PROBE) {
          if (expected.connection && expected.code != null) {
            return expected.what + ": wanted GOAWAY(" + expected.code + "), the server went on";
          }
          if (resets.isEmpty()) {
            return expected.code == null
                ? null
                : expected.what + ": wanted RST(" + expected.code + ")";
          }
          return checkCode(expected, resets.get(0).error(), false, resets);
        }
      }
    } catch (AssertionError peerFailure) {
      // no frame within FramePeer.TIMEOUT_MS, or a frame that breaks the RFC; with the trace
      return expected.what + ": " + peerFailure.getMessage();
    } catch (SocketException reset) {
      // a reset after the GOAWAY is fine; without one it is not
    }
    return expected.what + ": closed without GOAWAY (resets " + resets + ")";
  }

  private static String checkCode(
      Expected expected, ErrorCode code, boolean connection, List<Frame.RstStream> resets) {
    if (expected.code != null) {
      if (code != expected.code || connection != expected.connection) {
        return expected.what
            + ": wanted "
            + (expected.connection ? "GOAWAY(" : "RST(")
            + expected.code
            + "), got "
            + (connection ? "GOAWAY(" : "RST(")
            + code
            + ")";
      }
      return null;
    }
    if (code == ErrorCode.INTERNAL_ERROR) return expected.what + ": INTERNAL_ERROR";
    for (Frame.RstStream r : resets) {
      if (r.error() == ErrorCode.INTERNAL_ERROR) return expected.what + ": RST INTERNAL_ERROR";
    }
    return null;
  }
}
