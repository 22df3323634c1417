package dev.h2mux.server;

import dev.h2mux.core.engine.Http2Connection;
import dev.h2mux.core.frame.ErrorCode;
import java.net.Socket;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link Connection} of an HTTP/2 connection: the engine's PING and graceful GOAWAY, and a
 * count of the streams accepted so that {@link #goAway} can wait for some.
 */
final class Http2ConnectionHandle extends SocketConnection {
  private final Http2Connection engine;
  private final boolean upgraded;

  /** Streams accepted so far; written only by the engine's reader, through streamAccepted. */
  private final AtomicLong streamsAccepted = new AtomicLong();

  /** The count of accepted streams at which GOAWAY is due; Long.MAX_VALUE for none. */
  private final AtomicLong goAwayAt = new AtomicLong(Long.MAX_VALUE);

  private volatile Http2ErrorCode goAwayError = Http2ErrorCode.NO_ERROR;
  private final AtomicBoolean goAwaySent = new AtomicBoolean();

  Http2ConnectionHandle(Http2Connection engine, Socket socket, boolean upgraded) {
    super(socket);
    this.engine = engine;
    this.upgraded = upgraded;
  }

  /**
   * The engine accepted a stream; called on the reader thread, before its handler starts. Every
   * stream of every connection passes here, so it takes no lock: one increment and one read.
   */
  void streamAccepted() {
    if (streamsAccepted.incrementAndGet() >= goAwayAt.get()) sendGoAwayOnce();
  }

  @Override
  public void goAway(Http2ErrorCode error, int afterStreams) {
    Objects.requireNonNull(error, "error");
    if (afterStreams < 0) {
      throw new IllegalArgumentException("afterStreams must not be negative, got " + afterStreams);
    }
    long due = streamsAccepted.get() + afterStreams;
    if (due < goAwayAt.get()) {
      goAwayError = error; // set before the new target is visible to streamAccepted
      goAwayAt.accumulateAndGet(due, Math::min);
    }
    // A stream accepted while the target was being set may have missed it: check once more.
    if (streamsAccepted.get() >= goAwayAt.get()) sendGoAwayOnce();
  }

  private void sendGoAwayOnce() {
    if (goAwaySent.compareAndSet(false, true)) {
      // The GOAWAY names the last stream accepted, which is still served (RFC 9113 §6.8).
      engine.shutdownGracefully(ErrorCode.of(goAwayError.code()), "");
    }
  }

  @Override
  public CompletableFuture<Duration> ping() {
    long start = System.nanoTime();
    CompletableFuture<Duration> result = new CompletableFuture<>();
    engine
        .ping()
        .whenComplete(
            (ack, failure) -> {
              long end = System.nanoTime();
              // The engine completes pings on its reader thread, which must never run a caller's
              // dependent actions: hand over to a thread of their own.
              Thread.ofVirtual()
                  .name("h2mux-ping")
                  .start(
                      () -> {
                        if (failure != null) result.completeExceptionally(failure);
                        else result.complete(Duration.ofNanos(end - start));
                      });
            });
    return result;
  }

  @Override
  public Map<Integer, Long> peerSettings() {
    Map<Integer, Long> settings = new TreeMap<>();
    engine.peerSettingsSent().forEach(settings::put);
    return Collections.unmodifiableMap(settings);
  }

  @Override
  public String protocol() {
    return "HTTP/2";
  }

  @Override
  public boolean isUpgraded() {
    return upgraded;
  }
}
