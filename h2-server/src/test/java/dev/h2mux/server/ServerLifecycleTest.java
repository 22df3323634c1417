package dev.h2mux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ServerLifecycleTest {
  private static void assertGone(Http2Server server, int port) {
    assertThat(server.acceptorThread().isAlive()).isFalse();
    assertThat(server.connectionCount()).isZero();
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("h2mux-acceptor-" + port));
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void startBindsLoopbackOnAnEphemeralPort() throws IOException {
    try (Http2Server server = Http2Server.builder().handler((rq, rs) -> {}).build().start()) {
      assertThat(server.port()).isPositive();
      assertThat(server.address().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
      assertThat(server.acceptorThread().getName()).isEqualTo("h2mux-acceptor-" + server.port());
      assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void gracefulCloseLetsTheInFlightRequestFinish() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<CountDownLatch> inFlight = new AtomicReference<>();
    Http2Server server =
        Http2Server.builder()
            .handler(
                (request, response) -> {
                  CountDownLatch busyEntered = inFlight.get();
                  if (busyEntered != null) {
                    busyEntered.countDown();
                    release.await();
                  }
                  response.body().write("finished".getBytes(StandardCharsets.UTF_8));
                })
            .build()
            .start();
    int port = server.port();
    try (RawConnection busy = new RawConnection(port);
        RawConnection idle = new RawConnection(port)) {
      idle.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(idle.read().status()).isEqualTo(200); // kept alive, now idle
      CountDownLatch busyEntered = new CountDownLatch(1);
      inFlight.set(busyEntered);
      busy.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(busyEntered.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
      assertThat(idle.closedByServer()).isTrue(); // closed while the busy one is still in flight
      assertThat(closing).isNotDone();
      release.countDown();
      RawConnection.Reply reply = busy.read();
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.body()).isEqualTo("finished");
      // close() may reach the busy connection just before or just after its response head
      // is written: with "Connection: close" or without, the server then closes it.
      assertThat(reply.header("connection")).isIn(null, "close");
      assertThat(busy.closedByServer()).isTrue();
      closing.get(10, TimeUnit.SECONDS);
    }
    assertGone(server, port);
  }

  @Test
  void gracefulCloseClosesIdleConnectionsAtOnce() throws Exception {
    Http2Server server =
        Http2Server.builder()
            .handler((request, response) -> {})
            .gracefulShutdownTimeout(Duration.ofSeconds(30))
            .build()
            .start();
    int port = server.port();
    try (RawConnection keptAlive = new RawConnection(port);
        RawConnection silent = new RawConnection(port)) {
      keptAlive.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(keptAlive.read().status()).isEqualTo(200);
      long start = System.nanoTime();
      server.close();
      assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
      assertThat(keptAlive.closedByServer()).isTrue();
      assertThat(silent.closedByServer()).isTrue();
    }
    assertGone(server, port);
    server.close(); // idempotent
  }

  @Test
  void gracefulCloseForcesConnectionsAfterTheTimeout() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    Http2Server server =
        Http2Server.builder()
            .handler(
                (request, response) -> {
                  entered.countDown();
                  new CountDownLatch(1).await(); // never finishes by itself
                })
            .gracefulShutdownTimeout(Duration.ofMillis(200))
            .build()
            .start();
    int port = server.port();
    try (RawConnection c = new RawConnection(port)) {
      c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      server.close();
      assertThat(c.closedByServer()).isTrue();
    }
    assertGone(server, port);
  }

  @Test
  void closeNowEndsInFlightRequests() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    Http2Server server =
        Http2Server.builder()
            .handler(
                (request, response) -> {
                  entered.countDown();
                  new CountDownLatch(1).await();
                })
            .build()
            .start();
    int port = server.port();
    try (RawConnection c = new RawConnection(port)) {
      c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      server.closeNow();
      assertThat(c.closedByServer()).isTrue();
    }
    assertGone(server, port);
  }

  @Test
  void closingAnUnstartedServerIsHarmless() {
    Http2Server server = Http2Server.builder().handler((rq, rs) -> {}).build();
    server.close();
    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void builderValidatesEverySetting() {
    Http2Server.Builder b = Http2Server.builder();
    assertThatThrownBy(() -> b.port(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port");
    assertThatThrownBy(() -> b.port(65536)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxConcurrentStreams(0))
        .hasMessageContaining("maxConcurrentStreams");
    assertThatThrownBy(() -> b.initialWindowSize(0)).hasMessageContaining("initialWindowSize");
    assertThatThrownBy(() -> b.connectionWindowSize(1000))
        .hasMessageContaining("connectionWindowSize");
    assertThatThrownBy(() -> b.maxFrameSize(1000)).hasMessageContaining("maxFrameSize");
    assertThatThrownBy(() -> b.maxFrameSize(1 << 24)).hasMessageContaining("maxFrameSize");
    assertThatThrownBy(() -> b.maxHeaderListSize(10)).hasMessageContaining("maxHeaderListSize");
    assertThatThrownBy(() -> b.idleTimeout(Duration.ZERO)).hasMessageContaining("idleTimeout");
    assertThatThrownBy(() -> b.headerReadTimeout(Duration.ofSeconds(-1)))
        .hasMessageContaining("headerReadTimeout");
    assertThatThrownBy(() -> b.maxRequestBodyBuffered(-1))
        .hasMessageContaining("maxRequestBodyBuffered");
    assertThatThrownBy(() -> b.gracefulShutdownTimeout(Duration.ofSeconds(-1)))
        .hasMessageContaining("gracefulShutdownTimeout");
    assertThatThrownBy(() -> b.host("no such host.invalid"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("handler");
  }

  @Test
  void configCarriesTheDefaults() {
    Http2Server.Builder b = Http2Server.builder().handler((rq, rs) -> {});
    ServerConfig config = b.buildConfig();
    assertThat(config.bindAddress()).isEqualTo(InetAddress.getLoopbackAddress());
    assertThat(config.port()).isZero();
    assertThat(config.maxConcurrentStreams()).isEqualTo(128);
    assertThat(config.initialWindowSize()).isEqualTo(1 << 20);
    assertThat(config.connectionWindowSize()).isEqualTo(16 << 20);
    assertThat(config.maxFrameSize()).isEqualTo(16384);
    assertThat(config.maxHeaderListSize()).isEqualTo(16384);
    assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.headerReadTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.maxRequestBodyBuffered()).isEqualTo(1 << 20);
    assertThat(config.gracefulShutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.tls()).isFalse();
    assertThat(config.scheme()).isEqualTo("http");
  }
}
