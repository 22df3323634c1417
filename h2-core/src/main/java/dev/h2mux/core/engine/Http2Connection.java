package dev.h2mux.core.engine;

import static dev.h2mux.core.frame.ErrorCode.FLOW_CONTROL_ERROR;
import static dev.h2mux.core.frame.ErrorCode.PROTOCOL_ERROR;
import static dev.h2mux.core.frame.ErrorCode.STREAM_CLOSED;
import static dev.h2mux.core.frame.Http2Exception.connectionError;
import static dev.h2mux.core.frame.Http2Exception.streamError;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.engine.StreamResetException.Reason;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameReader;
import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.frame.Http2Exception;
import dev.h2mux.core.frame.Http2Settings;
import dev.h2mux.core.hpack.HpackDecoder;
import dev.h2mux.core.http.Http2Messages;
import dev.h2mux.core.http.MalformedMessageException;
import dev.h2mux.core.http.RequestHead;
import dev.h2mux.core.http.ResponseHead;
import dev.h2mux.core.io.PeekableInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/2 connection, either end (RFC 9113). The role only decides stream-id parity, who sends
 * the preface, and which heads are received; everything else — settings, the §5.1 stream state
 * machine, flow control, GOAWAY, limits — is here, once.
 *
 * <p>Threads: one virtual thread reads frames and handles them without ever blocking on application
 * code or flow control; one {@link ConnectionWriter} writes; streams are read and written by
 * application threads. Shared state is guarded by {@link #lock}.
 */
public final class Http2Connection implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(Http2Connection.class);
  private static final int MAX_WINDOW = Integer.MAX_VALUE;
  private static final int DEFAULT_WINDOW = 65_535;

  /** CONTINUATION frames one block may span: an empty-CONTINUATION flood is cut off here. */
  private static final int MAX_CONTINUATIONS = 512;

  private static final int ASSUMED_MAX_CONCURRENT_STREAMS = 100;

  /**
   * How long a graceful shutdown waits for the ACK of its PING before it sends the final GOAWAY
   * anyway (§6.8): a round trip, generously; a peer that never answers must not hold it up.
   */
  static final long GOAWAY_PING_TIMEOUT_MILLIS = 1_000;

  /** Made once: a peer may reset streams by the thousand (CVE-2023-44487). */
  private static final String[] PEER_RESET_MESSAGES =
      java.util.Arrays.stream(ErrorCode.values())
          .map(e -> "stream reset by peer: " + e)
          .toArray(String[]::new);

  /** How long a connection that receives no frame keeps its spare DATA chunks. */
  private static final long SPARE_CHUNK_HOLD_MILLIS = 1_000;

  /** Which end of the connection we are. */
  public enum Role {
    CLIENT,
    SERVER
  }

  /** What the connection tells its owner. Called on the reader thread: must not block. */
  public interface Listener {
    /** The peer opened a stream with a valid request (server role). */
    default void onStream(Http2Stream stream) {}

    /** The connection ended; no more streams will be opened. */
    default void onClose(Http2Connection connection) {}
  }

  final ReentrantLock lock = new ReentrantLock();
  private final Condition windowOpened = lock.newCondition();
  private final Condition slotFreed = lock.newCondition();
  private final Role role;
  private final Http2Config config;
  private final Socket socket;
  private final PeekableInputStream in;

  /**
   * Streams that received DATA since their readers were last woken; only the reader thread touches
   * it. Readers are woken once the next frame is not wholly buffered (the reader is about to wait
   * for the socket), not per frame: a download's application thread then wakes once per socket read
   * of several frames instead of once per 16 KiB frame, and those wake-ups (futex calls of the
   * carrier threads) were a third of the client's CPU.
   */
  private final ArrayList<Http2Stream> toWake = new ArrayList<>(0);

  /** The socket's read timeout now, in milliseconds; only the reader changes it. */
  private int readTimeoutMillis;

  /** The idle timeout, converted once: the frame-read loop uses it for every frame. */
  private final long idleNanos;

  private final long idleMillis;

  /** Whether the writer was told to give up spare chunks (quiet); only the reader uses it. */
  private boolean sparesReleased;

  /** The peer's SETTINGS_MAX_FRAME_SIZE: streams size their DATA writes by it. */
  private volatile int peerMaxFrameSize = FrameType.DEFAULT_MAX_FRAME_SIZE;

  private final ConnectionWriter writer;
  private final Listener listener;
  private final HpackDecoder decoder;
  private final String name;

  /** Counted down by the reader, the writer, and the socket's close. */
  private final CountDownLatch terminated = new CountDownLatch(3);

  private final CountDownLatch writerDone = new CountDownLatch(1);
  private final CountDownLatch readerDone = new CountDownLatch(1);
  private final LingeringClose closing;

  /**
   * Counted down once the final GOAWAY of a graceful shutdown is queued, or the connection ended.
   */
  private final CountDownLatch finalGoAwayQueued = new CountDownLatch(1);

  // Guarded by lock.
  private final Map<Integer, Http2Stream> streams = new HashMap<>();
  private Http2Settings peerSettings = Http2Settings.DEFAULTS;

  /** Only what the peer sent (its SETTINGS and an h2c Upgrade's HTTP2-Settings), no defaults. */
  private Http2Settings peerSettingsSent = Http2Settings.EMPTY;

  private boolean localSettingsAcked;
  private boolean peerSettingsReceived;
  private long connectionSendWindow = DEFAULT_WINDOW;
  private int connectionReceiveWindow = DEFAULT_WINDOW;
  private int connectionUnacknowledged;
  private int lastPeerStreamId;
  private int nextLocalStreamId;
  private int activeLocal;
  private int activePeer;
  private boolean goAwaySent;
  // A server's graceful shutdown first sends GOAWAY(2^31-1), then the final one (§6.8).
  private boolean finalGoAwaySent;
  private ErrorCode goAwayError = ErrorCode.NO_ERROR;
  private byte[] goAwayDebug = new byte[0];
  private int goAwaySentLastId = Integer.MAX_VALUE;
  private int goAwayReceivedLastId = -1;
  private boolean closed;
  private final Map<Long, CompletableFuture<Void>> pings = new HashMap<>();

  /** How the streams closed lately ended: what a late frame on one of them gets (§5.1). */
  private final ClosedStreams closedStreams = new ClosedStreams(1024);

  /** Server streams answered before their request ended, to be stopped (§8.1). */
  private final EarlyResponses earlyResponses = new EarlyResponses();

  /** Streams opened, counted so the idle clock sees streams that came and went between reads. */
  private int streamsOpened;

  private long nextPing = 1;

  private Http2Stream upgradeStream; // stream 1 of an h2c Upgrade, until the preface arrives
  // Reader thread only.
  private final RateBudget resetBudget;
  private final RateBudget noOpBudget;

  /** Streams the peer opened whose handlers are not started yet; see {@link #dispatchStreams}. */
  private final ArrayList<Http2Stream> toDispatch = new ArrayList<>(0);

  private final IdleClock idleClock;

  /** The read timeout for the rest of a frame once its first byte is in. */
  private long frameTimeoutMillis;

  // Reader thread only: the field block being assembled across CONTINUATIONs.
  private Frame.Headers pendingHeaders;
  private ByteArrayOutputStream pendingBlock;
  private int pendingContinuations;

  /**
   * Creates a connection over an accepted or connected socket. Nothing happens until {@link
   * #start}.
   *
   * @param in the socket's input, possibly with bytes already read pushed back (the server peeks at
   *     the preface, an Upgrade has read the HTTP/1.1 request)
   */
  public Http2Connection(
      Role role,
      Http2Config config,
      Socket socket,
      InputStream in,
      OutputStream out,
      Listener listener) {
    this.role = role;
    this.config = config;
    this.socket = socket;
    // A server hands over the buffered stream it detected the protocol with; a second
    // buffer would only copy every byte once more. A server holds many connections, and
    // 16 KiB holds a burst of requests. A client holds few and mostly downloads: 64 KiB
    // lets one read syscall carry several DATA frames (1 GiB from nghttpd: ~0.8 -> see
    // docs/BENCHMARKS.md).
    this.in =
        in instanceof PeekableInputStream buffered
            ? buffered
            : new PeekableInputStream(in, role == Role.CLIENT ? 64 * 1024 : 16 * 1024);
    this.writer =
        new ConnectionWriter(
            out, 64 * 1024, config.maxQueuedControlFrames(), config.maxQueuedDataBytes());
    this.listener = listener;
    this.idleNanos = config.idleTimeout().toNanos();
    this.idleMillis = config.idleTimeout().toMillis();
    this.frameTimeoutMillis = idleMillis;
    this.idleClock = new IdleClock(idleNanos);
    AbuseLimits limits = config.abuseLimits();
    this.resetBudget = new RateBudget(limits.resetBurst(), limits.resetsPerSecond());
    this.noOpBudget = new RateBudget(limits.noOpFrameBurst(), limits.noOpFramesPerSecond());
    this.decoder = new HpackDecoder(config.maxHeaderListSize(), 4096);
    this.nextLocalStreamId = role == Role.CLIENT ? 1 : 2;
    this.name = "h2-" + role.name().toLowerCase() + "-" + socket.getPort();
    this.closing = new LingeringClose(socket, name, terminated::countDown);
  }

  /** Our role. */
  public Role role() {
    return role;
  }

  /** The limits we enforce. */
  public Http2Config config() {
    return config;
  }

  /** The socket under this connection. */
  public Socket socket() {
    return socket;
  }

  /**
   * Starts the reader and writer threads, after queueing the preface: our SETTINGS (and for a
   * client the magic first), then a WINDOW_UPDATE that opens the connection window.
   */
  public void start() throws IOException {
    queuePreface();
    Thread.ofVirtual().name(name + "-writer").start(this::runWriter);
    // A client has few connections and mostly waits on responses: its reader blocks on a
    // platform thread, so arriving data wakes it in the kernel instead of through the
    // virtual-thread poller and a carrier (a 1 GiB download: ~14 % faster, ~13 % less CPU).
    // A server holds thousands of connections; their readers stay virtual (see serve()).
    Thread.Builder reader = role == Role.CLIENT ? Thread.ofPlatform().daemon() : Thread.ofVirtual();
    reader.name(name + "-reader").start(this::runReader);
  }

  /**
   * Runs the connection on the calling thread until it ends: the reader loop runs here and only the
   * writer gets a thread of its own, so a server connection costs two threads, not three. Returns
   * once the socket is closed.
   */
  public void serve() throws IOException {
    queuePreface();
    Thread.ofVirtual().name(name + "-writer").start(this::runWriter);
    runReader();
    try {
      terminated.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new InterruptedIOException("interrupted while serving");
    }
  }

  /**
   * Prepares a server connection after an h2c Upgrade (RFC 7540 §3.2), before {@link #serve}: the
   * HTTP2-Settings payload counts as the client's first SETTINGS, and the upgrade request becomes
   * stream 1, half-closed (remote), with its body already received. The listener gets stream 1
   * through {@link Listener#onStream} once the client's preface has arrived.
   */
  public Http2Stream adoptUpgrade(RequestHead request, byte[] body, byte[] http2Settings)
      throws IOException {
    Http2Settings settings = parseUpgradeSettings(http2Settings);
    Http2Stream stream;
    lock.lock();
    try {
      applySettingsLocked(settings);
      stream =
          new Http2Stream(this, 1, peerSettings.initialWindowSize(), config.initialWindowSize());
      stream.request(request);
      // The body arrived over HTTP/1.1, before any window existed; count it against the
      // connection window anyway, so reading it credits back only what it took.
      connectionReceiveWindow -= body.length;
      stream.receiveData(new Frame.Data(1, body, 0, body.length, true, body.length));
      streams.put(1, stream);
      lastPeerStreamId = 1;
      activePeer++;
    } finally {
      lock.unlock();
    }
    upgradeStream = stream;
    return stream;
  }

  /**
   * Starts a client connection after the server accepted an h2c Upgrade: the request already sent
   * is stream 1, half-closed (local).
   */
  public Http2Stream startUpgradedClient() throws IOException {
    Http2Stream stream;
    lock.lock();
    try {
      stream = new Http2Stream(this, 1, DEFAULT_WINDOW, config.initialWindowSize());
      stream.markLocalClosed();
      streams.put(1, stream);
      nextLocalStreamId = 3;
      activeLocal++;
    } finally {
      lock.unlock();
    }
    start();
    return stream;
  }

  private static Http2Settings parseUpgradeSettings(byte[] payload) throws IOException {
    return Http2Settings.parsePayload(payload);
  }

  private void queuePreface() throws IOException {
    Http2Settings ours =
        Http2Settings.EMPTY
            .with(Http2Settings.MAX_CONCURRENT_STREAMS, config.maxConcurrentStreams())
            .with(Http2Settings.INITIAL_WINDOW_SIZE, config.initialWindowSize())
            .with(Http2Settings.MAX_FRAME_SIZE, config.maxFrameSize())
            .with(Http2Settings.MAX_HEADER_LIST_SIZE, config.maxHeaderListSize());
    if (role == Role.CLIENT) ours = ours.with(Http2Settings.ENABLE_PUSH, 0);
    Frame.Settings settings = new Frame.Settings(false, ours);
    boolean client = role == Role.CLIENT;
    writer.control(
        (w, e) -> {
          if (client) w.writePreface();
          w.settings(settings);
        });
    int increment = config.connectionWindowSize() - DEFAULT_WINDOW;
    if (increment > 0) {
      lock.lock();
      try {
        connectionReceiveWindow += increment;
      } finally {
        lock.unlock();
      }
      writer.control((w, e) -> w.windowUpdate(0, increment));
    }
  }

  // ---------------------------------------------------------------- threads

  private void runWriter() {
    try {
      writer.run();
    } finally {
      if (writer.failed()) {
        // The socket can't be written any more: nothing left to preserve.
        terminate(null, null);
        closing.close();
      } else {
        closing.outputDone(); // FIN after the last frame; the reader lingers for the peer's
      }
      writerDone.countDown();
      terminated.countDown();
    }
  }

  private void runReader() {
    try {
      readTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, idleMillis);
      socket.setSoTimeout(readTimeoutMillis);
      FrameReader reader = new FrameReader(in, config.maxFrameSize());
      reader.dataBuffers(writer::takeChunk);
      Frame first =
          Handshake.read(in, reader, role == Role.SERVER, handshakeTimeout(), this::readTimeout);
      if (first == null) {
        log.debug("{}: no preface and SETTINGS within {}", name, handshakeTimeout());
        terminate(ErrorCode.NO_ERROR, "no preface and SETTINGS within " + handshakeTimeout());
        return;
      }
      if (!(first instanceof Frame.Settings s) || s.ack()) {
        throw connectionError(
            PROTOCOL_ERROR, "the preface must start with SETTINGS, got %s", first);
      }
      handleFrame(first);
      if (upgradeStream != null) {
        // Only now, with the client's preface in, is the upgraded request answered: a client
        // such as curl 7.88 keeps what follows the 101 in a 32 KiB buffer and fails if a
        // response arrives on the heels of our SETTINGS.
        Http2Stream stream = upgradeStream;
        upgradeStream = null;
        listener.onStream(stream);
      }
      for (Frame frame; (frame = readFrame(reader)) != null; ) {
        handleFrame(frame);
      }
      log.debug("{}: peer closed the connection", name);
      terminate(null, null);
    } catch (Http2Exception e) {
      log.debug("{}: {}", name, e.getMessage());
      terminate(e.error(), e.getMessage());
    } catch (IOException e) {
      log.debug("{}: connection lost: {}", name, e.toString());
      terminate(null, null);
    } catch (RuntimeException e) {
      log.warn("{}: internal error", name, e);
      terminate(ErrorCode.INTERNAL_ERROR, "internal error");
    } finally {
      closing.discardInput(in); // never close with unread input: see LingeringClose
      readerDone.countDown();
      terminated.countDown();
    }
  }

  private java.time.Duration handshakeTimeout() {
    return config.abuseLimits().handshakeTimeout();
  }

  /**
   * Reads the next frame, answering stream errors here and waiting out quiet periods. Before it may
   * wait for the socket it hands the streams opened since to the listener (see {@link
   * #dispatchStreams}) and wakes their readers. A connection without streams for the idle timeout
   * is shut down even if frames without a stream keep arriving; one quiet for {@link
   * #SPARE_CHUNK_HOLD_MILLIS} gives up its spare DATA chunks and keeps none until frames come
   * again, and stops the streams it answered early ({@link EarlyResponses}). All of it rides on the
   * socket's read timeout: no timer of its own.
   */
  private Frame readFrame(FrameReader reader) throws IOException {
    while (true) {
      // Wake readers before the socket can make us wait: unless a whole frame is buffered.
      if (!toWake.isEmpty() && in.buffered() < FrameType.HEADER_LENGTH + config.maxFrameSize()) {
        wakeReaders();
      }
      if (!toDispatch.isEmpty() && !nextFrameBuffered()) dispatchStreams();
      try {
        if (in.buffered() == 0 && !awaitFrame()) return null;
        // A frame once begun gets the rest of the idle timeout (all of it while streams are
        // open): a stall inside a frame ends the connection (FrameReader).
        readTimeout(frameTimeoutMillis);
        Frame frame = reader.readFrame();
        if (sparesReleased) keepSpares();
        return frame;
      } catch (Http2Exception e) {
        if (e.isConnectionError()) throw e;
        if (sparesReleased) keepSpares();
        streamErrorReceived(e);
      } catch (SocketTimeoutException e) {
        if (!sparesReleased) {
          writer.releaseSpareChunks();
          sparesReleased = true;
        }
        stopEarlyResponses(true);
      } catch (IOException e) {
        if (!(e.getCause() instanceof SocketTimeoutException) || !idleClock.running()) throw e;
        log.debug("{}: idle for {} and trickling a frame, closing", name, config.idleTimeout());
        shutdownGracefully();
        return null;
      }
    }
  }

  /**
   * Waits for the next frame's first bytes, where a timeout leaves the stream at a frame boundary.
   * The clock is read only here, not per frame. Returns false once the connection has been idle for
   * the idle timeout and was shut down.
   */
  private boolean awaitFrame() throws IOException {
    long now = System.nanoTime();
    long idleLeft = idleLeftNanos(now);
    if (idleLeft <= 0) {
      log.debug("{}: idle for {}, closing", name, config.idleTimeout());
      shutdownGracefully();
      if (isIdle()) return false;
      idleLeft = idleNanos;
    }
    long wait = Math.max(1, Math.min(idleLeft, idleNanos) / 1_000_000);
    frameTimeoutMillis = idleLeft == Long.MAX_VALUE ? idleMillis : wait;
    // Where chunks are or may soon be in use, or streams wait to be stopped, wait at most the
    // hold. An idle connection skips that: each timeout costs an exception, and 5,000 idle
    // connections showed it in their RSS.
    boolean hold =
        !sparesReleased && (writer.chunksTaken() || idleLeft == Long.MAX_VALUE)
            || hasEarlyResponses();
    readTimeout(hold ? Math.min(wait, SPARE_CHUNK_HOLD_MILLIS) : wait);
    in.awaitData();
    return true;
  }

  /** The idle time left (see {@link IdleClock}), or Long.MAX_VALUE while streams are open. */
  private long idleLeftNanos(long now) {
    boolean open;
    int opened;
    lock.lock();
    try {
      open = !streams.isEmpty();
      opened = streamsOpened;
    } finally {
      lock.unlock();
    }
    return idleClock.left(now, open, opened);
  }

  /** True if the next frame is wholly buffered, so reading it cannot wait for the socket. */
  private boolean nextFrameBuffered() throws IOException {
    int buffered = in.buffered();
    if (buffered < FrameType.HEADER_LENGTH) return false;
    int length = in.peek(0) << 16 | in.peek(1) << 8 | in.peek(2);
    return buffered >= FrameType.HEADER_LENGTH + length;
  }

  /**
   * Hands the streams the peer opened to the listener, once every frame already buffered has been
   * handled, so a stream whose RST_STREAM came in the same read (the rapid reset attack) never
   * costs a handler thread; a legitimate request waits only for the frames read with it.
   */
  private void dispatchStreams() {
    for (Http2Stream stream : toDispatch) {
      if (!stream.isReset()) listener.onStream(stream);
    }
    toDispatch.clear();
  }

  /** Frames come again after a quiet spell: chunks may be reused again. */
  private void keepSpares() {
    writer.keepSpareChunks();
    sparesReleased = false;
  }

  private void readTimeout(long millis) throws IOException {
    int timeout = (int) Math.min(Integer.MAX_VALUE, millis);
    if (timeout != readTimeoutMillis) {
      socket.setSoTimeout(timeout);
      readTimeoutMillis = timeout;
    }
  }

  private boolean isIdle() {
    lock.lock();
    try {
      return streams.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- frames in

  private void handleFrame(Frame frame) throws IOException {
    if (log.isTraceEnabled()) log.trace("{} < {}", name, frame);
    if (pendingHeaders != null && !(frame instanceof Frame.Continuation)) {
      throw connectionError(
          PROTOCOL_ERROR,
          "%s inside a field block of stream %d",
          dev.h2mux.core.frame.FrameType.name(frame.type()),
          pendingHeaders.streamId());
    }
    if (NoOpFrames.isNoOp(frame)) spendNoOp(frame);
    try {
      switch (frame) {
        case Frame.Data d -> onData(d);
        case Frame.Headers h -> onHeaders(h);
        case Frame.Continuation c -> onContinuation(c);
        case Frame.PriorityFrame p -> onPriority(p);
        case Frame.RstStream r -> onRstStream(r);
        case Frame.Settings s -> onSettings(s);
        case Frame.PushPromise p ->
            // We never enable push: as a client we send ENABLE_PUSH=0, and a server can't receive
            // it.
            throw connectionError(PROTOCOL_ERROR, "PUSH_PROMISE received but push is disabled");
        case Frame.Ping p -> onPing(p);
        case Frame.GoAway g -> onGoAway(g);
        case Frame.WindowUpdate w -> onWindowUpdate(w);
        case Frame.Unknown u -> {} // ignored (§5.5)
      }
    } catch (Http2Exception e) {
      if (e.isConnectionError()) throw e;
      streamErrorReceived(e);
    }
    // The peer's END_STREAM may have closed the last stream after a GOAWAY.
    if (frame instanceof Frame.Data
        || frame instanceof Frame.Headers
        || frame instanceof Frame.Continuation) {
      closeIfDrained();
    }
  }

  private void onData(Frame.Data data) throws IOException {
    int id = data.streamId();
    int credit = 0;
    boolean bodyBroken = false;
    boolean contentLengthShort = false;
    Http2Stream stream;
    lock.lock();
    try {
      connectionReceiveWindow -= data.flowLength();
      if (connectionReceiveWindow < 0) {
        throw connectionError(FLOW_CONTROL_ERROR, "DATA beyond the connection window");
      }
      stream = streams.get(id);
      if (stream == null || stream.remoteClosed()) {
        // The bytes still count against the connection window: credit them back at once.
        credit = creditConnectionLocked(data.flowLength());
        if (isIdleStream(id)) throw connectionError(PROTOCOL_ERROR, "DATA on idle stream %d", id);
        if (stream == null) {
          byte how = closedStreams.state(id);
          if (how == ClosedStreams.RESET_BY_US) {
            // It crossed our RST_STREAM: ignored (§5.1, closed), unless it follows the peer's
            // own end of the stream.
            if (data.endStream()) closedStreams.peerEnded(id, ClosedStreams.PEER_ENDED);
            return;
          }
          if (how == ClosedStreams.PEER_ENDED) {
            throw connectionError(STREAM_CLOSED, "DATA on stream %d after its END_STREAM", id);
          }
        }
        throw streamError(id, STREAM_CLOSED, "DATA on a closed stream");
      } else {
        if (stream.receiveWindow < data.flowLength()) {
          credit = creditConnectionLocked(data.flowLength());
          throw streamError(id, FLOW_CONTROL_ERROR, "DATA beyond the stream window");
        }
        boolean wasRemoteClosed = stream.remoteClosed();
        if (!stream.receiveData(data)) {
          if (stream.remoteClosed() && !wasRemoteClosed) contentLengthShort = true;
          else bodyBroken = true;
        }
        // Padding never reaches the application, nor do bytes for an input already closed.
        int unread = stream.inputClosed() ? data.flowLength() : data.flowLength() - data.length();
        if (unread > 0) credit = creditConnectionLocked(unread);
        if (stream.remoteClosed()) peerSideClosedLocked(stream);
      }
    } finally {
      lock.unlock();
      if (credit > 0) sendWindowUpdate(0, credit);
    }
    if (bodyBroken || contentLengthShort) {
      throw streamError(id, PROTOCOL_ERROR, "body length does not match content-length");
    }
  }

  private void onHeaders(Frame.Headers headers) throws IOException {
    if (headers.endHeaders()) {
      onFieldBlock(headers, headers.block());
      return;
    }
    pendingHeaders = headers;
    pendingBlock = new ByteArrayOutputStream(headers.block().length * 2);
    pendingBlock.write(headers.block());
    pendingContinuations = 0;
  }

  private void onContinuation(Frame.Continuation continuation) throws IOException {
    if (pendingHeaders == null || continuation.streamId() != pendingHeaders.streamId()) {
      throw connectionError(PROTOCOL_ERROR, "CONTINUATION without a HEADERS before it");
    }
    if (++pendingContinuations > MAX_CONTINUATIONS
        || pendingBlock.size() + continuation.block().length > config.maxHeaderBlockBytes()) {
      // The block can't be decoded without holding it all; HPACK state is then lost, so the
      // connection must end (RFC 9113 §10.5.1).
      throw connectionError(ErrorCode.ENHANCE_YOUR_CALM, "field block too large");
    }
    pendingBlock.write(continuation.block());
    if (continuation.endHeaders()) {
      Frame.Headers headers = pendingHeaders;
      byte[] block = pendingBlock.toByteArray();
      pendingHeaders = null;
      pendingBlock = null;
      onFieldBlock(headers, block);
    }
  }

  /** A complete field block: decode it (always, to keep HPACK in step), then act on it. */
  private void onFieldBlock(Frame.Headers headers, byte[] block) throws IOException {
    HpackDecoder.Block decoded = decoder.decode(block);
    int id = headers.streamId();
    if (headers.priority() != null && headers.priority().dependency() == id) {
      throw streamError(id, PROTOCOL_ERROR, "stream depends on itself");
    }
    Http2Stream stream;
    lock.lock();
    try {
      stream = streams.get(id);
    } finally {
      lock.unlock();
    }
    if (stream == null && isPeerInitiated(id) && (role == Role.CLIENT || isIdleStream(id))) {
      openPeerStream(headers, decoded);
    } else if (stream == null) {
      if (isIdleStream(id)) throw connectionError(PROTOCOL_ERROR, "HEADERS on idle stream %d", id);
      onClosedStreamHeaders(id, headers.endStream());
    } else {
      onStreamFieldBlock(stream, headers, decoded);
    }
  }

  /** HEADERS on a stream closed already: what the peer knew decides (see {@link ClosedStreams}). */
  private void onClosedStreamHeaders(int id, boolean endStream) throws Http2Exception {
    byte how;
    lock.lock();
    try {
      how = closedStreams.state(id);
      if (how == ClosedStreams.RESET_BY_US && endStream) {
        closedStreams.peerEnded(id, ClosedStreams.PEER_ENDED);
      }
    } finally {
      lock.unlock();
    }
    switch (how) {
      case ClosedStreams.RESET_BY_US -> {} // crossed our RST_STREAM: ignored (§5.1)
      case ClosedStreams.PEER_RESET ->
          throw streamError(id, STREAM_CLOSED, "HEADERS on stream %d after its RST_STREAM", id);
      case ClosedStreams.PEER_ENDED ->
          throw connectionError(STREAM_CLOSED, "HEADERS on stream %d after its END_STREAM", id);
      // A lower id never used (or long forgotten) is an unexpected stream identifier (§5.1.1).
      default -> throw connectionError(PROTOCOL_ERROR, "HEADERS on closed stream %d", id);
    }
  }

  private void openPeerStream(Frame.Headers headers, HpackDecoder.Block decoded)
      throws IOException {
    int id = headers.streamId();
    if (role == Role.CLIENT) {
      throw connectionError(PROTOCOL_ERROR, "server opened stream %d without push", id);
    }
    Http2Stream stream;
    lock.lock();
    try {
      if (id <= lastPeerStreamId) {
        throw connectionError(STREAM_CLOSED, "HEADERS on closed stream %d", id);
      }
      lastPeerStreamId = id;
      streamsOpened++;
      // Each stream may bring a frame or two that do nothing for us (a PRIORITY_UPDATE of a
      // browser reprioritizing it): a stream opened gives one back.
      noOpBudget.earn();
      if (goAwaySent && id > goAwaySentLastId || closed) {
        return; // after our GOAWAY, new streams are ignored; the peer retries them elsewhere
      }
      if (activePeer >= config.maxConcurrentStreams()) {
        throw streamError(
            id,
            ErrorCode.REFUSED_STREAM,
            "more than %d concurrent streams",
            config.maxConcurrentStreams());
      }
      if (decoded.malformed() != null) throw streamError(id, PROTOCOL_ERROR, decoded.malformed());
      stream = new Http2Stream(this, id, peerSettings.initialWindowSize(), localInitialWindow());
      if (decoded.tooLarge()) {
        // Answer 431 rather than a bare reset, so the client learns why (RFC 6585 §5).
        streams.put(id, stream);
        activePeer++;
        if (headers.endStream()) stream.endRemote();
      } else {
        RequestHead request;
        try {
          request = Http2Messages.request(decoded.fields());
        } catch (MalformedMessageException e) {
          throw streamError(id, PROTOCOL_ERROR, "malformed request: %s", e.getMessage());
        }
        stream.request(request);
        streams.put(id, stream);
        activePeer++;
        if (headers.endStream() && !stream.endRemote()) {
          streams.remove(id);
          activePeer--;
          throw streamError(id, PROTOCOL_ERROR, "content-length without a body");
        }
      }
    } finally {
      lock.unlock();
    }
    if (decoded.tooLarge()) {
      stream.sendHeaders(HttpFields.of(":status", "431", "content-length", "0"), true);
      if (!headers.endStream()) stream.reset(ErrorCode.NO_ERROR);
      return;
    }
    toDispatch.add(stream);
  }

  /** HEADERS on a stream we know: a response (client), or trailers (either side). */
  private void onStreamFieldBlock(
      Http2Stream stream, Frame.Headers headers, HpackDecoder.Block decoded) throws IOException {
    int id = stream.id();
    lock.lock();
    try {
      if (stream.resetCause() != null) return; // in flight when we reset it
      if (stream.remoteClosed()) throw streamError(id, STREAM_CLOSED, "HEADERS after END_STREAM");
      if (decoded.tooLarge()) throw streamError(id, PROTOCOL_ERROR, "header list too large");
      if (decoded.malformed() != null) throw streamError(id, PROTOCOL_ERROR, decoded.malformed());
      try {
        if (role == Role.CLIENT && !stream.hasResponse()) {
          ResponseHead response = Http2Messages.response(decoded.fields());
          if (response.isInformational()) {
            if (headers.endStream()) throw streamError(id, PROTOCOL_ERROR, "1xx with END_STREAM");
            return;
          }
          stream.response(response);
          if (headers.endStream()) {
            if (!stream.endRemote()) {
              throw streamError(id, PROTOCOL_ERROR, "content-length without a body");
            }
            peerSideClosedLocked(stream);
          }
          return;
        }
        // trailers: the last HEADERS, which must end the stream (RFC 9113 §8.1)
        if (!headers.endStream())
          throw streamError(id, PROTOCOL_ERROR, "trailers without END_STREAM");
        stream.receiveTrailers(Http2Messages.trailers(decoded.fields()));
        if (!stream.endRemote()) {
          throw streamError(id, PROTOCOL_ERROR, "body length does not match content-length");
        }
        peerSideClosedLocked(stream);
      } catch (MalformedMessageException e) {
        throw streamError(id, PROTOCOL_ERROR, "malformed message: %s", e.getMessage());
      }
    } finally {
      lock.unlock();
    }
  }

  private void onPriority(Frame.PriorityFrame priority) {
    // Parsed and validated by the reader; RFC 9113 §5.3.2 lets us ignore the signal itself.
  }

  private void onRstStream(Frame.RstStream rst) throws IOException {
    int id = rst.streamId();
    Http2Stream stream;
    boolean answered;
    lock.lock();
    try {
      if (isIdleStream(id))
        throw connectionError(PROTOCOL_ERROR, "RST_STREAM on idle stream %d", id);
      stream = streams.get(id);
      if (stream == null) closedStreams.peerEnded(id, ClosedStreams.PEER_RESET);
      answered = stream != null && stream.localClosed();
    } finally {
      lock.unlock();
    }
    if (stream != null) {
      // Only streams reset before their response was complete cost us work (a handler, maybe
      // never run): those count (CVE-2023-44487).
      if (!answered && !resetBudget.take()) {
        throw connectionError(ErrorCode.ENHANCE_YOUR_CALM, "too many streams reset by the peer");
      }
      boolean refused = rst.error() == ErrorCode.REFUSED_STREAM;
      resetStream(stream, rst.error(), PEER_RESET_MESSAGES[rst.error().ordinal()], true, refused);
    }
  }

  private void onSettings(Frame.Settings settings) throws IOException {
    if (settings.ack()) {
      lock.lock();
      try {
        localSettingsAcked = true;
      } finally {
        lock.unlock();
      }
      return;
    }
    Http2Settings values = settings.settings();
    if (values.isSet(Http2Settings.MAX_FRAME_SIZE)) peerMaxFrameSize = values.maxFrameSize();
    lock.lock();
    try {
      applySettingsLocked(values);
      peerSettingsReceived = true;
      slotFreed.signalAll();
    } finally {
      lock.unlock();
    }
    // The ACK goes in order behind the frames already queued, which were sized, encoded and
    // credited under the old values (§6.5.3); the writer applies the frame size and table size
    // just before it, so every block and frame after the ACK obeys the new values.
    writer.controlInOrder(
        (w, encoder) -> {
          if (values.isSet(Http2Settings.MAX_FRAME_SIZE)) w.maxFrameSize(values.maxFrameSize());
          if (values.isSet(Http2Settings.HEADER_TABLE_SIZE)) {
            encoder.peerHeaderTableSize(values.headerTableSize());
          }
          w.settings(Frame.Settings.ACK);
        });
  }

  private void applySettingsLocked(Http2Settings values) throws Http2Exception {
    Http2Settings before = peerSettings;
    peerSettings = values.mergeInto(peerSettings);
    peerSettingsSent = values.mergeInto(peerSettingsSent);
    if (values.isSet(Http2Settings.INITIAL_WINDOW_SIZE)) {
      // §6.9.2: every stream's window moves by the difference, and may go negative.
      long delta = (long) peerSettings.initialWindowSize() - before.initialWindowSize();
      for (Http2Stream stream : streams.values()) {
        stream.sendWindow += delta;
        if (stream.sendWindow > MAX_WINDOW) {
          throw connectionError(
              FLOW_CONTROL_ERROR, "initial window change overflows stream %d", stream.id());
        }
      }
      windowOpened.signalAll();
    }
    if (values.isSet(Http2Settings.MAX_CONCURRENT_STREAMS)) slotFreed.signalAll();
  }

  private void onPing(Frame.Ping ping) throws IOException {
    if (ping.ack()) {
      CompletableFuture<Void> pending;
      lock.lock();
      try {
        pending = pings.remove(ping.payload());
      } finally {
        lock.unlock();
      }
      if (pending != null) pending.complete(null);
      return;
    }
    long payload = ping.payload();
    writer.control((w, e) -> w.ping(true, payload));
  }

  private void onGoAway(Frame.GoAway goAway) {
    List<Http2Stream> refused = new ArrayList<>();
    lock.lock();
    try {
      goAwayReceivedLastId =
          goAwayReceivedLastId < 0
              ? goAway.lastStreamId()
              : Math.min(goAwayReceivedLastId, goAway.lastStreamId());
      for (Http2Stream stream : streams.values()) {
        if (isLocallyInitiated(stream.id()) && stream.id() > goAwayReceivedLastId) {
          refused.add(stream);
        }
      }
      slotFreed.signalAll();
    } finally {
      lock.unlock();
    }
    log.debug("{}: received {}", name, goAway);
    for (Http2Stream stream : refused) {
      resetStream(
          stream,
          ErrorCode.REFUSED_STREAM,
          "not processed: the peer sent GOAWAY with last stream " + goAway.lastStreamId(),
          true,
          true);
    }
    if (goAway.error() != ErrorCode.NO_ERROR) {
      // The peer is ending the connection for an error: nothing more will be answered.
      terminate(null, null);
    } else {
      closeIfDrained();
    }
  }

  private void onWindowUpdate(Frame.WindowUpdate update) throws IOException {
    int id = update.streamId();
    lock.lock();
    try {
      if (id == 0) {
        connectionSendWindow += update.increment();
        if (connectionSendWindow > MAX_WINDOW) {
          throw connectionError(FLOW_CONTROL_ERROR, "connection window above 2^31-1");
        }
        windowOpened.signalAll();
        return;
      }
      if (isIdleStream(id))
        throw connectionError(PROTOCOL_ERROR, "WINDOW_UPDATE on idle stream %d", id);
      Http2Stream stream = streams.get(id);
      if (stream == null) {
        // Closed: one in flight is fine, and common; for a stream we don't know it does nothing.
        if (closedStreams.state(id) == ClosedStreams.UNKNOWN) spendNoOp(update);
        return;
      }
      stream.sendWindow += update.increment();
      if (stream.sendWindow > MAX_WINDOW) {
        throw streamError(id, FLOW_CONTROL_ERROR, "stream window above 2^31-1");
      }
      windowOpened.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Counts a frame that does nothing (see {@link NoOpFrames}); a peer that sends more than the
   * budget allows is flooding us (CVE-2019-9518) and is cut off.
   */
  private void spendNoOp(Frame frame) throws Http2Exception {
    if (!noOpBudget.take()) {
      throw connectionError(
          ErrorCode.ENHANCE_YOUR_CALM,
          "too many frames that do nothing (last: %s)",
          FrameType.name(frame.type()));
    }
  }

  /** A stream error detected while reading: reset the stream, keep the connection. */
  private void streamErrorReceived(Http2Exception e) throws IOException {
    log.debug("{}: {}", name, e.getMessage());
    // Refusing a stream over the limit is how a client learns it (§5.1.2); other stream errors
    // are the peer's doing, and a peer that keeps making them makes us keep answering.
    if (e.error() != ErrorCode.REFUSED_STREAM && !noOpBudget.take()) {
      throw connectionError(ErrorCode.ENHANCE_YOUR_CALM, "too many stream errors");
    }
    Http2Stream stream;
    lock.lock();
    try {
      stream = streams.get(e.streamId());
      if (stream == null && closedStreams.state(e.streamId()) == ClosedStreams.UNKNOWN) {
        closedStreams.closed(e.streamId(), ClosedStreams.RESET_BY_US);
      }
    } finally {
      lock.unlock();
    }
    if (stream != null) {
      resetStream(stream, e.error(), e.getMessage(), false, false);
    } else {
      int id = e.streamId();
      writer.control((w, enc) -> w.rstStream(id, e.error().code()));
    }
  }

  // ---------------------------------------------------------------- stream ids and states

  private boolean isLocallyInitiated(int id) {
    return (id % 2 == 1) == (role == Role.CLIENT);
  }

  private boolean isPeerInitiated(int id) {
    return !isLocallyInitiated(id);
  }

  /**
   * True if {@code id} was never used (§5.1 idle): frames other than HEADERS/PRIORITY are errors.
   */
  private boolean isIdleStream(int id) {
    return isLocallyInitiated(id) ? id >= nextLocalStreamId : id > lastPeerStreamId;
  }

  private int localInitialWindow() {
    // Until the peer acknowledges our SETTINGS it may assume the RFC's default window.
    return localSettingsAcked
        ? config.initialWindowSize()
        : Math.max(config.initialWindowSize(), DEFAULT_WINDOW);
  }

  // ---------------------------------------------------------------- opening streams

  /**
   * Opens a stream and sends its request head (client role). Waits while the peer's
   * SETTINGS_MAX_CONCURRENT_STREAMS streams are open, so requests beyond it wait their turn.
   *
   * @throws StreamResetException (retryable) if the connection can take no new streams
   */
  public Http2Stream newStream(HttpFields requestFields, boolean endStream, long timeoutNanos)
      throws IOException {
    Http2Stream stream;
    lock.lock();
    try {
      long nanos = timeoutNanos;
      while (true) {
        if (closed || goAwayReceivedLastId >= 0 || goAwaySent) {
          throw new StreamResetException(
              "connection no longer accepts streams", ErrorCode.REFUSED_STREAM, Reason.REFUSED);
        }
        if (nextLocalStreamId < 0) {
          throw new StreamResetException(
              "stream ids exhausted", ErrorCode.REFUSED_STREAM, Reason.REFUSED);
        }
        if (activeLocal < peerMaxConcurrentStreams()) break;
        if (nanos <= 0) throw new SocketTimeoutException("no stream slot within the timeout");
        nanos = slotFreed.awaitNanos(nanos);
      }
      int id = nextLocalStreamId;
      nextLocalStreamId += 2; // overflows to negative after 2^31-1: exhausted
      stream = new Http2Stream(this, id, peerSettings.initialWindowSize(), localInitialWindow());
      if ("HEAD".equals(requestFields.get(":method"))) stream.expectNoContent();
      streams.put(id, stream);
      activeLocal++;
      streamsOpened++;
      // Queued under the lock, so stream ids reach the wire in increasing order (§5.1.1).
      stream.sendHeaders(requestFields, endStream);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for a stream slot");
    } finally {
      lock.unlock();
    }
    return stream;
  }

  /**
   * The streams we may open. Until the peer's SETTINGS arrive its limit is unknown (unlimited by
   * the RFC's default), so we assume 100, the RFC's recommended minimum (§6.5.2), rather than open
   * streams it will refuse.
   */
  private int peerMaxConcurrentStreams() {
    int max = peerSettings.maxConcurrentStreams();
    return peerSettingsReceived ? max : Math.min(max, ASSUMED_MAX_CONCURRENT_STREAMS);
  }

  /** True if a new stream could be opened now without waiting. */
  public boolean hasCapacity() {
    lock.lock();
    try {
      return !closed
          && goAwayReceivedLastId < 0
          && !goAwaySent
          && nextLocalStreamId > 0
          && activeLocal < peerMaxConcurrentStreams();
    } finally {
      lock.unlock();
    }
  }

  /** True once the connection can take no new streams. */
  public boolean isShutdown() {
    lock.lock();
    try {
      return closed || goAwaySent || goAwayReceivedLastId >= 0;
    } finally {
      lock.unlock();
    }
  }

  /** The number of streams open now. */
  public int activeStreams() {
    lock.lock();
    try {
      return streams.size();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- writing, for streams

  void writeHeaders(Http2Stream stream, HttpFields fields, boolean endStream) throws IOException {
    int id = stream.id();
    writer.enqueue(
        (w, encoder) -> {
          if (stream.isResetNoLock()) return;
          w.headers(id, encoder.encode(fields), endStream, null);
        });
  }

  /** Queues a copy of up to one chunk of a caller's bytes as DATA; see {@link ConnectionWriter}. */
  void writeDataCopy(Http2Stream stream, byte[] data, int offset, int length, boolean endStream)
      throws IOException {
    writer.enqueueDataCopy(stream, data, offset, length, endStream, config.idleTimeout().toNanos());
  }

  /** How many reusable DATA chunks the connection holds now (for tests and diagnostics). */
  int spareChunks() {
    return writer.spareChunks();
  }

  /** Called with the lock held by the reader thread: {@code stream} has new DATA. */
  void wakeLater(Http2Stream stream) {
    if (!stream.wakePending) {
      stream.wakePending = true;
      toWake.add(stream);
    }
  }

  private void wakeReaders() {
    lock.lock();
    try {
      for (Http2Stream stream : toWake) stream.wake();
    } finally {
      lock.unlock();
    }
    toWake.clear();
  }

  /** The largest DATA frame the peer accepts. */
  int peerMaxFrameSize() {
    return peerMaxFrameSize;
  }

  /** The application has read all of a received DATA payload: its array may be reused. */
  void recycleChunk(byte[] chunk) {
    writer.recycleChunk(chunk);
  }

  /** Queues {@code data}, which the caller gives up, as DATA. */
  void writeData(Http2Stream stream, byte[] data, int offset, int length, boolean endStream)
      throws IOException {
    int id = stream.id();
    writer.enqueueData(
        (w, e) -> {
          if (stream.isResetNoLock()) return;
          w.data(id, data, offset, length, endStream);
        },
        length,
        config.idleTimeout().toNanos());
  }

  /**
   * Takes send credit for up to {@code wanted} bytes from the stream's and the connection's
   * windows, waiting while either is empty (§5.2). Returns the bytes granted.
   */
  int acquireCredit(Http2Stream stream, int wanted) throws IOException {
    lock.lock();
    try {
      long nanos = config.idleTimeout().toNanos();
      while (true) {
        if (stream.resetCause() != null) throw Http2Stream.copy(stream.resetCause());
        if (closed) throw new IOException("connection closed");
        long available = Math.min(stream.sendWindow, connectionSendWindow);
        if (available > 0) {
          int n = (int) Math.min(wanted, available);
          stream.sendWindow -= n;
          connectionSendWindow -= n;
          return n;
        }
        if (nanos <= 0) {
          throw new SocketTimeoutException(
              "flow-control window stayed closed for the idle timeout");
        }
        nanos = windowOpened.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for flow-control credit");
    } finally {
      lock.unlock();
    }
  }

  /** The application read {@code n} bytes: credit the connection window, send updates. */
  void consumed(Http2Stream stream, int n, int streamCredit) throws IOException {
    int connectionCredit;
    lock.lock();
    try {
      connectionCredit = creditConnectionLocked(n);
    } finally {
      lock.unlock();
    }
    if (streamCredit > 0) sendWindowUpdate(stream.id(), streamCredit);
    if (connectionCredit > 0) sendWindowUpdate(0, connectionCredit);
  }

  /** Counts consumed bytes; returns a connection WINDOW_UPDATE increment once half is used. */
  private int creditConnectionLocked(int n) {
    connectionUnacknowledged += n;
    if (connectionUnacknowledged < config.connectionWindowSize() / 2) return 0;
    int increment = connectionUnacknowledged;
    connectionUnacknowledged = 0;
    connectionReceiveWindow += increment;
    return increment;
  }

  private void sendWindowUpdate(int streamId, int increment) {
    try {
      writer.control((w, e) -> w.windowUpdate(streamId, increment));
    } catch (IOException e) {
      log.debug("{}: WINDOW_UPDATE not sent: {}", name, e.getMessage());
    }
  }

  // ---------------------------------------------------------------- closing streams

  /** We sent END_STREAM; the stream may now be closed. */
  void streamLocalClosed(Http2Stream stream) {
    boolean sendPing = false;
    lock.lock();
    try {
      if (stream.isClosed()) {
        removeLocked(stream, ClosedStreams.PEER_ENDED);
      } else if (role == Role.SERVER && stream.resetCause() == null) {
        // The response is complete but the request body is not: the client is told to stop
        // sending it (RFC 9113 §8.1) once it has seen the response (EarlyResponses).
        sendPing = earlyResponses.add(stream);
      }
    } finally {
      lock.unlock();
    }
    if (sendPing) pingAfterResponses();
    closeIfDrained();
  }

  /** Sends the PING behind the responses just ended; its ACK stops their streams. */
  private void pingAfterResponses() {
    ping(true).thenRun(() -> stopEarlyResponses(false));
  }

  /**
   * Resets with NO_ERROR the streams answered early: those the acknowledged PING covers, or with
   * {@code all} every one (the peer has been quiet: what it sent before has arrived).
   */
  private void stopEarlyResponses(boolean all) {
    List<Http2Stream> stop;
    boolean pingAgain;
    lock.lock();
    try {
      if (earlyResponses.isEmpty()) return;
      stop = all ? earlyResponses.takeAll() : earlyResponses.acknowledged();
      pingAgain = !all && earlyResponses.pingNeeded();
    } finally {
      lock.unlock();
    }
    for (Http2Stream stream : stop) {
      resetStream(stream, ErrorCode.NO_ERROR, "response complete", false, false);
    }
    if (pingAgain) pingAfterResponses();
  }

  private boolean hasEarlyResponses() {
    lock.lock();
    try {
      return !earlyResponses.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  private void peerSideClosedLocked(Http2Stream stream) {
    if (stream.isClosed()) removeLocked(stream, ClosedStreams.PEER_ENDED);
  }

  void resetStream(Http2Stream stream, ErrorCode error, String why, boolean byPeer) {
    resetStream(stream, error, why, byPeer, false);
  }

  /**
   * Resets {@code stream} by our choice, behind the frames it queued already: they are still
   * written, then RST_STREAM (for a handler that answers part of a response and then resets).
   */
  void resetStreamAfterQueued(Http2Stream stream, ErrorCode error) {
    resetStream(stream, error, "reset locally", false, false, true);
  }

  private void resetStream(
      Http2Stream stream, ErrorCode error, String why, boolean byPeer, boolean retryable) {
    resetStream(stream, error, why, byPeer, retryable, false);
  }

  private void resetStream(
      Http2Stream stream,
      ErrorCode error,
      String why,
      boolean byPeer,
      boolean retryable,
      boolean afterQueued) {
    int discarded;
    // After our END_STREAM, RST_STREAM(NO_ERROR) only stops the peer's body (§8.1): our frames,
    // all queued already, must still go out, and the reset after them. So must they when the
    // caller asked for the reset to follow what it sent.
    boolean afterOurEnd =
        !byPeer && (afterQueued || (error == ErrorCode.NO_ERROR && stream.localClosed()));
    lock.lock();
    try {
      if (stream.resetCause() != null || (stream.localClosed() && stream.remoteClosed())) return;
      Reason reason = retryable ? Reason.REFUSED : byPeer ? Reason.PEER_RESET : Reason.LOCAL_RESET;
      discarded =
          stream.markReset(new StreamResetException(why, error, reason, false), !afterOurEnd);
      removeLocked(
          stream,
          byPeer
              ? ClosedStreams.PEER_RESET
              : stream.remoteClosed() ? ClosedStreams.PEER_ENDED : ClosedStreams.RESET_BY_US);
      windowOpened.signalAll();
    } finally {
      lock.unlock();
    }
    if (discarded > 0) {
      int credit;
      lock.lock();
      try {
        credit = creditConnectionLocked(discarded);
      } finally {
        lock.unlock();
      }
      if (credit > 0) sendWindowUpdate(0, credit);
    }
    if (!byPeer) {
      int id = stream.id();
      try {
        ConnectionWriter.Op rst = (w, e) -> w.rstStream(id, error.code());
        if (afterOurEnd) writer.enqueue(rst);
        else writer.control(rst);
      } catch (IOException e) {
        log.debug("{}: RST_STREAM not sent: {}", name, e.getMessage());
      }
    }
    closeIfDrained();
  }

  /** Removes a stream that closed as {@code how} (a {@link ClosedStreams} state). */
  private void removeLocked(Http2Stream stream, byte how) {
    if (streams.remove(stream.id()) == stream) {
      closedStreams.closed(stream.id(), how);
      if (isLocallyInitiated(stream.id())) activeLocal--;
      else activePeer--;
      slotFreed.signalAll();
    }
  }

  // ---------------------------------------------------------------- connection lifecycle

  /**
   * Sends a PING and completes when its ACK arrives.
   *
   * @return a future completed by the ACK, or exceptionally if the connection ends first
   */
  public CompletableFuture<Void> ping() {
    return ping(false);
  }

  /** With {@code inOrder} the PING leaves after every frame queued before it. */
  private CompletableFuture<Void> ping(boolean inOrder) {
    CompletableFuture<Void> future = new CompletableFuture<>();
    long payload;
    lock.lock();
    try {
      if (closed) return CompletableFuture.failedFuture(new IOException("connection closed"));
      payload = nextPing++;
      pings.put(payload, future);
    } finally {
      lock.unlock();
    }
    try {
      ConnectionWriter.Op op = (w, e) -> w.ping(false, payload);
      if (inOrder) writer.controlInOrder(op);
      else writer.control(op);
    } catch (IOException e) {
      future.completeExceptionally(e);
    }
    return future;
  }

  /**
   * Starts a graceful shutdown with GOAWAY(NO_ERROR); see {@link #shutdownGracefully(ErrorCode,
   * String)}.
   */
  public void shutdownGracefully() {
    shutdownGracefully(ErrorCode.NO_ERROR, "");
  }

  /**
   * Starts a graceful shutdown whose GOAWAY frames carry {@code error} and {@code debug} (RFC 9113
   * §6.8); it returns at once, and the connection closes by itself once no stream is left.
   *
   * <p>A server first sends GOAWAY with the largest stream id, 2^31-1, and a PING: the client stops
   * opening streams when it reads that GOAWAY, and every stream it opened before then reaches us
   * ahead of its PING ACK. When the ACK arrives (or after a second without one), the final GOAWAY
   * names the last stream actually opened. Every stream up to it is served to the end; streams
   * above it are ignored, and that GOAWAY tells the client they were never processed, so it may
   * retry them elsewhere. With an error code, and from a client (which accepts no streams from the
   * server), one GOAWAY names the last stream at once: §6.8 suggests the 2^31-1 step for a NO_ERROR
   * shutdown, while a GOAWAY that reports an error should tell the peer at once which streams still
   * count. Calls after the first do nothing.
   */
  public void shutdownGracefully(ErrorCode error, String debug) {
    Objects.requireNonNull(error, "error");
    byte[] debugData = debugBytes(debug);
    boolean twoStep;
    lock.lock();
    try {
      if (goAwaySent || closed) return;
      goAwaySent = true;
      goAwayError = error;
      goAwayDebug = debugData;
      slotFreed.signalAll();
      twoStep = role == Role.SERVER && error == ErrorCode.NO_ERROR;
      // Queued under the lock: a stream ending right now can't close the connection (and its
      // writer) between the decision and the frame, so the GOAWAY is always sent.
      if (twoStep) {
        queueGracefulGoAwayLocked(Integer.MAX_VALUE, error, debugData);
      } else {
        queueFinalGoAwayLocked();
      }
    } finally {
      lock.unlock();
    }
    if (twoStep) {
      ping().whenComplete((acked, failure) -> sendFinalGoAway());
      Thread.ofVirtual()
          .name(name + "-goaway")
          .start(
              () -> {
                try {
                  finalGoAwayQueued.await(GOAWAY_PING_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  sendFinalGoAway();
                }
              });
    }
    closeIfDrained();
  }

  /** The PING of a graceful shutdown was answered (or not in time): name the last stream. */
  private void sendFinalGoAway() {
    lock.lock();
    try {
      if (closed || finalGoAwaySent) return;
      queueFinalGoAwayLocked();
    } finally {
      lock.unlock();
    }
    closeIfDrained();
  }

  private void queueFinalGoAwayLocked() {
    finalGoAwaySent = true;
    goAwaySentLastId = Math.min(goAwaySentLastId, lastPeerStreamId);
    queueGracefulGoAwayLocked(goAwaySentLastId, goAwayError, goAwayDebug);
    finalGoAwayQueued.countDown();
  }

  /** A GOAWAY after which the streams it spares go on: ahead of DATA, never refused for a flood. */
  private void queueGracefulGoAwayLocked(int lastId, ErrorCode error, byte[] debug) {
    try {
      writer.controlPastLimit((w, e) -> w.goAway(lastId, error.code(), debug));
    } catch (IOException e) {
      log.debug("{}: GOAWAY not sent: {}", name, e.getMessage());
    }
  }

  /** The GOAWAY that ends the connection: after everything queued, and nothing after it. */
  private void queueLastGoAwayLocked(int lastId, ErrorCode error, byte[] debug) {
    try {
      writer.lastControl((w, e) -> w.goAway(lastId, error.code(), debug));
    } catch (IOException e) {
      log.debug("{}: GOAWAY not sent: {}", name, e.getMessage());
    }
  }

  private static byte[] debugBytes(String debug) {
    byte[] bytes = debug == null ? new byte[0] : debug.getBytes(StandardCharsets.UTF_8);
    return bytes.length <= 256 ? bytes : Arrays.copyOf(bytes, 256);
  }

  /**
   * The settings the peer has sent so far, the latest value of each; settings it never sent are
   * absent (their RFC defaults apply, §6.5.2).
   */
  public Http2Settings peerSettingsSent() {
    lock.lock();
    try {
      return peerSettingsSent;
    } finally {
      lock.unlock();
    }
  }

  private void closeIfDrained() {
    boolean drained;
    lock.lock();
    try {
      // After our GOAWAY(2^31-1) streams may still be on their way: only the final one counts.
      drained = !closed && (finalGoAwaySent || goAwayReceivedLastId >= 0) && streams.isEmpty();
    } finally {
      lock.unlock();
    }
    if (drained) terminate(null, null, true);
  }

  /** Closes at once: GOAWAY(NO_ERROR), streams in flight fail, the socket closes. */
  @Override
  public void close() {
    closeNow();
  }

  /**
   * Closes at once, as {@link #close()} does: GOAWAY(NO_ERROR) with the last stream we accepted,
   * what is queued for the socket still goes out, and every stream still open fails.
   *
   * @return the number of streams that were still open and are now cut
   */
  public int closeNow() {
    return terminate(ErrorCode.NO_ERROR, "");
  }

  /**
   * Waits until both threads ended and the socket closed.
   *
   * @return true if that happened within the timeout
   */
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return terminated.await(timeout, unit);
  }

  /** True once the connection ended. */
  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  private int terminate(ErrorCode error, String debug) {
    return terminate(error, debug, false);
  }

  /**
   * Ends the connection: with {@code error}, a GOAWAY is sent first (a connection error of §5.4.1,
   * or NO_ERROR); every stream left fails. Without one, a server still sends its final GOAWAY when
   * a graceful shutdown had begun or when the connection ended {@code drained} (the peer's GOAWAY
   * and no stream left), so every connection it ends gets a GOAWAY. The socket closes once the last
   * frames are out and the peer closed its side, or after the bounds of {@link LingeringClose}.
   *
   * @return the number of streams that were still open
   */
  private int terminate(ErrorCode error, String debug, boolean drained) {
    List<Http2Stream> left;
    List<CompletableFuture<Void>> pendingPings;
    lock.lock();
    try {
      if (closed) return 0;
      closed = true;
      left = new ArrayList<>(streams.values());
      streams.clear();
      pendingPings = new ArrayList<>(pings.values());
      pings.clear();
      // The last stream id of successive GOAWAYs must never grow (§6.8).
      int lastId = Math.min(lastPeerStreamId, goAwaySentLastId);
      if (error != null) {
        queueLastGoAwayLocked(lastId, error, debugBytes(debug));
      } else if (role == Role.SERVER && !finalGoAwaySent && (goAwaySent || drained)) {
        queueLastGoAwayLocked(lastId, goAwayError, goAwayDebug);
      }
      finalGoAwaySent = true;
      windowOpened.signalAll();
      slotFreed.signalAll();
      String why =
          error == null || error == ErrorCode.NO_ERROR
              ? "connection closed"
              : "connection error: " + debug;
      for (Http2Stream stream : left) {
        stream.markReset(
            new StreamResetException(
                why,
                error == null ? ErrorCode.CANCEL : error,
                isLocallyInitiated(stream.id())
                        && stream.id() > goAwayReceivedLastId
                        && goAwayReceivedLastId >= 0
                    ? Reason.REFUSED
                    : Reason.CONNECTION_CLOSED));
      }
    } finally {
      lock.unlock();
    }
    finalGoAwayQueued.countDown();
    // After an error only the GOAWAY matters; after a clean end what is queued still goes out.
    writer.finish(error != null && error != ErrorCode.NO_ERROR);
    closing.watch(name + "-closer", writerDone, readerDone);
    IOException closedException = new IOException("connection closed");
    for (CompletableFuture<Void> ping : pendingPings) ping.completeExceptionally(closedException);
    try {
      listener.onClose(this);
    } catch (RuntimeException e) {
      log.warn("{}: listener failed in onClose", name, e);
    }
    return left.size();
  }

  @Override
  public String toString() {
    return name;
  }
}
