package dev.h2mux.testkit;

import dev.h2mux.core.engine.Http2Config;
import dev.h2mux.core.engine.Http2Connection;
import dev.h2mux.core.engine.Http2Stream;
import dev.h2mux.core.frame.ErrorCode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real {@link Http2Connection} over loopback with a {@link FramePeer} at the other end: the
 * engine as a server ({@link #server}), each stream it opens handled on a virtual thread of its
 * own, or as a client ({@link #client}), driven by the test through {@link #engine()}. Closing it
 * closes both ends and fails the test if the engine's threads do not end.
 */
public final class EngineUnderTest implements AutoCloseable {
  /** Serves one stream the server engine opened. */
  @FunctionalInterface
  public interface StreamHandler {
    /** Handles {@code stream}; what it throws resets the stream with INTERNAL_ERROR. */
    void handle(Http2Stream stream) throws Exception;
  }

  private final ServerSocket listener;
  private final FramePeer peer;
  private final Http2Connection engine;
  private final BlockingQueue<Http2Stream> opened;
  private final List<Throwable> handlerFailures;
  private final CompletableFuture<Void> engineClosed;

  private EngineUnderTest(
      ServerSocket listener,
      FramePeer peer,
      Http2Connection engine,
      BlockingQueue<Http2Stream> opened,
      List<Throwable> handlerFailures,
      CompletableFuture<Void> engineClosed) {
    this.listener = listener;
    this.peer = peer;
    this.engine = engine;
    this.opened = opened;
    this.handlerFailures = handlerFailures;
    this.engineClosed = engineClosed;
  }

  /** The engine in SERVER role, started; the peer is its client, before its preface. */
  public static EngineUnderTest server(Http2Config config, StreamHandler handler)
      throws IOException {
    return server(config, handler, 0);
  }

  /**
   * As {@link #server(Http2Config, StreamHandler)}; a positive {@code socketBuffer} shrinks the
   * peer's receive buffer and the engine's send buffer, so a peer that stops reading stalls the
   * engine's writer soon.
   */
  public static EngineUnderTest server(Http2Config config, StreamHandler handler, int socketBuffer)
      throws IOException {
    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    listener.setSoTimeout(FramePeer.TIMEOUT_MS);
    Socket client = new Socket();
    if (socketBuffer > 0) client.setReceiveBufferSize(socketBuffer);
    connect(client, listener);
    Socket accepted = listener.accept();
    if (socketBuffer > 0) accepted.setSendBufferSize(socketBuffer);
    BlockingQueue<Http2Stream> opened = new LinkedBlockingQueue<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    Http2Connection.Listener events =
        new Http2Connection.Listener() {
          @Override
          public void onStream(Http2Stream stream) {
            opened.add(stream);
            Thread.ofVirtual()
                .name("handler-" + stream.id())
                .start(
                    () -> {
                      try {
                        handler.handle(stream);
                      } catch (Throwable t) {
                        failures.add(t);
                        stream.reset(ErrorCode.INTERNAL_ERROR);
                      }
                    });
          }

          @Override
          public void onClose(Http2Connection connection) {
            closed.complete(null);
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
    EngineUnderTest pair =
        new EngineUnderTest(listener, FramePeer.client(client), engine, opened, failures, closed);
    engine.start();
    return pair;
  }

  /** The engine in CLIENT role, started (its preface is on the way); the peer is its server. */
  public static EngineUnderTest client(Http2Config config) throws IOException {
    return client(config, 0);
  }

  /**
   * As {@link #client(Http2Config)}; a positive {@code socketBuffer} shrinks the engine's send
   * buffer and the peer's receive buffer, so a peer that stops reading stalls the engine's writer
   * soon.
   */
  public static EngineUnderTest client(Http2Config config, int socketBuffer) throws IOException {
    ServerSocket listener = new ServerSocket();
    if (socketBuffer > 0) listener.setReceiveBufferSize(socketBuffer);
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    listener.setSoTimeout(FramePeer.TIMEOUT_MS);
    Socket client = new Socket();
    if (socketBuffer > 0) client.setSendBufferSize(socketBuffer);
    connect(client, listener);
    Socket accepted = listener.accept();
    CompletableFuture<Void> closed = new CompletableFuture<>();
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
                closed.complete(null);
              }
            });
    EngineUnderTest pair =
        new EngineUnderTest(
            listener,
            FramePeer.server(accepted),
            engine,
            new LinkedBlockingQueue<>(),
            new CopyOnWriteArrayList<>(),
            closed);
    engine.start();
    return pair;
  }

  private static void connect(Socket socket, ServerSocket listener) throws IOException {
    socket.connect(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()),
        FramePeer.TIMEOUT_MS);
  }

  /** The test's end of the connection. */
  public FramePeer peer() {
    return peer;
  }

  /** The engine under test. */
  public Http2Connection engine() {
    return engine;
  }

  /** The streams the server engine handed to its handler, in order. */
  public BlockingQueue<Http2Stream> opened() {
    return opened;
  }

  /** What handlers threw (a reset stream is expected in many tests). */
  public List<Throwable> handlerFailures() {
    return handlerFailures;
  }

  /** Completed when the engine reports its end to its listener. */
  public CompletableFuture<Void> engineClosed() {
    return engineClosed;
  }

  @Override
  public void close() throws Exception {
    try {
      peer.close();
    } finally {
      engine.close();
      boolean ended = engine.awaitTermination(FramePeer.TIMEOUT_MS, TimeUnit.MILLISECONDS);
      listener.close();
      if (!ended) throw new AssertionError("the engine's threads did not end");
    }
  }
}
