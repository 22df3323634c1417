package dev.h2mux.core.engine;

import static dev.h2mux.core.frame.ErrorCode.PROTOCOL_ERROR;
import static dev.h2mux.core.frame.Http2Exception.connectionError;

import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameObserver;
import dev.h2mux.core.frame.FrameReader;
import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.frame.Http2Exception;
import dev.h2mux.core.io.PeekableInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader thread of a connection: the preface and the peer's first SETTINGS ({@link Handshake}),
 * then frames one after the other, each handled by {@link InboundFrames}, until the connection
 * ends. Around the frames it keeps the policy that makes reading cheap, all of it riding on the
 * socket's read timeout, with no timer of its own:
 *
 * <ul>
 *   <li>streams that received DATA are woken once the next frame is not wholly buffered (the reader
 *       is about to wait for the socket), not once per frame;
 *   <li>streams the peer opened reach the listener once every frame already buffered is handled, so
 *       a stream reset in the same read never costs a handler (the rapid reset attack);
 *   <li>a connection without streams for the idle timeout is shut down ({@link IdleClock});
 *   <li>a connection quiet for a second gives up its spare DATA chunks ({@link ChunkPool}) and
 *       stops the streams it answered early ({@link EarlyResponses}).
 * </ul>
 *
 * The reasons, measured, are in docs/BENCHMARKS.md ("Why the code is shaped this way").
 */
final class ReadLoop {
  private static final Logger log = LoggerFactory.getLogger(ReadLoop.class);

  /** How long a connection that receives no frame keeps its spare DATA chunks. */
  static final long SPARE_CHUNK_HOLD_MILLIS = 1_000;

  private final Http2Connection connection;
  private final ReentrantLock lock;
  private final Http2Config config;
  private final Socket socket;
  private final PeekableInputStream in;
  private final ChunkPool chunks;
  private final StreamTable streams;
  private final StreamEnds ends;
  private final FrameObserver trace;
  private final InboundFrames frames;
  private final IdleClock idleClock;

  /** The waits when the owner sweeps the connection ({@link SweptWaits}). */
  final SweptWaits swept;

  private final long idleNanos;
  private final long idleMillis;

  // Reader thread only.
  private Thread thread;

  /** The socket's read timeout now, in milliseconds. */
  private int readTimeoutMillis;

  /** The read timeout for the rest of a frame once its first byte is in. */
  private long frameTimeoutMillis;

  /** Whether the spare chunks were given up (quiet). */
  private boolean sparesReleased;

  /**
   * Streams that received DATA since their readers were last woken. A download's application thread
   * then wakes once per socket read of several frames instead of once per 16 KiB frame; those
   * wake-ups (futex calls of the carrier threads) were the largest cost of a download on the client
   * (docs/BENCHMARKS.md).
   */
  private final ArrayList<Http2Stream> toWake = new ArrayList<>(0);

  /** Streams the peer opened whose handlers are not started yet; see {@link #dispatchStreams}. */
  private final ArrayList<Http2Stream> toDispatch = new ArrayList<>(0);

  /** Stream 1 of an h2c Upgrade, handed to the listener once the client's preface arrived. */
  private Http2Stream afterPreface;

  /**
   * @param trace sees every frame read, or null
   */
  ReadLoop(Http2Connection connection, Socket socket, PeekableInputStream in, FrameObserver trace) {
    this.connection = connection;
    this.lock = connection.lock;
    this.config = connection.config();
    this.socket = socket;
    this.in = in;
    this.trace = trace;
    this.chunks = connection.chunks;
    this.streams = connection.streams;
    this.ends = connection.ends;
    this.idleNanos = config.idleTimeout().toNanos();
    this.idleMillis = config.idleTimeout().toMillis();
    this.frameTimeoutMillis = idleMillis;
    this.idleClock = new IdleClock(idleNanos);
    this.swept = new SweptWaits(connection, idleNanos, SPARE_CHUNK_HOLD_MILLIS * 1_000_000L);
    this.frames = new InboundFrames(connection, this);
  }

  /** True on the reader thread. */
  boolean onReaderThread() {
    return Thread.currentThread() == thread;
  }

