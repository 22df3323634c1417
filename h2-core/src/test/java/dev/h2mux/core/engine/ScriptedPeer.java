package dev.h2mux.core.engine;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.twitter.hpack.Encoder;
import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameReader;
import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.frame.FrameWriter;
import dev.h2mux.core.frame.Http2Settings;
import dev.h2mux.core.hpack.HpackDecoder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test peer that speaks raw frames to a real {@link Http2Connection} over loopback.
 *
 * <p>{@link #againstServer} runs the engine in SERVER role, each new stream handled on a virtual
 * thread by a {@link Handler}; the peer is the client. {@link #againstClient} runs the engine in
 * CLIENT role; the peer is the server and the test drives the engine through {@link #engine}.
 *
 * <p>Reads time out after {@link #TIMEOUT_MS}, so a missing frame fails the test instead of hanging
 * it. Every HEADERS block received is decoded, so the peer's HPACK state stays in step.
 */
final class ScriptedPeer implements AutoCloseable {
  static final int TIMEOUT_MS = 5_000;

  /** Serves one stream on the server engine. */
  @FunctionalInterface
  interface Handler {
    void handle(Http2Stream stream) throws Exception;
  }

  /** A decoded header block received. */
  record Head(int streamId, HttpFields fields, boolean endStream) {
    String status() {
      return fields.get(":status");
    }
  }

  /** A whole response: the final head, the body, and trailers (or null). */
  record Response(Head head, byte[] body, HttpFields trailers) {
    String text() {
      return new String(body, ISO_8859_1);
    }
  }

  final Http2Connection engine;
  final Socket socket;
  private final ServerSocket listener;
  private final BufferedOutputStream rawOut;
  private final FrameWriter out;
  private final BufferedInputStream bufferedIn;
  private final FrameReader in;
  private final Encoder encoder = new Encoder(4096);
  private final HpackDecoder decoder = new HpackDecoder(1 << 20, 4096);
  private final Map<Frame.Headers, HttpFields> decoded = new IdentityHashMap<>();
  private final Map<Integer, Long> credit = new HashMap<>();

  /** Streams the server engine opened, in order. */
  final BlockingQueue<Http2Stream> opened = new LinkedBlockingQueue<>();

  /** Exceptions thrown by handlers (resets are expected in many tests). */
  final List<Throwable> handlerFailures = new CopyOnWriteArrayList<>();

  final CompletableFuture<Void> engineClosed = new CompletableFuture<>();

  /** The engine's SETTINGS, once {@link #handshake} read them. */
  Http2Settings engineSettings;

  private ScriptedPeer(ServerSocket listener, Socket peerSocket, Http2Connection engine)
      throws IOException {
    this.listener = listener;
    this.socket = peerSocket;
    this.engine = engine;
    peerSocket.setSoTimeout(TIMEOUT_MS);
    peerSocket.setTcpNoDelay(true);
    this.rawOut = new BufferedOutputStream(peerSocket.getOutputStream(), 64 * 1024);
    this.out = new FrameWriter(rawOut);
    this.bufferedIn = new BufferedInputStream(peerSocket.getInputStream(), 64 * 1024);
    this.in = new FrameReader(bufferedIn, FrameType.MAX_MAX_FRAME_SIZE);
  }

  /** The engine as a server with {@code handler} for each stream; the peer is a raw client. */
  static ScriptedPeer againstServer(Http2Config config, Handler handler) throws IOException {
    return againstServer(config, handler, 0);
  }

  /**
   * As {@link #againstServer(Http2Config, Handler)}; a positive {@code socketBuffer} shrinks the
   * peer's receive buffer and the engine's send buffer, so an unread peer stalls the engine soon.
   */
  static ScriptedPeer againstServer(Http2Config config, Handler handler, int socketBuffer)
      throws IOException {
    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Socket client = new Socket();
    if (socketBuffer > 0) client.setReceiveBufferSize(socketBuffer);
    client.connect(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()),
        TIMEOUT_MS);
    listener.setSoTimeout(TIMEOUT_MS);
    Socket accepted = listener.accept();
    if (socketBuffer > 0) accepted.setSendBufferSize(socketBuffer);
    ScriptedPeer[] self = new ScriptedPeer[1];
    Http2Connection.Listener events =
        new Http2Connection.Listener() {
          @Override
          public void onStream(Http2Stream stream) {
            self[0].opened.add(stream);
            Thread.ofVirtual()
                .name("handler-" + stream.id())
                .start(
                    () -> {
                      try {
                        handler.handle(stream);
                      } catch (Throwable t) {
                        self[0].handlerFailures.add(t);
                        stream.reset(ErrorCode.INTERNAL_ERROR);
                      }
                    });
          }

          @Override
          public void onClose(Http2Connection connection) {
            self[0].engineClosed.complete(null);
          }
        };
    Http2Connection engine =
        new Http2Connection(
            Http2Connection.Role.SERVER,
            config,
            accepted,
            accepted.getInputStream(),
            accepted.getOutputStream(),
            events);
    self[0] = new ScriptedPeer(listener, client, engine);
    engine.start();
    return self[0];
  }

  /** The engine as a client; the peer is a raw server. */
  static ScriptedPeer againstClient(Http2Config config) throws IOException {
    return againstClient(config, 0);
  }

  /**
   * As {@link #againstClient(Http2Config)}; a positive {@code socketBuffer} shrinks the engine's
   * send buffer and the peer's receive buffer, so a peer that stops reading stalls the engine's
   * writer soon.
   */
  static ScriptedPeer againstClient(Http2Config config, int socketBuffer) throws IOException {
    ServerSocket listener = new ServerSocket();
    if (socketBuffer > 0) listener.setReceiveBufferSize(socketBuffer);
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    listener.setSoTimeout(TIMEOUT_MS);
    Socket client = new Socket();
    if (socketBuffer > 0) client.setSendBufferSize(socketBuffer);
    client.connect(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()),
        TIMEOUT_MS);
    Socket accepted = listener.accept();
    ScriptedPeer[] self = new ScriptedPeer[1];
    Http2Connection engine =
        new Http2Connection(
            Http2Connection.Role.CLIENT,
            config,
            client,
            client.getInputStream(),
            client.getOutputStream(),
            new Http2Connection.Listener() {
              @Override
              public void onClose(Http2Connection connection) {
                self[0].engineClosed.complete(null);
              }
            });
    self[0] = new ScriptedPeer(listener, accepted, engine);
    engine.start();
    return self[0];
  }

  // ------------------------------------------------------------------ handshake

  /** Client peer: the preface magic and SETTINGS, not flushed. */
  void sendPreface(Http2Settings settings) throws IOException {
    out.writePreface();
    out.settings(new Frame.Settings(false, settings));
  }

  /**
   * Completes the connection start: our preface (client peer) or checks the engine's (server peer),
   * our SETTINGS, the engine's SETTINGS acknowledged, and waits for its ACK of ours.
   */
  ScriptedPeer handshake(Http2Settings settings) throws IOException {
    if (engine.role() == Http2Connection.Role.SERVER) {
      sendPreface(settings);
    } else {
      in.readPreface();
      out.settings(new Frame.Settings(false, settings));
    }
    flush();
    boolean acked = false;
    while (engineSettings == null || !acked) {
      Frame frame = next();
      switch (frame) {
        case Frame.Settings s when s.ack() -> acked = true;
        case Frame.Settings s -> {
          assertThat(engineSettings).as("one SETTINGS in the preface").isNull();
          engineSettings = s.settings();
          out.settings(Frame.Settings.ACK);
          flush();
        }
        case Frame.WindowUpdate w -> assertThat(w.streamId()).isZero();
        case null -> fail("connection closed during the handshake");
        default -> fail("unexpected %s during the handshake", frame);
      }
    }
    return this;
  }

  /**
   * Server peer: reads the client engine's preface (magic, SETTINGS and its connection
   * WINDOW_UPDATE) and sends nothing, so the engine still assumes the RFC's default settings.
   */
  Http2Settings readClientPreface() throws IOException {
    in.readPreface();
    Frame settings = next();
    assertThat(settings).isInstanceOf(Frame.Settings.class);
    engineSettings = ((Frame.Settings) settings).settings();
    assertThat(next()).isInstanceOf(Frame.WindowUpdate.class);
    return engineSettings;
  }

  ScriptedPeer handshake() throws IOException {
    return handshake(Http2Settings.EMPTY);
  }

  // ------------------------------------------------------------------ writing

  FrameWriter writer() {
    return out;
  }

  void flush() throws IOException {
    rawOut.flush();
  }

  /** Writes bytes as they are. */
  void raw(byte[] bytes) throws IOException {
    rawOut.write(bytes);
    flush();
  }

  /** Writes and flushes a frame. */
  void send(Frame frame) throws IOException {
    out.write(frame);
    flush();
  }

  /** HPACK-encodes raw names and values (no lowercasing: the test says what goes on the wire). */
  byte[] encode(String... namesAndValues) throws IOException {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      encoder.encodeHeader(
          block,
          namesAndValues[i].getBytes(ISO_8859_1),
          namesAndValues[i + 1].getBytes(ISO_8859_1),
          false);
    }
    return block.toByteArray();
  }

  /** Sends one header block, split into CONTINUATIONs if it exceeds the frame size. */
  void headers(int streamId, boolean endStream, String... namesAndValues) throws IOException {
    out.headers(streamId, encode(namesAndValues), endStream, null);
    flush();
  }

  /** A HEADERS frame carrying {@code fragment} as it is, with exactly the flags given. */
  void headersFragment(int streamId, byte[] fragment, boolean endStream, boolean endHeaders)
      throws IOException {
    int flags =
        (endStream ? FrameType.FLAG_END_STREAM : 0) | (endHeaders ? FrameType.FLAG_END_HEADERS : 0);
    out.writeHeader(fragment.length, FrameType.HEADERS, flags, streamId);
    rawOut.write(fragment);
    flush();
  }

  /** A CONTINUATION frame carrying {@code fragment}; not flushed. */
  void continuation(int streamId, byte[] fragment, boolean endHeaders) throws IOException {
    out.write(new Frame.Continuation(streamId, fragment, endHeaders));
  }

  /** A request head for {@code method} and {@code path}, plus {@code extra} fields. */
  static String[] request(String method, String path, String... extra) {
    String[] base = {
      ":method", method, ":scheme", "http", ":authority", "localhost", ":path", path
    };
    String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  void get(int streamId, String path) throws IOException {
    headers(streamId, true, request("GET", path));
  }

  void data(int streamId, byte[] data, boolean endStream) throws IOException {
    out.data(streamId, data, 0, data.length, endStream);
    flush();
  }

  // ------------------------------------------------------------------ reading

  /**
   * The next frame, or null at the end of the connection. A HEADERS (with its CONTINUATIONs) is
   * returned as one HEADERS frame with END_HEADERS and the whole block, its fields decoded.
   */
  Frame next() throws IOException {
    Frame frame;
    try {
      frame = in.readFrame();
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no frame from the engine within " + TIMEOUT_MS + " ms", e);
    }
    if (frame instanceof Frame.WindowUpdate w)
      credit.merge(w.streamId(), (long) w.increment(), Long::sum);
    if (frame instanceof Frame.Headers h) return assemble(h);
    return frame;
  }

  private Frame.Headers assemble(Frame.Headers first) throws IOException {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.writeBytes(first.block());
    boolean end = first.endHeaders();
    while (!end) {
      Frame frame = in.readFrame();
      if (!(frame instanceof Frame.Continuation c) || c.streamId() != first.streamId()) {
        throw new AssertionError(
            "expected CONTINUATION of stream " + first.streamId() + ", got " + frame);
      }
      block.writeBytes(c.block());
      end = c.endHeaders();
    }
    Frame.Headers whole =
        new Frame.Headers(
            first.streamId(), block.toByteArray(), first.endStream(), true, first.priority());
    HpackDecoder.Block fields = decoder.decode(whole.block());
    assertThat(fields.tooLarge()).isFalse();
    assertThat(fields.malformed()).as("engine sent malformed fields").isNull();
    decoded.put(whole, fields.fields());
    return whole;
  }

  /**
   * True for frames a test that expects something else may pass over: SETTINGS, WINDOW_UPDATE and
   * PINGs. A PING from the engine is acknowledged on the way, as any peer does; a server engine
   * sends one after a response that ended before its request did (the ACK then stops the stream).
   */
  private boolean skip(Frame frame) throws IOException {
    if (frame instanceof Frame.Ping p && !p.ack()) {
      send(new Frame.Ping(true, p.payload()));
      return true;
    }
    return frame instanceof Frame.Settings
        || frame instanceof Frame.WindowUpdate
        || frame instanceof Frame.Ping;
  }

  /**
   * Reads until a frame of {@code type} arrives, skipping SETTINGS, WINDOW_UPDATE and PING ACKs
   * unless they are what is expected; anything else fails.
   */
  <T extends Frame> T expect(Class<T> type) throws IOException {
    while (true) {
      Frame frame = next();
      if (frame == null) fail("connection closed while expecting %s", type.getSimpleName());
      if (type.isInstance(frame)) return type.cast(frame);
      if (!skip(frame)) fail("expected %s, got %s", type.getSimpleName(), describe(frame));
    }
  }

  Frame.GoAway expectGoAway(ErrorCode error) throws IOException {
    Frame.GoAway goAway = expect(Frame.GoAway.class);
    assertThat(goAway.error()).as("GOAWAY %s", goAway).isEqualTo(error);
    return goAway;
  }

  /** GOAWAY with {@code error}, then the end of the connection. */
  Frame.GoAway expectConnectionError(ErrorCode error) throws IOException {
    Frame.GoAway goAway = expectGoAway(error);
    expectClosed();
    return goAway;
  }

  /**
   * A server's graceful close (RFC 9113 §6.8): GOAWAY(2^31-1, NO_ERROR), then (its PING answered on
   * the way) the final GOAWAY(NO_ERROR), then the end of the connection. Returns the final one.
   */
  Frame.GoAway expectGracefulClose() throws IOException {
    Frame.GoAway first = expectGoAway(ErrorCode.NO_ERROR);
    assertThat(first.lastStreamId()).as("first GOAWAY %s", first).isEqualTo(Integer.MAX_VALUE);
    Frame.GoAway last = expectGoAway(ErrorCode.NO_ERROR);
    expectClosed();
    return last;
  }

  void expectRstStream(int streamId, ErrorCode error) throws IOException {
    Frame.RstStream rst = expect(Frame.RstStream.class);
    assertThat(rst.streamId()).as("RST_STREAM stream").isEqualTo(streamId);
    assertThat(rst.error()).as("RST_STREAM error code").isEqualTo(error);
  }

  Head expectHeaders(int streamId) throws IOException {
    Frame.Headers headers = expect(Frame.Headers.class);
    assertThat(headers.streamId()).as("HEADERS stream").isEqualTo(streamId);
    return new Head(streamId, decoded.remove(headers), headers.endStream());
  }

  Frame.Data expectData(int streamId) throws IOException {
    Frame.Data data = expect(Frame.Data.class);
    assertThat(data.streamId()).as("DATA stream").isEqualTo(streamId);
    return data;
  }

  /**
   * Reads a whole response on {@code streamId}: 1xx heads skipped, the body gathered, and a
   * WINDOW_UPDATE for the stream and connection after each DATA so no window runs dry.
   */
  Response readResponse(int streamId) throws IOException {
    return readResponses(streamId).get(streamId);
  }

  /** Reads the whole responses of {@code streamIds}, which may interleave. */
  Map<Integer, Response> readResponses(int... streamIds) throws IOException {
    Map<Integer, Head> heads = new HashMap<>();
    Map<Integer, ByteArrayOutputStream> bodies = new HashMap<>();
    Map<Integer, HttpFields> trailers = new HashMap<>();
    java.util.Set<Integer> open = new java.util.HashSet<>();
    for (int id : streamIds) {
      open.add(id);
      bodies.put(id, new ByteArrayOutputStream());
    }
    while (!open.isEmpty()) {
      Frame frame = next();
      if (frame == null) fail("connection closed inside the responses of %s", open);
      switch (frame) {
        case Frame.Headers h when open.contains(h.streamId()) -> {
          HttpFields fields = decoded.remove(h);
          if (!heads.containsKey(h.streamId())) {
            String status = fields.get(":status");
            if (status != null && status.startsWith("1") && status.length() == 3) continue;
            heads.put(h.streamId(), new Head(h.streamId(), fields, h.endStream()));
          } else {
            assertThat(h.endStream()).as("trailers end the stream").isTrue();
            trailers.put(h.streamId(), fields);
          }
          if (h.endStream()) open.remove(h.streamId());
        }
        case Frame.Data d when open.contains(d.streamId()) && heads.containsKey(d.streamId()) -> {
          bodies.get(d.streamId()).writeBytes(d.bytes());
          if (d.endStream()) open.remove(d.streamId());
          if (d.flowLength() > 0) {
            out.windowUpdate(0, d.flowLength());
            if (!d.endStream()) out.windowUpdate(d.streamId(), d.flowLength());
            flush();
          }
        }
        default -> {
          if (!skip(frame)) fail("expected the responses of %s, got %s", open, describe(frame));
        }
      }
    }
    Map<Integer, Response> responses = new HashMap<>();
    for (int id : streamIds) {
      responses.put(
          id, new Response(heads.get(id), bodies.get(id).toByteArray(), trailers.get(id)));
    }
    return responses;
  }

  /** Reads until the connection ends; only frames {@link #skip} passes over may come before. */
  void expectClosed() throws IOException {
    while (true) {
      Frame frame;
      try {
        frame = next();
      } catch (EOFException | SocketException e) {
        return; // a reset after the engine closed with our bytes unread is an end too
      }
      if (frame == null) return;
      if (!skip(frame)) fail("expected the connection to end, got %s", describe(frame));
    }
  }

  /** Bytes from the engine that arrived and were not read yet (without blocking). */
  int bytesAvailable() throws IOException {
    return bufferedIn.available();
  }

  /** WINDOW_UPDATE increments received so far for {@code streamId} (0: the connection). */
  long credit(int streamId) {
    return credit.getOrDefault(streamId, 0L);
  }

  private String describe(Frame frame) {
    if (frame instanceof Frame.Headers h) return h + " " + decoded.get(h);
    return String.valueOf(frame);
  }

  @Override
  public void close() throws Exception {
    try {
      socket.close();
    } finally {
      engine.close();
      assertThat(engine.awaitTermination(TIMEOUT_MS, TimeUnit.MILLISECONDS))
          .as("engine threads ended")
          .isTrue();
      listener.close();
    }
  }
}
