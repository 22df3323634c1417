package dev.h2mux.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Attacks on a real server over real sockets, each bounded in time: the attacker is cut off, a good
 * client on another connection is served throughout, and the heap after a GC has not grown.
 * docs/SECURITY.md has the figures of the same attacks run longer against the demo server.
 */
@Timeout(60)
class AbuseServerTest {
  private static final Duration ATTACK = Duration.ofSeconds(2);
  private static final long MiB = 1 << 20;

  private final AtomicInteger handled = new AtomicInteger();
  private Http2Server server;

  @BeforeEach
  void start() throws IOException {
    server =
        Http2Server.builder()
            .port(0)
            .http2HandshakeTimeout(Duration.ofMillis(300))
            .handler(
                (request, response) -> {
                  handled.incrementAndGet();
                  request.body().readAllBytes();
                  response.body().write("ok".getBytes(StandardCharsets.UTF_8));
                })
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    if (server != null) server.closeNow();
  }

  private static long heapAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) System.gc();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  /** A good client that keeps requesting on its own connection until stopped. */
  private final class GoodClient implements AutoCloseable {
    final AtomicInteger served = new AtomicInteger();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    GoodClient() {
      thread =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (H2TestClient client = new H2TestClient(server.port())) {
                      while (!stop.get()) {
                        assertThat(client.get("/").text()).isEqualTo("ok");
                        served.incrementAndGet();
                      }
                    } catch (Throwable t) {
                      failures.add(t);
                    }
                  });
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.join(Duration.ofSeconds(10));
    }
  }

  /**
   * Runs {@code attack} on one connection after another, on {@code connections} at once, for the
   * attack's duration; returns how each connection ended (its GOAWAY code, or -1 without one).
   */
  private List<Integer> rounds(int connections, Attack attack) throws Exception {
    long deadline = System.nanoTime() + ATTACK.toNanos();
    List<Integer> endings = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Void>> workers = new CopyOnWriteArrayList<>();
    for (int c = 0; c < connections; c++) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      workers.add(done);
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  while (System.nanoTime() < deadline) endings.add(oneRound(attack));
                  done.complete(null);
                } catch (Throwable t) {
                  done.completeExceptionally(t);
                }
              });
    }
    for (CompletableFuture<Void> w : workers) w.get();
    return endings;
  }

  @FunctionalInterface
  interface Attack {
    /** Writes the next batch of the attack on {@code client}. */
    void batch(RawH2Client client, int round) throws IOException;
  }

  private int oneRound(Attack attack) throws Exception {
    try (RawH2Client client = new RawH2Client(server.port()).preface()) {
      CompletableFuture<Frame.GoAway> goAway = new CompletableFuture<>();
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  goAway.complete(client.awaitGoAway());
                } catch (IOException e) {
                  goAway.complete(null);
                }
              });
      try {
        for (int round = 0; !goAway.isDone() && round < 10_000; round++) {
          attack.batch(client, round);
          client.flush();
        }
      } catch (IOException cutOff) {
        // the server closed the connection under our writes
      }
      Frame.GoAway g = goAway.get();
      return g == null ? -1 : g.errorCode();
    }
  }

  private void assertCutOffWithGoodClientServedAndFlatHeap(int connections, Attack attack)
      throws Exception {
    long before = heapAfterGc();
    int handledBefore = handled.get();
    List<Integer> endings;
    try (GoodClient good = new GoodClient()) {
      endings = rounds(connections, attack);
      int servedDuring = good.served.get();
      assertThat(servedDuring).as("good client served during the attack").isPositive();
      good.close();
      assertThat(good.failures).isEmpty();
    }
    assertThat(endings).as("attacker connections").hasSizeGreaterThan(connections);
    assertThat(endings)
        .as("each attacker connection got GOAWAY(ENHANCE_YOUR_CALM)")
        .containsOnly(ErrorCode.ENHANCE_YOUR_CALM.code());
    try (H2TestClient after = new H2TestClient(server.port())) {
      assertThat(after.get("/").text()).isEqualTo("ok");
    }
    long grown = heapAfterGc() - before;
    assertThat(grown).as("heap growth after GC, bytes").isLessThan(16 * MiB);
    assertThat(handled.get() - handledBefore).as("handlers run").isPositive();
  }

  @Test
  void rapidResetRoundsOnTwoConnections() throws Exception {
    assertCutOffWithGoodClientServedAndFlatHeap(
        2,
        (client, round) -> {
          ByteArrayOutputStream batch = new ByteArrayOutputStream();
          dev.h2mux.core.frame.FrameWriter out = new dev.h2mux.core.frame.FrameWriter(batch);
          for (int i = 0; i < 64; i++) {
            int id = 1 + 2 * (round * 64 + i);
            out.headers(id, client.request("GET", "/"), true, null);
            out.rstStream(id, ErrorCode.CANCEL.code());
          }
          client.raw().write(batch.toByteArray());
        });
  }

  @Test
  void emptyDataFloodOnTwoConnections() throws Exception {
    assertCutOffWithGoodClientServedAndFlatHeap(
        2,
        (client, round) -> {
          if (round == 0) client.out.headers(1, client.request("POST", "/"), false, null);
          for (int i = 0; i < 256; i++) client.out.writeHeader(0, FrameType.DATA, 0, 1);
        });
  }

  @Test
  void aConnectionSilentAfterThePrefaceIsClosedAtTheHandshakeTimeout() throws Exception {
    try (RawH2Client client = new RawH2Client(server.port())) {
      client.out.writePreface();
      client.flush();
      long start = System.nanoTime();
      Frame.GoAway goAway = client.awaitGoAway();
      assertThat(goAway).isNotNull();
      assertThat(goAway.error()).isEqualTo(ErrorCode.NO_ERROR);
      assertThat(client.next()).as("then the end of the connection").isNull();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));
    }
  }
}
