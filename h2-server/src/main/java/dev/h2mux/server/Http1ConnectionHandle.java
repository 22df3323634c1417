package dev.h2mux.server;

import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link Connection} of an HTTP/1.x connection. HTTP/1.1 has no PING or SETTINGS; {@link
 * #goAway} becomes "close after so many more requests".
 */
final class Http1ConnectionHandle extends SocketConnection {
  private final AtomicLong requests = new AtomicLong();

  /** The request whose response is the last on this connection; Long.MAX_VALUE for none. */
  private final AtomicLong lastRequest = new AtomicLong(Long.MAX_VALUE);

  Http1ConnectionHandle(Socket socket) {
    super(socket);
  }

  /** A request head was read; called before its handler runs. */
  void requestStarted() {
    requests.incrementAndGet();
  }

  /** True if the connection must close after the current request, because of {@link #goAway}. */
  boolean closeAfterThisRequest() {
    return requests.get() >= lastRequest.get();
  }

  @Override
  public void goAway(Http2ErrorCode error, int afterStreams) {
    Objects.requireNonNull(error, "error");
    if (afterStreams < 0) {
      throw new IllegalArgumentException("afterStreams must not be negative, got " + afterStreams);
    }
    long last = requests.get() + afterStreams;
    lastRequest.accumulateAndGet(last, Math::min);
  }

  @Override
  public CompletableFuture<Duration> ping() {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException("PING is an HTTP/2 frame; this is HTTP/1.1"));
  }

  @Override
  public Map<Integer, Long> peerSettings() {
    return Map.of();
  }

  @Override
  public String protocol() {
    return "HTTP/1.1";
  }

  @Override
  public boolean isUpgraded() {
    return false;
  }
}
