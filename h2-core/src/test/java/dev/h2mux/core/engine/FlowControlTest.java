package dev.h2mux.core.engine;

import static dev.h2mux.testkit.FramePeer.request;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.Http2Settings;
import dev.h2mux.testkit.EngineUnderTest;
import dev.h2mux.testkit.FramePeer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Send and receive windows of the engine (RFC 9113 §5.2, §6.9), frame by frame. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FlowControlTest {
  private EngineUnderTest engine;
  private FramePeer peer;

  @AfterEach
  void tearDown() throws Exception {
    if (engine != null) engine.close();
  }

  /** The engine as a server; the peer gives back no window by itself: each test does. */
  private FramePeer server(Http2Config config, EngineUnderTest.StreamHandler handler)
      throws IOException {
    engine = EngineUnderTest.server(config, handler);
    peer = engine.peer().replenishWindows(false);
    return peer;
  }

  /** Answers every request with {@code body}. */
  private static EngineUnderTest.StreamHandler respond(byte[] body) {
    return stream -> {
      stream.input().readAllBytes();
      stream.sendHeaders(HttpFields.of(":status", "200"), false);
      stream.output().write(body);
      stream.output().close();
    };
  }

  private static byte[] alphabet(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) ('a' + i % 26);
    return b;
  }

  /**
   * A client's DATA credited under the RFC's default window before the server's SETTINGS arrived
   * must reach the server before the SETTINGS ACK: the server opens the stream with its smaller
   * window once it has the ACK (§6.5.3, §6.9.2), and would take that DATA for a flow-control
   * violation. The engine's writer is held in a socket write (a header block far larger than the
   * socket buffers, which the peer does not read yet), so the request's frames are still queued
   * when the SETTINGS arrive: the ACK must queue behind them.
   */
  @Test
  void settingsAckFollowsDataCreditedUnderTheOldInitialWindow() throws Exception {
    engine = EngineUnderTest.client(Http2Config.DEFAULTS, 4096);
    peer = engine.peer().replenishWindows(false);
    peer.readPreface();
    peer.expect(Frame.WindowUpdate.class); // the connection window: from here on, stream 1
    HttpFields large = requestHead("GET", "/large").copy();
    large.add("x-large", "x".repeat(500_000));
    engine.engine().newStream(large, true, TimeUnit.SECONDS.toNanos(5));
    await(() -> available(peer) > 0, "the engine began writing stream 1");

    Http2Stream upload = engine.engine().newStream(requestHead("POST", "/up"), false, WAIT);
    upload.output().write(alphabet(65_535)); // the whole default window, in four DATA frames
    upload.output().flush();
    peer.send(
        new Frame.Settings(
            false, Http2Settings.EMPTY.with(Http2Settings.INITIAL_WINDOW_SIZE, 16_384)));
    await(() -> sendWindow(upload) == 16_384 - 65_535, "the engine applied the SETTINGS");

    assertThat(peer.expectHeaders(1).fields().get("x-large")).hasSize(500_000);
    long dataBeforeAck = 0;
    boolean headersBeforeAck = false;
    for (Frame frame = peer.next(); !Frame.Settings.ACK.equals(frame); frame = peer.next()) {
      if (frame instanceof Frame.Headers h && h.streamId() == 3) headersBeforeAck = true;
      if (frame instanceof Frame.Data d && d.streamId() == 3) dataBeforeAck += d.length();
    }
    assertThat(headersBeforeAck).as("stream 3's HEADERS before the ACK").isTrue();
    assertThat(dataBeforeAck)
        .as("DATA credited under the old window, before the ACK")
        .isEqualTo(65_535);
  }

  private static final long WAIT = TimeUnit.SECONDS.toNanos(5);

  private static HttpFields requestHead(String method, String path) {
    return HttpFields.of(
        ":method", method, ":scheme", "http", ":authority", "localhost", ":path", path);
  }

  private static int available(FramePeer peer) {
    try {
      return peer.bytesAvailable();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long sendWindow(Http2Stream stream) {
    stream.connection().lock.lock();
    try {
      return stream.sendWindow.window();
    } finally {
      stream.connection().lock.unlock();
    }
  }

  /** Waits until {@code condition} holds, polling; fails after five seconds. */
  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
      Thread.sleep(1);
    }
  }

  @Test
  void oneByteWindowGivesOneByteFramesOnePerWindowUpdate() throws IOException {
    byte[] body = "hello".getBytes(ISO_8859_1);
    peer = server(Http2Config.DEFAULTS, respond(body));
    peer.handshake(Http2Settings.EMPTY.with(Http2Settings.INITIAL_WINDOW_SIZE, 1));
    peer.get(1, "/");
    assertThat(peer.expectHeaders(1).status()).isEqualTo("200");
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    for (int i = 0; i < body.length; i++) {
      Frame.Data data = peer.expectData(1);
      assertThat(data.length()).as("DATA #%d", i).isEqualTo(1);
      assertThat(data.endStream()).isEqualTo(i == body.length - 1);
      received.writeBytes(data.bytes());
      if (i < body.length - 1) peer.send(new Frame.WindowUpdate(1, 1));
    }
    assertThat(received.toByteArray()).isEqualTo(body);
  }

  @Test
  void initialWindowChangeMidTransferMayGoNegativeAndRecover() throws IOException {
    byte[] body = alphabet(30);
    peer = server(Http2Config.DEFAULTS, respond(body));
    peer.handshake(Http2Settings.EMPTY.with(Http2Settings.INITIAL_WINDOW_SIZE, 10));
    peer.get(1, "/");
    peer.expectHeaders(1);
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    Frame.Data first = peer.expectData(1);
    assertThat(first.length()).isEqualTo(10); // the whole window
    received.writeBytes(first.bytes());

    // 10 -> 4: the stream's window goes from 0 to -6 (§6.9.2)
    peer.send(
        new Frame.Settings(false, Http2Settings.EMPTY.with(Http2Settings.INITIAL_WINDOW_SIZE, 4)));
    assertThat(peer.expect(Frame.Settings.class)).isEqualTo(Frame.Settings.ACK);
    peer.send(new Frame.WindowUpdate(1, 6)); // back to 0: nothing may be sent
    peer.send(new Frame.WindowUpdate(1, 5)); // 5
    Frame.Data second = peer.expectData(1);
    assertThat(second.length()).as("exactly the 5 bytes of credit").isEqualTo(5);
    assertThat(second.endStream()).isFalse();
    received.writeBytes(second.bytes());

    // 4 -> 100: +96 on a window of 0
    peer.send(
        new Frame.Settings(
            false, Http2Settings.EMPTY.with(Http2Settings.INITIAL_WINDOW_SIZE, 100)));
    Frame.Data rest = peer.expectData(1);
    assertThat(rest.length()).isEqualTo(15);
    assertThat(rest.endStream()).isTrue();
    received.writeBytes(rest.bytes());
    assertThat(received.toByteArray()).isEqualTo(body);
  }

  @Test
  void connectionWindowLimitsAllStreams() throws IOException {
    byte[] body = alphabet(70_000);
    peer = server(Http2Config.DEFAULTS, respond(body));
    peer.handshake(Http2Settings.EMPTY.with(Http2Settings.INITIAL_WINDOW_SIZE, 1 << 20));
    peer.get(1, "/");
    peer.expectHeaders(1);
    int received = 0;
    while (received < 65_535) {
      Frame.Data data = peer.expectData(1);
      assertThat(data.endStream()).isFalse();
      received += data.length();
    }
    assertThat(received).as("exactly the default connection window").isEqualTo(65_535);
    peer.send(new Frame.WindowUpdate(0, 1000));
    assertThat(peer.expectData(1).length()).isEqualTo(1000);
    peer.send(new Frame.WindowUpdate(0, 1 << 20));
    int rest = 0;
    Frame.Data data;
    do {
      data = peer.expectData(1);
      rest += data.length();
    } while (!data.endStream());
    assertThat(rest).isEqualTo(70_000 - 65_535 - 1000);
  }

  @Test
  void receiveWindowsAreReplenishedAsTheHandlerReads() throws IOException {
    int window = 16_384;
    Http2Config config =
        Http2Config.DEFAULTS.withInitialWindowSize(window).withConnectionWindowSize(65_535);
    peer =
        server(
            config,
            stream -> {
              long n = 0;
              byte[] buffer = new byte[1000];
              InputStream in = stream.input();
              for (int r; (r = in.read(buffer)) > 0; ) n += r;
              stream.sendHeaders(HttpFields.of(":status", "200"), false);
              stream.output().write(Long.toString(n).getBytes(ISO_8859_1));
              stream.output().close();
            });
    peer.handshake();
    assertThat(peer.otherSettings().initialWindowSize()).isEqualTo(window);
    int total = 5 * window; // more than the connection window, too
    peer.headers(1, false, request("POST", "/count"));
    int sent = 0;
    while (sent < total) {
      long streamWindow = window + peer.credit(1) - sent;
      long connectionWindow = 65_535 + peer.credit(0) - sent;
      int chunk =
          (int) Math.min(Math.min(total - sent, 4096), Math.min(streamWindow, connectionWindow));
      if (chunk <= 0) {
        peer.expect(Frame.WindowUpdate.class); // only the engine's reading can open it again
        continue;
      }
      peer.data(1, false, new byte[chunk]);
      sent += chunk;
    }
    peer.data(1, true, new byte[0]);
    assertThat(peer.credit(1))
        .as("stream window replenished")
        .isGreaterThanOrEqualTo(total - window);
    assertThat(peer.credit(0))
        .as("connection window replenished")
        .isGreaterThanOrEqualTo(total - 65_535);
    FramePeer.Response response = peer.readResponse(1);
    assertThat(response.head().status()).isEqualTo("200");
    assertThat(response.text()).isEqualTo(Integer.toString(total));
  }
}
