package dev.h2mux.core.engine;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.engine.GracefulShutdown.Ending;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.Http2Settings;
import dev.h2mux.core.http.RequestHead;
import dev.h2mux.core.io.PeekableInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/2 connection, either end (RFC 9113). The role only decides stream-id parity, who sends
 * the preface, and which heads are received; everything else — settings, the §5.1 stream state
 * machine, flow control, GOAWAY, limits — is written once for both.
 *
 * <p>This class is the connection's face and its lifecycle: start, streams opened by us, PING,
 * shutdown and the end. The parts it wires together share its one lock; the package documentation
 * lists them, which RFC rules each enforces, and which thread runs what.
 */
public final class Http2Connection implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(Http2Connection.class);

  /** Which end of the connection we are. */
  public enum Role {
    /** Sends the client preface and opens odd-numbered streams. */
    CLIENT,
    /** Reads the client preface and accepts the streams the client opens. */
    SERVER
  }

  /** What the connection tells its owner. Called on the reader thread: must not block. */
  public interface Listener {
    /**
     * The peer opened a stream with a valid request (server role).
     *
     * @param stream the new stream, whose request is {@link Http2Stream#request()}
     */
    default void onStream(Http2Stream stream) {}

    /**
     * The connection ended; no more streams will be opened.
     *
     * @param connection the connection that ended
     */
    default void onClose(Http2Connection connection) {}
  }

  /** The connection's one lock: it guards the state of every part below and of every stream. */
  final ReentrantLock lock = new ReentrantLock();

  private final Role role;
  private final Http2Config config;
  private final Socket socket;
  private final String name;
  final Listener listener;

  final ConnectionWriter writer;
  final ChunkPool chunks;
  final StreamTable streams;
  final FlowControl flow;
  final ConnectionSettings settings;
  final Pings pings;
  final StreamEnds ends;
  final GracefulShutdown shutdown;
  final StreamOpener opener;
  final ReadLoop readLoop;
  final Termination termination;

  /** Body reads leave their idle timeout to the owner's timer; guarded by the lock. */
  private boolean readsTimedByOwner;

  /**
   * Creates a connection over an accepted or connected socket. Nothing happens until {@link
   * #start}.
   *
   * @param role which end we are
   * @param config the limits we advertise and enforce
   * @param socket the connected socket
   * @param in the socket's input, possibly with bytes already read pushed back (the server peeks at
   *     the preface, an Upgrade has read the HTTP/1.1 request)
   * @param out the socket's output
   * @param listener told of new streams and of the end
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
    this.listener = listener;
    this.name = "h2-" + role.name().toLowerCase() + "-" + socket.getPort();
    // A server hands over the buffered stream it detected the protocol with; a second buffer
    // would only copy every byte once more. A server holds many connections, and 16 KiB holds a
    // burst of requests. A client holds few and mostly downloads: 64 KiB lets one read syscall
    // carry several DATA frames (docs/BENCHMARKS.md).
    PeekableInputStream buffered =
        in instanceof PeekableInputStream peekable
            ? peekable
            : new PeekableInputStream(in, role == Role.CLIENT ? 64 * 1024 : 16 * 1024);
    FrameTrace trace = FrameTrace.ifEnabled(name);
    this.writer =
        new ConnectionWriter(
            out, 64 * 1024, config.maxQueuedControlFrames(), config.maxQueuedDataBytes());
    if (trace != null) writer.observer(trace);
    // Each part takes the parts it works with from this connection as it is made: this order.
    this.chunks = writer.chunks();
    this.streams = new StreamTable(lock, role);
    this.flow = new FlowControl(this);
    this.settings = new ConnectionSettings(this);
    this.pings = new Pings(this);
    this.ends = new StreamEnds(this);
    this.shutdown = new GracefulShutdown(this);
    this.opener = new StreamOpener(this);
    this.readLoop = new ReadLoop(this, socket, buffered, trace);
    this.termination = new Termination(this, socket);
  }

  /** {@return our role} */
  public Role role() {
    return role;
  }

  /** {@return the limits we advertise and enforce} */
  public Http2Config config() {
    return config;
  }

  /** {@return the socket under this connection} */
  public Socket socket() {
    return socket;
  }

  // ---------------------------------------------------------------- starting

  /**
   * Starts the reader and writer threads, after queueing the preface: our SETTINGS (and for a
   * client the magic first), then a WINDOW_UPDATE that opens the connection window.
   *
   * @throws IOException if the preface can't be queued (the connection was closed)
   */
  public void start() throws IOException {
    queuePreface();
    Thread.ofVirtual().name(name + "-writer").start(this::runWriter);
    // A client has few connections and mostly waits on responses: its reader blocks on a
    // platform thread, so arriving data wakes it in the kernel instead of through the
    // virtual-thread poller and a carrier (docs/BENCHMARKS.md). A server holds thousands of
    // connections; their readers stay virtual (see serve()).
    Thread.Builder reader = role == Role.CLIENT ? Thread.ofPlatform().daemon() : Thread.ofVirtual();
    reader.name(name + "-reader").start(readLoop::run);
  }

  /**
   * Runs the connection on the calling thread until it ends: the reader loop runs here and only the
   * writer gets a thread of its own, so a server connection costs two threads, not three. Returns
   * once the socket is closed.
   *
   * @throws IOException if the preface can't be queued, or the calling thread is interrupted
   */
  public void serve() throws IOException {
    queuePreface();
    Thread.ofVirtual().name(name + "-writer").start(this::runWriter);
    readLoop.run();
    try {
      termination.await();
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
   *
   * @param request the HTTP/1.1 request that asked for the upgrade
   * @param body its body, read whole
   * @param http2Settings the decoded payload of its HTTP2-Settings header
   * @return stream 1
   * @throws IOException if the settings are invalid
   */
  public Http2Stream adoptUpgrade(RequestHead request, byte[] body, byte[] http2Settings)
      throws IOException {
    return H2cUpgrade.adopt(this, request, body, http2Settings);
  }

  /**
   * Starts a client connection after the server accepted an h2c Upgrade: the request already sent
   * is stream 1, half-closed (local).
   *
   * @return stream 1, on which the response arrives
   * @throws IOException if the connection can't start
   */
  public Http2Stream startUpgradedClient() throws IOException {
    return H2cUpgrade.startClient(this);
  }

  private void queuePreface() throws IOException {
    Frame.Settings ours = new Frame.Settings(false, settings.ours());
    boolean client = role == Role.CLIENT;
    writer.control(
        (w, e) -> {
          if (client) w.writePreface();
          w.settings(ours);
        });
    flow.openConnectionWindow();
  }

  private void runWriter() {
    try {
      writer.run();
    } finally {
      termination.writerEnded(writer.failed());
    }
  }

  // ---------------------------------------------------------------- streams we open

  /**
   * Opens a stream and sends its request head (client role). Waits while the peer's
   * SETTINGS_MAX_CONCURRENT_STREAMS streams are open, so requests beyond it wait their turn.
   *
   * @param requestFields the request head, pseudo-fields first
   * @param endStream true if the request has no body
   * @param timeoutNanos how long to wait for a slot at most
   * @return the new stream
   * @throws StreamResetException (retryable) if the connection can take no new streams
   * @throws SocketTimeoutException if no slot opened within the timeout
   */
  public Http2Stream newStream(HttpFields requestFields, boolean endStream, long timeoutNanos)
      throws IOException {
    return opener.open(requestFields, endStream, timeoutNanos);
  }

  /** {@return true if a new stream could be opened now without waiting} */
  public boolean hasCapacity() {
    return opener.hasCapacity();
  }

  /** {@return true once the connection can take no new streams: GOAWAY either way, or closed} */
  public boolean isShutdown() {
    lock.lock();
    try {
      return termination.isClosedLocked() || shutdown.takesNoNewStreamsLocked();
    } finally {
      lock.unlock();
    }
  }

  /** {@return the number of streams open now} */
  public int activeStreams() {
    lock.lock();
    try {
      return streams.sizeLocked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@return the settings the peer has sent so far, the latest value of each} Settings it never
   * sent are absent (their RFC defaults apply, §6.5.2).
   */
  public Http2Settings peerSettingsSent() {
    lock.lock();
    try {
      return settings.peerSentLocked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Leaves the idle timeout of body reads to the owner, who from now on calls {@link #sweep} at
   * intervals well under the idle timeout for as long as the connection is open: a read that waits
   * for DATA then parks untimed. For an owner with a timer of its own (the client): a timed park of
   * a virtual thread costs a task in the JDK's timer, once per wait.
   */
  public void timeReadsByOwner() {
    lock.lock();
    try {
      readsTimedByOwner = true;
    } finally {
      lock.unlock();
    }
  }

  /** Fails each untimed body read that by {@code now} has waited for DATA for the idle timeout. */
  private void expireStalledReads(long now) {
    long idleNanos = config.idleTimeout().toNanos();
    lock.lock();
    try {
      if (!readsTimedByOwner) return;
      for (Http2Stream stream : streams.streamsLocked()) {
        stream.inbound().expireLocked(now, idleNanos);
      }
    } finally {
      lock.unlock();
    }
  }

  /** See {@link #timeReadsByOwner}; under the lock. */
  boolean readsTimedByOwnerLocked() {
    return readsTimedByOwner;
  }

  // ---------------------------------------------------------------- PING and shutdown

  /**
   * Sends a PING and completes when its ACK arrives.
   *
   * @return a future completed by the ACK, or exceptionally if the connection ends first
   */
  public CompletableFuture<Void> ping() {
    return pings.send();
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
   * §6.8); it returns at once, and the connection closes by itself once no stream is left. Every
   * stream the peer opened before it saw the GOAWAY is served to the end; the streams after it are
   * ignored, and the final GOAWAY tells the peer they were never processed. A server with NO_ERROR
   * does it in two steps, GOAWAY(2^31-1) and a PING first ({@link GracefulShutdown}); otherwise one
   * GOAWAY names the last stream at once. Calls after the first do nothing.
   *
   * @param error the code the GOAWAY frames carry
   * @param debug text for the GOAWAY's debug data (cut at 256 bytes), or empty
   */
  public void shutdownGracefully(ErrorCode error, String debug) {
    Objects.requireNonNull(error, "error");
    shutdown.begin(error, debug);
  }

  /**
   * Tells the connection that its owner calls {@link #sweep} often, at least every 100 ms and at
   * least four times per idle timeout (the server's acceptor does): the reader then waits for
   * frames without a socket timeout, and the sweep keeps the idle timeout. Before {@link #serve}.
   */
  public void sweptByOwner() {
    readLoop.swept.enable();
  }

  /**
   * One look by the owner, for the waits it took over: with {@link #sweptByOwner}, shuts the
   * connection down if it has been idle for the idle timeout and gives up its spare buffers if it
   * has been quiet for a second; with {@link #timeReadsByOwner}, fails the body reads that waited
   * for DATA for the idle timeout (a {@link java.net.SocketTimeoutException}; the stream lives on).
   * Any thread, one at a time.
   *
   * @param nowNanos {@link System#nanoTime()} at the sweep
   */
  public void sweep(long nowNanos) {
    readLoop.swept.sweep(nowNanos);
    expireStalledReads(nowNanos);
  }

  // ---------------------------------------------------------------- the end

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
   * @param timeout how long to wait at most
   * @param unit the unit of {@code timeout}
   * @return true if that happened within the timeout
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return termination.await(timeout, unit);
  }

  /** {@return true once the connection ended} */
  public boolean isClosed() {
    lock.lock();
    try {
      return termination.isClosedLocked();
    } finally {
      lock.unlock();
    }
  }

  /** True once the connection ended; for the parts, under the lock. */
  boolean isClosedLocked() {
    return termination.isClosedLocked();
  }

  /** Ends the connection with GOAWAY({@code error}) last: a connection error, or NO_ERROR. */
  int terminate(ErrorCode error, String debug) {
    return termination.end(Ending.GOAWAY, error, debug);
  }

  /** Ends the connection as {@code ending}: {@link Ending#LOST} or {@link Ending#DRAINED}. */
  int terminate(Ending ending) {
    assert ending != Ending.GOAWAY;
    return termination.end(ending, ErrorCode.NO_ERROR, "");
  }

  @Override
  public String toString() {
    return name;
  }
}
