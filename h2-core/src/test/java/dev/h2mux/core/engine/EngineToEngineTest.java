package dev.h2mux.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.testkit.EngineUnderTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A CLIENT-role engine against a SERVER-role engine over loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineToEngineTest {
  private static final long WAIT = TimeUnit.SECONDS.toNanos(20);

  /** Streams the request body back as it arrives. */
  static final EngineUnderTest.StreamHandler STREAMING_ECHO =
      stream -> {
        stream.sendHeaders(HttpFields.of(":status", "200"), false);
        byte[] buffer = new byte[16 * 1024];
        InputStream in = stream.input();
        OutputStream out = stream.output();
        for (int n; (n = in.read(buffer)) > 0; ) out.write(buffer, 0, n);
        out.close();
      };

  private EnginePair pair;

  @AfterEach
  void tearDown() throws Exception {
    if (pair != null) pair.close();
  }

  private static HttpFields post(String path) {
    return HttpFields.of(
        ":method", "POST", ":scheme", "http", ":authority", "localhost", ":path", path);
  }

  @Test
  void sixtyFourMebibytesThroughSixteenKibibyteWindows() throws Exception {
    Http2Config small =
        Http2Config.DEFAULTS.withInitialWindowSize(16 * 1024).withConnectionWindowSize(65_535);
    pair = EnginePair.start(small, small, STREAMING_ECHO);
    long total = 64L << 20;
    Http2Stream stream = pair.client.newStream(post("/echo"), false, WAIT);
    CompletableFuture<Long> sentCrc = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                SplittableRandom random = new SplittableRandom(64);
                CRC32 crc = new CRC32();
                byte[] chunk = new byte[50_000]; // not a multiple of any frame or window size
                OutputStream out = stream.output();
                for (long left = total; left > 0; ) {
                  int n = (int) Math.min(chunk.length, left);
                  random.nextBytes(chunk);
                  out.write(chunk, 0, n);
                  crc.update(chunk, 0, n);
                  left -= n;
                }
                out.close();
                sentCrc.complete(crc.getValue());
              } catch (Throwable t) {
                sentCrc.completeExceptionally(t);
              }
            });
    assertThat(stream.awaitResponse(WAIT).status()).isEqualTo(200);
    CRC32 crc = new CRC32();
    long received = 0;
    byte[] buffer = new byte[37_000];
    InputStream in = stream.input();
    for (int n; (n = in.read(buffer)) > 0; ) {
      crc.update(buffer, 0, n);
      received += n;
    }
    assertThat(received).isEqualTo(total);
    assertThat(sentCrc).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(crc.getValue());
    assertThat(pair.handlerFailures).isEmpty();
    assertThat(pair.client.activeStreams()).isZero();
  }

  @Test
  void quietConnectionsGiveUpTheirSpareDataChunks() throws Exception {
    CompletableFuture<Void> handlerDone = new CompletableFuture<>();
    pair =
        EnginePair.start(
            Http2Config.DEFAULTS,
            Http2Config.DEFAULTS,
            stream -> {
              STREAMING_ECHO.handle(stream);
              handlerDone.complete(null);
            });
    byte[] body = new byte[4 << 20];
    new Random(5).nextBytes(body);
    Http2Stream stream = pair.client.newStream(post("/echo"), false, WAIT);
    CompletableFuture<Void> sent = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (OutputStream out = stream.output()) {
                out.write(body);
                sent.complete(null);
              } catch (Throwable t) {
                sent.completeExceptionally(t);
              }
            });
    assertThat(stream.awaitResponse(WAIT).status()).isEqualTo(200);
    assertThat(stream.input().readAllBytes()).isEqualTo(body);
    sent.get(20, TimeUnit.SECONDS);
    handlerDone.get(20, TimeUnit.SECONDS);

    // Both ends moved 4 MiB through reused chunks; once quiet (about a second without frames)
    // each gives them up, so an idle connection holds none.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (pair.client.chunks.spares() + pair.server.chunks.spares() > 0) {
      assertThat(System.nanoTime()).as("spare chunks released").isLessThan(deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    assertThat(pair.client.isClosed()).isFalse(); // released while the connection stays up
  }

  @Test
  void threeHundredInterleavedStreamsOverOneHundredSlots() throws Exception {
    pair =
        EnginePair.start(
            Http2Config.DEFAULTS,
            Http2Config.DEFAULTS.withMaxConcurrentStreams(100),
            STREAMING_ECHO);
    // The server's SETTINGS arrive before the answer to our PING: the limit is known from here.
    pair.client.ping().get(5, TimeUnit.SECONDS);
    int count = 300;
    List<Future<byte[][]>> results = new ArrayList<>();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        int index = i;
        results.add(
            executor.submit(
                () -> {
                  Random random = new Random(index);
                  byte[] body = new byte[random.nextInt(100_000)];
                  random.nextBytes(body);
                  Http2Stream stream = pair.client.newStream(post("/" + index), false, WAIT);
                  // write and read at once, so large bodies flow both ways through the windows
                  CompletableFuture<Void> written =
                      CompletableFuture.runAsync(
                          () -> {
                            try (OutputStream out = stream.output()) {
                              for (int off = 0; off < body.length; off += 7_000) {
                                out.write(body, off, Math.min(7_000, body.length - off));
                              }
                            } catch (IOException e) {
                              throw new java.io.UncheckedIOException(e);
                            }
                          },
                          executor);
                  assertThat(stream.awaitResponse(WAIT).status()).isEqualTo(200);
                  byte[] echoed = stream.input().readAllBytes();
                  written.get(20, TimeUnit.SECONDS);
                  return new byte[][] {body, echoed};
                }));
      }
      for (int i = 0; i < count; i++) {
        byte[][] result = results.get(i).get(40, TimeUnit.SECONDS);
        assertThat(result[1]).as("stream #%d echoed byte for byte", i).isEqualTo(result[0]);
      }
    }
    assertThat(pair.handlerFailures).isEmpty();
    assertThat(pair.maxServerStreams.get())
        .as("never above the advertised limit")
        .isLessThanOrEqualTo(100);
    assertThat(pair.client.activeStreams()).isZero();
    // The server forgets its last stream once the writer has sent its END_STREAM, which may be
    // just after the client read it: wait for that, boundedly.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (pair.server.activeStreams() > 0 && System.nanoTime() < deadline) Thread.onSpinWait();
    assertThat(pair.server.activeStreams()).isZero();
  }

  @Test
  void gracefulServerShutdownFinishesTheStreamAndRefusesNewOnes() throws Exception {
    CompletableFuture<Void> requestSeen = new CompletableFuture<>();
    CompletableFuture<Void> proceed = new CompletableFuture<>();
    pair =
        EnginePair.start(
            Http2Config.DEFAULTS,
            Http2Config.DEFAULTS,
            stream -> {
              requestSeen.complete(null);
              proceed.get(10, TimeUnit.SECONDS);
              STREAMING_ECHO.handle(stream);
            });
    Http2Stream stream = pair.client.newStream(post("/slow"), false, WAIT);
    stream.output().write("in flight".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    stream.output().close();
    requestSeen.get(5, TimeUnit.SECONDS);
    pair.server.shutdownGracefully();
    // once the client saw the GOAWAY it refuses new streams, retryably
    pair.client.ping().get(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> pair.client.newStream(post("/new"), true, WAIT))
        .isInstanceOfSatisfying(
            StreamResetException.class,
            e -> {
              assertThat(e.isRetryable()).isTrue();
              assertThat(e.error()).isEqualTo(ErrorCode.REFUSED_STREAM);
            });
    proceed.complete(null);
    assertThat(stream.awaitResponse(WAIT).status()).isEqualTo(200);
    assertThat(
            new String(stream.input().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("in flight");
    assertThat(pair.server.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    assertThat(pair.client.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }
}