  /** Runs the reader until the connection ends. */
  void run() {
    thread = Thread.currentThread();
    try {
      readTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, idleMillis);
      socket.setSoTimeout(readTimeoutMillis);
      FrameReader reader = new FrameReader(in, config.maxFrameSize());
      reader.dataBuffers(chunks::take);
      if (trace != null) reader.observer(trace);
      boolean server = connection.role() == Http2Connection.Role.SERVER;
      Frame first = Handshake.read(in, reader, server, handshakeTimeout(), this::readTimeout);
      if (first == null) {
        log.debug("{}: no preface and SETTINGS within {}", connection, handshakeTimeout());
        connection.terminate(
            ErrorCode.NO_ERROR, "no preface and SETTINGS within " + handshakeTimeout());
        return;
      }
      if (!(first instanceof Frame.Settings s) || s.ack()) {
        throw connectionError(
            PROTOCOL_ERROR, "the preface must start with SETTINGS, got %s", first);
      }
      frames.handle(first);
      if (afterPreface != null) {
        // Only now, with the client's preface in, is the upgraded request answered: a client
        // such as curl 7.88 keeps what follows the 101 in a 32 KiB buffer and fails if a
        // response arrives on the heels of our SETTINGS.
        Http2Stream stream = afterPreface;
        afterPreface = null;
        connection.listener.onStream(stream);
      }
      for (Frame frame; (frame = readFrame(reader)) != null; ) {
        frames.handle(frame);
      }
      log.debug("{}: peer closed the connection", connection);
      connection.terminate(GracefulShutdown.Ending.LOST);
    } catch (Http2Exception e) {
      log.debug("{}: {}", connection, e.getMessage());
      connection.terminate(e.error(), e.getMessage());
    } catch (IOException e) {
      log.debug("{}: connection lost: {}", connection, e.toString());
      connection.terminate(GracefulShutdown.Ending.LOST);
    } catch (RuntimeException e) {
      log.warn("{}: internal error", connection, e);
      connection.terminate(ErrorCode.INTERNAL_ERROR, "internal error");
    } finally {
      connection.termination.readerEnded(in);
    }
  }

  private Duration handshakeTimeout() {
    return config.abuseLimits().handshakeTimeout();
  }

  /**
   * Reads the next frame, answering stream errors here and waiting out quiet periods. Before it may
   * wait for the socket it hands the streams opened since to the listener (see {@link
   * #dispatchStreams}) and wakes their readers. A connection without streams for the idle timeout
   * is shut down even if frames without a stream keep arriving; one quiet for {@link
   * #SPARE_CHUNK_HOLD_MILLIS} gives up its spare DATA chunks and keeps none until frames come
   * again, and stops the streams it answered early ({@link EarlyResponses}).
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
        frames.onStreamError(e);
      } catch (SocketTimeoutException e) {
        if (!sparesReleased) {
          chunks.release();
          sparesReleased = true;
        }
        ends.stopEarlyResponses();
      } catch (IOException e) {
        if (!(e.getCause() instanceof SocketTimeoutException) || !idleClock.running()) throw e;
        log.debug(
            "{}: idle for {} and trickling a frame, closing", connection, config.idleTimeout());
        connection.shutdownGracefully();
        return null;
      }
    }
  }

  /**
   * Waits for the next frame's first bytes, where a timeout leaves the stream at a frame boundary;
   * without a timeout when the owner sweeps ({@link SweptWaits}). The clock is read only here, not
   * per frame. Returns false once the connection has been idle for the idle timeout and was shut
   * down.
   */
  private boolean awaitFrame() throws IOException {
    long now = System.nanoTime();
    long idleLeft = idleLeftNanos(now);
    if (idleLeft <= 0) {
      log.debug("{}: idle for {}, closing", connection, config.idleTimeout());
      connection.shutdownGracefully();
      if (isIdle()) return false;
      idleLeft = idleNanos;
    }
    long wait = Math.max(1, Math.min(idleLeft, idleNanos) / 1_000_000);
    frameTimeoutMillis = idleLeft == Long.MAX_VALUE ? idleMillis : wait;
    if (swept.enabled()) {
      readTimeout(0); // the owner's sweep keeps the timeouts
      swept.waiting(now);
      try {
        in.awaitData();
      } finally {
        if (swept.ended()) sparesReleased = true; // kept again at the next frame
      }
      return true;
    }
    // Where chunks are or may soon be in use, or streams wait to be stopped, wait at most the
    // hold. An idle connection skips that: each timeout costs an exception, and thousands of
    // idle connections showed it in their memory.
    boolean hold =
        !sparesReleased && (chunks.taken() || idleLeft == Long.MAX_VALUE)
            || ends.hasEarlyResponses();
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
      open = !streams.isEmptyLocked();
      opened = streams.streamsOpenedLocked();
    } finally {
      lock.unlock();
    }
    return idleClock.left(now, open, opened);
  }

  private boolean isIdle() {
    lock.lock();
    try {
      return streams.isEmptyLocked();
    } finally {
      lock.unlock();
    }
  }

  /** True if the next frame is wholly buffered, so reading it cannot wait for the socket. */
  private boolean nextFrameBuffered() throws IOException {
    int buffered = in.buffered();
    if (buffered < FrameType.HEADER_LENGTH) return false;
    int length = in.peek(0) << 16 | in.peek(1) << 8 | in.peek(2);
    return buffered >= FrameType.HEADER_LENGTH + length;
  }

  /** Frames come again after a quiet spell: chunks may be reused again. */
  private void keepSpares() {
    chunks.keep();
    sparesReleased = false;
  }

  private void readTimeout(long millis) throws IOException {
    int timeout = (int) Math.min(Integer.MAX_VALUE, millis);
    if (timeout != readTimeoutMillis) {
      socket.setSoTimeout(timeout);
      readTimeoutMillis = timeout;
    }
  }

  // ---------------------------------------------------------------- streams, batched

  /** {@code stream} received DATA: its reader is woken before the reader thread next waits. */
  void wakeLater(Http2Stream stream) {
    assert onReaderThread() && lock.isHeldByCurrentThread();
    if (!stream.wakePending) {
      stream.wakePending = true;
      toWake.add(stream);
    }
  }

  private void wakeReaders() {
    lock.lock();
    try {
      for (Http2Stream stream : toWake) stream.wakeLocked();
    } finally {
      lock.unlock();
    }
    toWake.clear();
  }

  /** {@code stream}, just opened by the peer, goes to the listener once the read is handled. */
  void dispatchLater(Http2Stream stream) {
    assert onReaderThread();
    toDispatch.add(stream);
  }

  /**
   * Hands the streams the peer opened to the listener, once every frame already buffered has been
   * handled, so a stream whose RST_STREAM came in the same read (the rapid reset attack) never
   * costs a handler thread; a legitimate request waits only for the frames read with it.
   */
  private void dispatchStreams() {
    for (Http2Stream stream : toDispatch) {
      if (!stream.isReset()) connection.listener.onStream(stream);
    }
    toDispatch.clear();
  }

  /** Stream 1 of an h2c Upgrade reaches the listener once the client's preface arrived. */
  void dispatchAfterPreface(Http2Stream stream) {
    afterPreface = stream;
  }
}
