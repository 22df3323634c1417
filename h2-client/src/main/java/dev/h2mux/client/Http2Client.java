package dev.h2mux.client;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/2 client with HTTP/1.1 fallback. Thread-safe; share one instance.
 *
 * <p>Each origin (scheme, host, port) gets one HTTP/2 connection that carries every concurrent
 * request as its own stream, up to the server's SETTINGS_MAX_CONCURRENT_STREAMS; requests beyond
 * that wait for a stream to end. Requests the server refused (REFUSED_STREAM, or above a GOAWAY's
 * last stream id) are sent again on a new connection; a request the server may have processed is
 * sent again only if it is idempotent and its body replayable. HTTP/1.1 origins get a bounded pool
 * of keep-alive connections.
 *
 * <p>Exchanges are full duplex: a request body is sent on its own virtual thread while the response
 * arrives, so {@link #send} returns with the response head even while the upload goes on, and a
 * server that answers as the body arrives (an echo, gRPC) never waits on a client that is still
 * sending.
 *
 * <pre>{@code
 * try (Http2Client client = Http2Client.builder().build()) {
 *   ClientResponse response = client.send(ClientRequest.get(URI.create("http://localhost:8080/")));
 *   String text = response.string();
 * }
 * }</pre>
 *
 * <p>{@link #close()} closes every connection and ends every thread the client started.
 */
public final class Http2Client implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Http2Client.class);

  final ClientConfig settings;
  private final ConcurrentHashMap<Origin, OriginPool> pools = new ConcurrentHashMap<>();
  private final ClientThreads threads;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger connectionsOpened = new AtomicInteger();
  private final ScheduledExecutorService timer;
  final String name;

  Http2Client(ClientConfig settings) {
    this.settings = settings;
    // identity, not a static counter: the library keeps no global state
    this.name = "h2-client-" + Integer.toHexString(System.identityHashCode(this));
    this.threads = new ClientThreads(name);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name(name + "-timer").unstarted(r));
    long tick = tickMillis(settings);
    timer.scheduleWithFixedDelay(this::maintain, tick, tick, TimeUnit.MILLISECONDS);
  }

  private static long tickMillis(ClientConfig s) {
    long idle = s.idleTimeout().toMillis();
    long ping =
        s.pingInterval() == null
            ? Long.MAX_VALUE
            : Math.min(s.pingInterval().toMillis(), s.pingTimeout().toMillis());
    return Math.max(20, Math.min(1000, Math.min(idle, ping) / 4));
  }

  /** A builder with the defaults described on each method. */
  public static Http2ClientBuilder builder() {
    return new Http2ClientBuilder();
  }

  /**
   * Sends a request and waits for the response head; the body streams as it is read.
   *
   * @throws java.net.UnknownHostException if the host can't be resolved
   * @throws java.net.ConnectException if the server can't be reached
   * @throws ConnectTimeoutException if opening a connection took longer than the connect timeout
   * @throws java.net.SocketTimeoutException if the response took longer than its timeout
   * @throws Http2ClientException if the server reset the stream, went away, broke the protocol, or
   *     sent a malformed response
   * @throws IOException for other I/O failures
   */
  public ClientResponse send(ClientRequest request) throws IOException {
    return send(request, new Cancellation());
  }

  private ClientResponse send(ClientRequest request, Cancellation cancel) throws IOException {
    Objects.requireNonNull(request, "request");
    Exchange exchange = new Exchange();
    ClientResponse response = sendOnce(request, cancel, exchange);
    if (settings.maxRedirects() >= 0) {
      response =
          Redirects.follow(
              request,
              response,
              settings.maxRedirects(),
              exchange,
              next -> sendOnce(next, cancel, exchange));
    }
    return settings.decompress() ? Decompression.decode(response) : response;
  }

  private ClientResponse sendOnce(ClientRequest request, Cancellation cancel, Exchange exchange)
      throws IOException {
    if (closed.get()) throw new IOException("client closed");
    OriginPool pool = pools.computeIfAbsent(Origin.of(request.uri()), o -> new OriginPool(this, o));
    return pool.send(request, cancel, exchange);
  }

  /**
   * Sends a request on a virtual thread. The future completes with the response head (the body
   * streams as it is read). Cancelling the future before then resets the request's stream
   * (RST_STREAM CANCEL) or closes its HTTP/1.1 connection; afterwards, use {@link
   * ClientResponse#cancel()}.
   */
  public CompletableFuture<ClientResponse> sendAsync(ClientRequest request) {
    Objects.requireNonNull(request, "request");
    Cancellation cancel = new Cancellation();
    CompletableFuture<ClientResponse> future =
        new CompletableFuture<>() {
          @Override
          public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) cancel.cancel();
            return cancelled;
          }
        };
    if (closed.get()) {
      future.completeExceptionally(new IOException("client closed"));
      return future;
    }
    Thread thread =
        newThread(
            "async",
            () -> {
              try {
                ClientResponse response = send(request, cancel);
                if (!future.complete(response)) response.close();
              } catch (IOException | RuntimeException e) {
                future.completeExceptionally(e);
              }
            });
    cancel.thread(thread); // before it runs: a cancel must find the thread to interrupt
    thread.start();
    return future;
  }

  /** A thread that {@link #close()} ends; see {@link ClientThreads#newThread}. */
  Thread newThread(String role, Runnable task) {
    return threads.newThread(role, task);
  }

  /** How many connections this client opened so far (for tests and statistics). */
  int connectionsOpened() {
    return connectionsOpened.get();
  }

  int nextConnectionNumber() {
    return connectionsOpened.incrementAndGet();
  }

  boolean isClosed() {
    return closed.get();
  }

  private void maintain() {
    try {
      long now = System.nanoTime();
      for (OriginPool pool : pools.values()) pool.maintain(now);
    } catch (RuntimeException e) {
      log.warn("{}: connection maintenance failed", name, e);
    }
  }

  /**
   * Closes every connection (requests in flight fail) and stops every thread the client started;
   * returns when they ended.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    timer.shutdownNow();
    List<OriginPool> all = new ArrayList<>(pools.values());
    pools.clear();
    for (OriginPool pool : all) pool.close();
    for (OriginPool pool : all) pool.awaitClosed(Duration.ofSeconds(5));
    try {
      threads.interruptAndJoin(Duration.ofSeconds(5));
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.debug("{}: closed", name);
  }
}
