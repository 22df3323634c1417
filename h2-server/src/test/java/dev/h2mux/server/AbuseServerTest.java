package dev.h2mux.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameReader;
import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.frame.FrameWriter;
import dev.h2mux.testkit.FramePeer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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

  /** An attack: batches of frames, bytes as they are, written one after the other. */
  interface Attack {
    /**
     * How many batches one connection gets: well past the limit the attack must trip, counting what
     * its budget earns back in the seconds a slow machine may take to read them.
     */
    int batches();

    /** The next batch of the attack on {@code peer}, its frames as bytes. */
    byte[] batch(FramePeer peer, int round) throws IOException;
  }

  /**
   * One attacker connection: the handshake, then the attack's batches (until the server closes
   * under them), then its frames up to the GOAWAY. The peer neither answers PINGs nor gives back
   * windows, so that what the server sees is the attack alone.
   */
  private int oneRound(Attack attack) throws Exception {
    try (FramePeer peer = FramePeer.connect(server.port())) {
      peer.handshake().answerPings(false).replenishWindows(false);
      try {
        for (int round = 0; round < attack.batches(); round++) {
          peer.raw(attack.batch(peer, round));
        }
      } catch (IOException cutOff) {
        // the server closed the connection under our writes
      }
      return goAwayCode(peer);
    }
  }

  /** Reads past the server's other frames to its GOAWAY: its code, or -1 at an end without one. */
  private static int goAwayCode(FramePeer peer) throws IOException {
    try {
      for (Frame frame; (frame = peer.next()) != null; ) {
        if (frame instanceof Frame.GoAway g) return g.errorCode();
      }
    } catch (SocketException reset) {
      // closed with our bytes unread
    }
    return -1;
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
        new Attack() {
          @Override
          public int batches() {
            return 16; // 1,024 resets; the budget is 256 at once, then 32/s
          }

          @Override
          public byte[] batch(FramePeer peer, int round) throws IOException {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            FrameWriter out = new FrameWriter(batch);
            for (int i = 0; i < 64; i++) {
              int id = 1 + 2 * (round * 64 + i);
              out.headers(id, peer.encode(FramePeer.request("GET", "/")), true, null);
              out.rstStream(id, ErrorCode.CANCEL.code());
            }
            return batch.toByteArray();
          }
        });
  }

  @Test
  void emptyDataFloodOnTwoConnections() throws Exception {
    assertCutOffWithGoodClientServedAndFlatHeap(
        2,
        new Attack() {
          @Override
          public int batches() {
            return 8; // 2,048 empty DATA frames; the budget is 100 at once, then 10/s
          }

          @Override
          public byte[] batch(FramePeer peer, int round) throws IOException {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            FrameWriter out = new FrameWriter(batch);
            if (round == 0) {
              out.headers(1, peer.encode(FramePeer.request("POST", "/")), false, null);
            }
            for (int i = 0; i < 256; i++) out.writeHeader(0, FrameType.DATA, 0, 1);
            return batch.toByteArray();
          }
        });
  }

  /**
   * A client that sends the preface and then nothing, not even the acknowledgement of the server's
   * SETTINGS: its frames are read with a bare {@link FrameReader}, since a {@link FramePeer}
   * acknowledges SETTINGS as it reads them.
   */
  @Test
  void aConnectionSilentAfterThePrefaceIsClosedAtTheHandshakeTimeout() throws Exception {
    try (FramePeer peer = FramePeer.connect(server.port())) {
      peer.raw(FrameReader.PREFACE);
      long start = System.nanoTime();
      FrameReader in =
          new FrameReader(
              new BufferedInputStream(peer.socket().getInputStream()),
              FrameType.MAX_MAX_FRAME_SIZE);
      List<Frame> frames = new ArrayList<>();
      for (Frame f; (f = in.readFrame()) != null; ) frames.add(f); // to the end
      assertThat(frames)
          .last()
          .isInstanceOfSatisfying(
              Frame.GoAway.class, g -> assertThat(g.error()).isEqualTo(ErrorCode.NO_ERROR));
      assertThat(frames)
          .filteredOn(f -> !(f instanceof Frame.GoAway))
          .allMatch(
              f -> f instanceof Frame.Settings || f instanceof Frame.WindowUpdate,
              "only the server's preface before the GOAWAY");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));
    }
  }
}
