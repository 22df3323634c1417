package dev.h2mux.testkit;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.twitter.hpack.Encoder;
import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameLog;
import dev.h2mux.core.frame.FrameObserver;
import dev.h2mux.core.frame.FrameReader;
import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.frame.FrameWriter;
import dev.h2mux.core.frame.Http2Exception;
import dev.h2mux.core.frame.Http2Settings;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One end of an HTTP/2 connection over a real loopback socket, driven frame by frame by a test: the
 * client of a server under test, or the server of a client under test. What it sends and receives
 * is recorded as {@link FrameLog} lines, through the {@link FrameObserver} hook of its own reader
 * and writer, and every field block is decoded both ways, so HPACK stays in step and lines show
 * fields:
 *
 * <pre>{@code
 * peer.handshake();
 * peer.headers(1, true, FramePeer.request("GET", "/"));
 * assertThat(peer.framesUntilEndStream(1))
 *     .containsExactly("<< HEADERS 1 END_HEADERS :status=200", "<< DATA 1 END_STREAM 5");
 * }</pre>
 *
 * <p>While it reads, it behaves like a plain peer unless told otherwise: it acknowledges SETTINGS
 * (and applies the other end's SETTINGS_MAX_FRAME_SIZE to what it writes), answers PING ({@link
 * #answerPings}), and gives back every DATA frame's bytes at once with WINDOW_UPDATEs for the
 * stream and the connection ({@link #replenishWindows}). All of that is in the {@link #trace}.
 * Frames are handed out in the order they arrived; those a call did not ask for wait for the next.
 *
 * <p>Reads time out after {@link #TIMEOUT_MS} and fail the test with the trace so far. Used by one
 * thread at a time, except that its sending methods may be called from a second thread while the
 * first reads (a test that trickles bytes or PINGs while it waits for the answer).
 */
public final class FramePeer implements AutoCloseable {
  /** How long a read waits for a frame before the test fails, unless {@link #readTimeout} says. */
  public static final int TIMEOUT_MS = 5_000;

  /** Which end the peer plays. */
  public enum Role {
    /** Sends the preface and opens odd streams. */
    CLIENT,
    /** Reads the preface. */
    SERVER
  }

  /** A decoded field block received: its stream, its fields, and whether it ended the stream. */
  public record Head(int streamId, HttpFields fields, boolean endStream) {
    /** The {@code :status} of a response head. */
    public String status() {
      return fields.get(":status");
    }
  }

  /** A whole response: the final head (1xx skipped), the body, and trailers or null. */
  public record Response(Head head, byte[] body, HttpFields trailers) {
    /** The body as text. */
    public String text() {
      return new String(body, UTF_8);
    }
  }

  private final Role role;
  private final Socket socket;
  private final BufferedOutputStream rawOut;
  private final FrameWriter out;
  private final BufferedInputStream bufferedIn;
  private final FrameReader in;
  private final WireTrace trace = new WireTrace();
  private final Encoder encoder = new Encoder(4096);
  private final ArrayDeque<WireTrace.Received> backlog = new ArrayDeque<>();
  private final Map<Integer, Long> credit = new HashMap<>();
  private final List<Long> pingTimes = new CopyOnWriteArrayList<>();
  private volatile boolean answerPings = true;
  private volatile boolean acknowledgeSettings = true;
  private boolean replenishWindows = true;
  private volatile Http2Settings otherSettings; // read by tests after a script ran
  private int settingsAcks;

  /** The frame {@link #nextReceived} handed out last, with its line and fields. */
  private WireTrace.Received lastHandedOut;

  private FramePeer(Role role, Socket socket) throws IOException {
    this.role = role;
    this.socket = socket;
    socket.setSoTimeout(TIMEOUT_MS);
    socket.setTcpNoDelay(true);
    this.rawOut = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    this.out = new FrameWriter(rawOut);
    this.bufferedIn = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    this.in = new FrameReader(bufferedIn, FrameType.MAX_MAX_FRAME_SIZE);
    out.observer(trace);
    in.observer(trace);
  }

  /** The client end of a connected socket. */
  public static FramePeer client(Socket socket) throws IOException {
    return new FramePeer(Role.CLIENT, socket);
  }

  /** The server end of an accepted socket. */
  public static FramePeer server(Socket socket) throws IOException {
    return new FramePeer(Role.SERVER, socket);
  }

  /** A client connected to {@code port} on the loopback address. */
  public static FramePeer connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), FramePeer.TIMEOUT_MS);
    return client(socket);
  }

  /** The end this peer plays. */
  public Role role() {
    return role;
  }

  /** The socket, for tests that shrink buffers or half-close it. */
  public Socket socket() {
    return socket;
  }

  /** Every frame so far, both ways, as {@link FrameLog} lines in the order they were handled. */
  public List<String> trace() {
    return trace.lines();
  }

  /**
   * How long each read waits for a frame from now on: shorter for a test that expects none to come,
   * so that it fails or passes without waiting {@link #TIMEOUT_MS}.
   */
  public FramePeer readTimeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
    return this;
  }

  /** False: PINGs are no longer answered, as by a peer that stopped responding. */
  public FramePeer answerPings(boolean answer) {
    this.answerPings = answer;
    return this;
  }

  /**
   * False: the other end's SETTINGS are no longer acknowledged, as by a peer that is silent or has
   * not started its side of the connection yet.
   */
  public FramePeer acknowledgeSettings(boolean acknowledge) {
    this.acknowledgeSettings = acknowledge;
    return this;
  }

  /** False: received DATA is no longer given back, so the other end's windows run dry. */
  public FramePeer replenishWindows(boolean replenish) {
    this.replenishWindows = replenish;
    return this;
  }

  /** The other end's SETTINGS, once received (merged, if it sent several). */
  public Http2Settings otherSettings() {
    return otherSettings;
  }

  /** When each PING (not an ACK) arrived, in {@link System#nanoTime} units, in order. */
  public List<Long> pingTimes() {
    return pingTimes;
  }

  /** WINDOW_UPDATE increments received so far for {@code streamId} (0: the connection). */
  public long credit(int streamId) {
    return credit.getOrDefault(streamId, 0L);
  }

  // ------------------------------------------------------------------ the connection preface

  /**
   * Starts the connection as §3.4 has it: a client sends the preface and {@code settings}; a server
   * reads the preface and sends {@code settings}. Then it waits until the other end's SETTINGS came
   * (and were acknowledged) and ours were acknowledged; other frames that come first wait for the
   * next read.
   */
  public FramePeer handshake(Http2Settings settings) throws IOException {
    if (role == Role.CLIENT) {
      out.writePreface();
      trace.note(">> PREFACE");
    } else {
      in.readPreface();
      trace.note("<< PREFACE");
    }
    out.settings(new Frame.Settings(false, settings));
    flush();
    int acksBefore = settingsAcks;
    List<WireTrace.Received> early = new ArrayList<>();
    while (otherSettings == null || settingsAcks == acksBefore) {
      WireTrace.Received r = readFromSocket();
      if (r == null) throw failure("the connection ended during the handshake", null);
      if (!(r.frame() instanceof Frame.Settings)) early.add(r);
    }
    backlog.addAll(early);
    return this;
  }

  /** {@link #handshake(Http2Settings)} with no settings of our own. */
  public FramePeer handshake() throws IOException {
    return handshake(Http2Settings.EMPTY);
  }

  /**
   * Server role: reads the client's preface up to its SETTINGS and sends nothing, not even the ACK:
   * the other end goes on with the RFC's defaults for us, as with a server that has not started its
   * side of the connection yet. Frames that come after the SETTINGS wait for the next read.
   *
   * @return the other end's SETTINGS
   */
  public Http2Settings readPreface() throws IOException {
    in.readPreface();
    trace.note("<< PREFACE");
    boolean acknowledge = acknowledgeSettings;
    acknowledgeSettings = false;
    try {
      while (otherSettings == null) {
        WireTrace.Received r = readFromSocket();
        if (r == null) throw failure("the connection ended during the preface", null);
        if (!(r.frame() instanceof Frame.Settings)) backlog.add(r);
      }
    } finally {
      acknowledgeSettings = acknowledge;
    }
    return otherSettings;
  }

  // ------------------------------------------------------------------ sending

  /** The frame writer, for frames no helper here writes; flush after. */
  public FrameWriter writer() {
    return out;
  }

  /** Flushes what was written. */
  public synchronized void flush() throws IOException {
    rawOut.flush();
  }

  /** Writes and flushes bytes as they are: a broken preface, half a frame. Traced as a count. */
  public synchronized void raw(byte[] bytes) throws IOException {
    trace.note(">> raw " + bytes.length + " bytes");
    rawOut.write(bytes);
    flush();
  }

  /** Writes and flushes a frame. */
  public synchronized void send(Frame frame) throws IOException {
    out.write(frame);
    flush();
  }

  /** HPACK-encodes names and values exactly as given (no lowercasing: the test says the bytes). */
  public byte[] encode(String... namesAndValues) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    try {
      for (int i = 0; i < namesAndValues.length; i += 2) {
        encoder.encodeHeader(
            block,
            namesAndValues[i].getBytes(ISO_8859_1),
            namesAndValues[i + 1].getBytes(ISO_8859_1),
            false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return block.toByteArray();
  }

  /** Sends one field block: HEADERS, and CONTINUATIONs if it is longer than a frame. */
  public synchronized void headers(int streamId, boolean endStream, String... namesAndValues)
      throws IOException {
    out.headers(streamId, encode(namesAndValues), endStream, null);
    flush();
  }

  /** As {@link #headers(int, boolean, String...)}, with the fields of {@code fields}. */
  public void headers(int streamId, boolean endStream, HttpFields fields) throws IOException {
    String[] namesAndValues = new String[fields.size() * 2];
    for (int i = 0; i < fields.size(); i++) {
      namesAndValues[2 * i] = fields.name(i);
      namesAndValues[2 * i + 1] = fields.value(i);
    }
    headers(streamId, endStream, namesAndValues);
  }

  /** A HEADERS frame carrying {@code fragment} as it is, with exactly the flags given. */
  public synchronized void headersFragment(
      int streamId, byte[] fragment, boolean endStream, boolean endHeaders) throws IOException {
    int flags =
        (endStream ? FrameType.FLAG_END_STREAM : 0) | (endHeaders ? FrameType.FLAG_END_HEADERS : 0);
    trace.frame(
        FrameObserver.Direction.SENT,
        new Frame.Headers(streamId, fragment, endStream, endHeaders, null));
    out.writeHeader(fragment.length, FrameType.HEADERS, flags, streamId);
    rawOut.write(fragment);
    flush();
  }

  /** A CONTINUATION frame carrying {@code fragment}. */
  public void continuation(int streamId, byte[] fragment, boolean endHeaders) throws IOException {
    send(new Frame.Continuation(streamId, fragment, endHeaders));
  }

  /** A request head's fields, pseudo-fields first: {@code :method}, {@code :scheme http}, … */
  public static String[] request(String method, String path, String... extra) {
    String[] base = {
      ":method", method, ":scheme", "http", ":authority", "localhost", ":path", path
    };
    String[] all = Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  /** A GET without a body on {@code streamId}. */
  public void get(int streamId, String path) throws IOException {
    headers(streamId, true, request("GET", path));
  }

  /** DATA, split into frames the other end accepts. */
  public synchronized void data(int streamId, boolean endStream, byte[] data) throws IOException {
    out.data(streamId, data, 0, data.length, endStream);
    flush();
  }

  /** DATA of {@code text} in UTF-8. */
  public void data(int streamId, boolean endStream, String text) throws IOException {
    data(streamId, endStream, text.getBytes(UTF_8));
  }

  /** A whole response: {@code :status 200}, its content-length, and {@code body}. */
  public void respond(int streamId, String body) throws IOException {
    byte[] bytes = body.getBytes(UTF_8);
    headers(streamId, false, ":status", "200", "content-length", Integer.toString(bytes.length));
    data(streamId, true, bytes);
  }

  /** RST_STREAM with {@code error}. */
  public synchronized void rstStream(int streamId, ErrorCode error) throws IOException {
    out.rstStream(streamId, error.code());
    flush();
  }

  /** GOAWAY with {@code error} and debug text. */
  public synchronized void goAway(int lastStreamId, ErrorCode error, String debug)
      throws IOException {
    out.goAway(lastStreamId, error.code(), debug.getBytes(UTF_8));
    flush();
  }

  /** A PING (not an ACK). */
  public synchronized void ping(long payload) throws IOException {
    out.ping(false, payload);
    flush();
  }

  /** A WINDOW_UPDATE; stream 0 for the connection. */
  public synchronized void windowUpdate(int streamId, int increment) throws IOException {
    out.windowUpdate(streamId, increment);
    flush();
  }

  // ------------------------------------------------------------------ receiving

  /** The next frame, whatever it is (null once the connection ended): raw, as on the wire. */
  public Frame next() throws IOException {
    WireTrace.Received r = nextReceived();
    return r == null ? null : r.frame();
  }

  /**
   * Reads until the other end ends {@code streamId} (END_STREAM, or RST_STREAM) and returns the
   * lines of that stream's frames, this side's view ({@code <<}). WINDOW_UPDATEs are left out: they
   * follow the other end's reads, not the exchange. Frames of other streams and of the connection
   * wait for the next read.
   */
  public List<String> framesUntilEndStream(int streamId) throws IOException {
    List<String> lines = new ArrayList<>();
    for (WireTrace.Received r : untilEndStream(streamId)) {
      if (!(r.frame() instanceof Frame.WindowUpdate)) lines.add(r.line());
    }
    return lines;
  }

  /**
   * Reads until a frame of {@code type} arrives, past SETTINGS, PING, WINDOW_UPDATE and PRIORITY
   * (handled as usual); anything else first fails the test.
   */
  public <T extends Frame> T expect(Class<T> type) throws IOException {
    while (true) {
      WireTrace.Received r = nextReceived();
      if (r == null) throw failure("the connection ended while expecting " + type.getSimpleName());
      if (type.isInstance(r.frame())) return type.cast(r.frame());
      if (!isHousekeeping(r.frame())) {
        throw failure("expected " + type.getSimpleName() + ", got " + r.line());
      }
    }
  }

  /** The next field block, with its CONTINUATIONs; it must be on {@code streamId}. */
  public Head expectHeaders(int streamId) throws IOException {
    Frame.Headers first = expect(Frame.Headers.class);
    if (first.streamId() != streamId) {
      throw failure("expected HEADERS on stream " + streamId + ", got them on " + first.streamId());
    }
    return finishBlock(first);
  }

  /** Waits for a request (server role): the next HEADERS, whatever its stream. */
  public Head awaitRequest() throws IOException {
    return finishBlock(expect(Frame.Headers.class));
  }

  /**
   * The next request's head (server role), passing over whatever comes first: the bodies of earlier
   * requests, RST_STREAM, anything; null once the connection ended.
   */
  public Head nextRequest() throws IOException {
    Frame.Headers headers = awaitFrame(Frame.Headers.class);
    return headers == null ? null : finishBlock(headers);
  }

  /**
   * Reads until a frame of {@code type} arrives, passing over any other (each handled as usual);
   * null once the connection ended.
   */
  public <T extends Frame> T awaitFrame(Class<T> type) throws IOException {
    for (WireTrace.Received r; (r = nextReceived()) != null; ) {
      if (type.isInstance(r.frame())) return type.cast(r.frame());
    }
    return null;
  }

  /** RST_STREAM on {@code streamId} with {@code error}. */
  public Frame.RstStream expectRstStream(int streamId, ErrorCode error) throws IOException {
    Frame.RstStream rst = expect(Frame.RstStream.class);
    if (rst.streamId() != streamId || rst.errorCode() != error.code()) {
      throw failure(
          "expected RST_STREAM " + streamId + " " + error + ", got " + FrameLog.describe(rst));
    }
    return rst;
  }

  /** The next DATA frame, which must be on {@code streamId}. */
  public Frame.Data expectData(int streamId) throws IOException {
    Frame.Data data = expect(Frame.Data.class);
    if (data.streamId() != streamId) {
      throw failure("expected DATA on stream " + streamId + ", got " + FrameLog.describe(data));
    }
    return data;
  }

  /** GOAWAY with {@code error}. */
  public Frame.GoAway expectGoAway(ErrorCode error) throws IOException {
    Frame.GoAway goAway = expect(Frame.GoAway.class);
    if (goAway.errorCode() != error.code()) {
      throw failure("expected GOAWAY " + error + ", got " + FrameLog.describe(goAway));
    }
    return goAway;
  }

  /** A connection error (§5.4.1): GOAWAY with {@code error}, then the end of the connection. */
  public Frame.GoAway expectConnectionError(ErrorCode error) throws IOException {
    Frame.GoAway goAway = expectGoAway(error);
    expectClosed();
    return goAway;
  }

  /**
   * A server's graceful close (RFC 9113 §6.8): GOAWAY(2^31-1, NO_ERROR), then (its PING answered on
   * the way, unless {@link #answerPings} said not to) the final GOAWAY(NO_ERROR), then the end of
   * the connection. Returns the final GOAWAY.
   */
  public Frame.GoAway expectGracefulClose() throws IOException {
    Frame.GoAway first = expectGoAway(ErrorCode.NO_ERROR);
    if (first.lastStreamId() != Integer.MAX_VALUE) {
      throw failure(
          "expected GOAWAY with last stream 2^31-1 first, got " + FrameLog.describe(first));
    }
    Frame.GoAway last = expectGoAway(ErrorCode.NO_ERROR);
    expectClosed();
    return last;
  }

  /** Reads until the connection ends; only SETTINGS, PING, WINDOW_UPDATE may come first. */
  public void expectClosed() throws IOException {
    while (true) {
      WireTrace.Received r;
      try {
        r = nextReceived();
      } catch (EOFException | SocketException e) {
        return; // a reset after the other end closed with our bytes unread is an end too
      }
      if (r == null) return;
      if (!isHousekeeping(r.frame())) throw failure("expected the end, got " + r.line());
    }
  }

  /**
   * A whole response on {@code streamId}: 1xx heads skipped, the body gathered, trailers if any.
   */
  public Response readResponse(int streamId) throws IOException {
    ResponseBuilder response = new ResponseBuilder(streamId);
    for (WireTrace.Received r : untilEndStream(streamId)) response.add(r);
    return response.build();
  }

  /**
   * The whole responses of {@code streamIds}, which may interleave: each as {@link #readResponse}
   * reads it. Frames of other streams wait for the next read.
   */
  public Map<Integer, Response> readResponses(int... streamIds) throws IOException {
    Map<Integer, Response> responses = new HashMap<>();
    Map<Integer, ResponseBuilder> open = new HashMap<>();
    for (int id : streamIds) open.put(id, new ResponseBuilder(id));
    List<WireTrace.Received> others = new ArrayList<>();
    try {
      while (!open.isEmpty()) {
        WireTrace.Received r = nextReceived();
        if (r == null)
          throw failure("the connection ended inside the responses of " + open.keySet());
        ResponseBuilder response = open.get(r.frame().streamId());
        if (response == null) {
          if (!isHousekeeping(r.frame())) others.add(r);
          continue;
        }
        if (response.add(r)) {
          open.remove(response.streamId);
          responses.put(response.streamId, response.build());
        }
      }
    } finally {
      // What came for others waits for the next read, ahead of what has not been read yet.
      for (int i = others.size() - 1; i >= 0; i--) backlog.addFirst(others.get(i));
    }
    return responses;
  }

  /** Gathers one response frame by frame: 1xx heads skipped, the body, trailers if any. */
  private final class ResponseBuilder {
    final int streamId;
    final StreamEnd end = new StreamEnd();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    Frame.Headers blockStart;
    Head head;
    HttpFields trailers;

    ResponseBuilder(int streamId) {
      this.streamId = streamId;
    }

    /** Takes a frame of the stream; true once it ended the stream. */
    boolean add(WireTrace.Received r) {
      switch (r.frame()) {
        case Frame.RstStream rst -> throw failure("stream " + streamId + " reset: " + r.line());
        case Frame.Data d -> body.writeBytes(d.bytes());
        case Frame.Headers h -> blockStart = h;
        default -> {}
      }
      HttpFields fields = r.fields();
      if (fields != null && blockStart != null) {
        String status = fields.get(":status");
        if (head == null && status != null && status.startsWith("1")) {
          // a 1xx head: skipped
        } else if (head == null) {
          head = new Head(streamId, fields, blockStart.endStream());
        } else {
          trailers = fields;
        }
      }
      return end.reachedBy(r.frame());
    }

    Response build() {
      if (head == null) throw failure("stream " + streamId + " ended without a response head");
      return new Response(head, body.toByteArray(), trailers);
    }
  }

  /** Bytes from the other end that arrived and were not read yet, without blocking. */
  public int bytesAvailable() throws IOException {
    return bufferedIn.available();
  }

  /** Reads and discards until the other end closes the connection. */
  public void drain() throws IOException {
    try {
      while (nextReceived() != null) {
        // discard
      }
    } catch (EOFException | SocketException e) {
      // ended
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  // ------------------------------------------------------------------ internals

  /** The frames of {@code streamId} up to its end; other frames stay queued, in order. */
  private List<WireTrace.Received> untilEndStream(int streamId) throws IOException {
    StreamEnd end = new StreamEnd();
    List<WireTrace.Received> mine = new ArrayList<>();
    Iterator<WireTrace.Received> queued = backlog.iterator();
    while (queued.hasNext()) {
      WireTrace.Received r = queued.next();
      if (r.frame().streamId() != streamId) continue;
      queued.remove();
      mine.add(r);
      if (end.reachedBy(r.frame())) return mine;
    }
    List<WireTrace.Received> others = new ArrayList<>();
    while (true) {
      WireTrace.Received r = readFromSocket();
      if (r == null) {
        backlog.addAll(others);
        throw failure("the connection ended before stream " + streamId + " did");
      }
      if (r.frame().streamId() != streamId) {
        others.add(r);
        continue;
      }
      mine.add(r);
      if (end.reachedBy(r.frame())) {
        backlog.addAll(others);
        return mine;
      }
    }
  }

  /**
   * Watches one stream's frames for its end: RST_STREAM, DATA with END_STREAM, or a field block
   * with END_STREAM, which ends with the block's last frame (§5.1: END_STREAM on a HEADERS takes
   * effect after its CONTINUATIONs).
   */
  private static final class StreamEnd {
    private boolean endsWithBlock;

    boolean reachedBy(Frame frame) {
      return switch (frame) {
        case Frame.RstStream r -> true;
        case Frame.Data d -> d.endStream();
        case Frame.Headers h -> {
          endsWithBlock = h.endStream();
          yield endsWithBlock && h.endHeaders();
        }
        case Frame.Continuation c -> endsWithBlock && c.endHeaders();
        default -> false;
      };
    }
  }

  private static boolean isHousekeeping(Frame frame) {
    return frame instanceof Frame.Settings
        || frame instanceof Frame.Ping
        || frame instanceof Frame.WindowUpdate
        || frame instanceof Frame.PriorityFrame;
  }

  /** Completes a field block begun by {@code first}: its CONTINUATIONs, then the fields. */
  private Head finishBlock(Frame.Headers first) throws IOException {
    WireTrace.Received end = lastHandedOut;
    while (!(end.frame() instanceof Frame.Headers h && h.endHeaders()
        || end.frame() instanceof Frame.Continuation c && c.endHeaders())) {
      end = nextReceived();
      if (end == null || !(end.frame() instanceof Frame.Continuation)) {
        throw failure("expected CONTINUATION of stream " + first.streamId());
      }
    }
    return new Head(first.streamId(), end.fields(), first.endStream());
  }

  private WireTrace.Received nextReceived() throws IOException {
    WireTrace.Received r = backlog.isEmpty() ? readFromSocket() : backlog.poll();
    lastHandedOut = r;
    return r;
  }

  /** Reads one frame and does what a plain peer does with it; null at the end of the stream. */
  private WireTrace.Received readFromSocket() throws IOException {
    Frame frame;
    try {
      frame = in.readFrame();
    } catch (SocketTimeoutException e) {
      throw failure("no frame within " + socket.getSoTimeout() + " ms", e);
    } catch (Http2Exception e) {
      throw failure("the other end sent a frame that breaks RFC 9113", e);
    }
    if (frame == null) return null;
    WireTrace.Received r = trace.takeLast();
    synchronized (this) { // a test may write from a thread of its own meanwhile
      reply(frame);
    }
    return r;
  }

  /** What a plain peer sends back for {@code frame}. */
  private void reply(Frame frame) throws IOException {
    switch (frame) {
      case Frame.Settings s when s.ack() -> settingsAcks++;
      case Frame.Settings s -> {
        otherSettings =
            s.settings().mergeInto(otherSettings == null ? Http2Settings.EMPTY : otherSettings);
        if (acknowledgeSettings) {
          if (s.settings().isSet(Http2Settings.MAX_FRAME_SIZE)) {
            out.maxFrameSize(s.settings().maxFrameSize());
          }
          out.settings(Frame.Settings.ACK);
          flush();
        }
      }
      case Frame.Ping p when !p.ack() -> {
        pingTimes.add(System.nanoTime());
        if (answerPings) {
          out.ping(true, p.payload());
          flush();
        }
      }
      case Frame.WindowUpdate w -> credit.merge(w.streamId(), (long) w.increment(), Long::sum);
      case Frame.Data d when replenishWindows && d.flowLength() > 0 -> {
        out.windowUpdate(0, d.flowLength());
        if (!d.endStream()) out.windowUpdate(d.streamId(), d.flowLength());
        flush();
      }
      default -> {}
    }
  }

  private AssertionError failure(String message) {
    return failure(message, null);
  }

  private AssertionError failure(String message, Throwable cause) {
    return new AssertionError(message + "\ntrace:\n  " + String.join("\n  ", trace()), cause);
  }
}
