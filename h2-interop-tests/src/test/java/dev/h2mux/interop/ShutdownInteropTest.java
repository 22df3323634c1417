package dev.h2mux.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.server.Handler;
import dev.h2mux.server.Http2Server;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Http2Server#close()} under real clients (Debian package {@code nghttp2-client}): nghttp
 * with tiny windows, nghttp with 100 streams in flight, h2load at full speed. Nothing they started
 * may be lost.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShutdownInteropTest {
  private static final Pattern STATUS =
      Pattern.compile("^.*:status: (\\d+)\\s*$", Pattern.MULTILINE);
  private static final Pattern SENT_HEADERS =
      Pattern.compile("send HEADERS frame <length=\\d+, flags=0x[0-9a-f]+, stream_id=(\\d+)>");
  private static final Pattern REQUESTS =
      Pattern.compile(
          "requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded, (\\d+) failed,"
              + " (\\d+) errored, (\\d+) timeout");
  private static final Pattern STATUS_CODES =
      Pattern.compile("status codes: (\\d+) 2xx, (\\d+) 3xx, (\\d+) 4xx, (\\d+) 5xx");

  @TempDir Path dir;
  private Http2Server server;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Process process : processes) Processes.destroy(process);
    if (server != null) server.closeNow();
  }

  private Http2Server start(Handler handler) throws IOException {
    server =
        Http2Server.builder()
            .host("127.0.0.1")
            .port(0)
            .gracefulShutdownTimeout(Duration.ofSeconds(60))
            .handler(handler)
            .build()
            .start();
    return server;
  }

  private Process launch(String name, String... command) throws IOException {
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(dir.resolve(name + ".out").toFile())
            .redirectError(dir.resolve(name + ".err").toFile())
            .start();
    processes.add(process);
    return process;
  }

  private String output(String name) throws IOException {
    return Files.readString(dir.resolve(name + ".out"), StandardCharsets.ISO_8859_1);
  }

  private String describe(String name) throws IOException {
    String out = output(name);
    return (out.length() > 4000 ? out.substring(out.length() - 4000) : out)
        + "\n--- stderr ---\n"
        + Files.readString(dir.resolve(name + ".err"), StandardCharsets.ISO_8859_1);
  }

  /** close() has begun once the listener refuses connections: it closes first. */
  private static boolean refuses(int port) {
    try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void awaitCondition(String what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      TimeUnit.MILLISECONDS.sleep(10); // polling another process's progress
    }
  }

  /**
   * nghttp grants 1023-byte stream and connection windows and downloads 16 MiB; the server is
   * closed when 1 MiB has been sent. The download goes on to the last byte, then the server ends.
   */
  @Test
  void sixteenMebibytesThroughTinyWindowsArriveWholeWhileTheServerShutsDown() throws Exception {
    Path nghttp = ExternalTool.require("nghttp", "nghttp2-client");
    long size = 16L * Bodies.MIB;
    CountDownLatch halfway = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    start(
        (request, response) -> {
          response.headers().set("content-length", Long.toString(size));
          OutputStream body = response.body();
          Bodies.writePattern(body, Bodies.MIB);
          halfway.countDown();
          proceed.await();
          // the rest of the pattern, from 1 MiB on
          byte[] chunk = new byte[16 * Bodies.KIB];
          for (long written = Bodies.MIB; written < size; written += chunk.length) {
            for (int i = 0; i < chunk.length; i++) chunk[i] = Bodies.at(written + i);
            body.write(chunk);
          }
        });
    int port = server.port();
    Process download =
        launch(
            "nghttp",
            nghttp.toString(),
            "-t",
            "90",
            "-w",
            "10",
            "-W",
            "10",
            "http://127.0.0.1:" + port + "/sixteen");
    assertThat(halfway.await(60, TimeUnit.SECONDS)).as("the download began").isTrue();
    CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
    awaitCondition("close() to begin", () -> refuses(port));
    proceed.countDown();

    assertThat(download.waitFor(100, TimeUnit.SECONDS)).isTrue();
    assertThat(download.exitValue()).as(describe("nghttp")).isZero();
    Path body = dir.resolve("nghttp.out");
    assertThat(Files.size(body)).isEqualTo(size);
    assertThat(Bodies.sha256(body)).isEqualTo(Bodies.patternSha256(size));
    closing.get(30, TimeUnit.SECONDS);
  }

  /**
   * 100 streams held by the server when it shuts down. nghttp must see GOAWAY(2^31-1), the PING
   * (which it acknowledges), then GOAWAY with the last of its 100 streams, and only then the 100
   * responses, all 200: every stream at or below the final id is served.
   */
  @Test
  void hundredStreamsInFlightSeeBothGoAwaysAndAllComplete() throws Exception {
    Path nghttp = ExternalTool.require("nghttp", "nghttp2-client");
    Path stdbuf = ExternalTool.require("stdbuf", "coreutils");
    CountDownLatch entered = new CountDownLatch(100);
    CountDownLatch release = new CountDownLatch(1);
    start(
        (request, response) -> {
          entered.countDown();
          release.await();
          response.body().write("done".getBytes(StandardCharsets.US_ASCII));
        });
    int port = server.port();
    Process client =
        launch(
            "nghttp",
            stdbuf.toString(), // line-buffered, so its log can be read while it runs
            "-oL",
            nghttp.toString(),
            "-v",
            "-n",
            "-t",
            "60",
            "-m",
            "100",
            "http://127.0.0.1:" + port + "/held");
    assertThat(entered.await(60, TimeUnit.SECONDS)).as("100 streams in the handler").isTrue();
    CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
    awaitCondition(
        "the final GOAWAY to reach nghttp",
        () -> {
          try {
            String o = output("nghttp");
            return o.indexOf("recv GOAWAY") != o.lastIndexOf("recv GOAWAY");
          } catch (IOException e) {
            return false;
          }
        });
    release.countDown();

    assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String log = output("nghttp");
    assertThat(client.exitValue()).as(describe("nghttp")).isZero();
    // nghttp opens its 100 request streams after a few idle ones it uses as priority anchors
    int lastStream = 0;
    for (Matcher m = SENT_HEADERS.matcher(log); m.find(); ) {
      lastStream = Math.max(lastStream, Integer.parseInt(m.group(1)));
    }
    assertThat(lastStream).isGreaterThanOrEqualTo(199);
    int first = log.indexOf("(last_stream_id=2147483647, error_code=NO_ERROR(0x00)");
    int ping = log.indexOf("recv PING frame <length=8, flags=0x00, stream_id=0>");
    int ack = log.indexOf("send PING frame <length=8, flags=0x01, stream_id=0>");
    int last = log.indexOf("(last_stream_id=" + lastStream + ", error_code=NO_ERROR(0x00)");
    int firstResponse = log.indexOf(":status: ");
    assertThat(first).as("GOAWAY(2^31-1): " + log).isPositive();
    assertThat(ping).as("PING after the first GOAWAY").isGreaterThan(first);
    assertThat(ack).as("nghttp's PING ACK").isGreaterThan(ping);
    assertThat(last).as("GOAWAY(%d) after the ACK", lastStream).isGreaterThan(ack);
    assertThat(log.indexOf("recv GOAWAY", last + 1)).as("two GOAWAYs only").isNegative();
    assertThat(firstResponse).as("responses after the final GOAWAY").isGreaterThan(last);
    List<String> statuses = new ArrayList<>();
    for (Matcher m = STATUS.matcher(log); m.find(); ) statuses.add(m.group(1));
    assertThat(statuses).hasSize(100).containsOnly("200");
    closing.get(30, TimeUnit.SECONDS);
  }

  /**
   * h2load at full speed on 4 connections with 50 streams each; the server shuts down mid-run.
   * Every request the server received is answered, and h2load counts each as a success; it cannot
   * start new ones (the listener is closed) and counts those as failed, never sent. The few it had
   * queued but not yet sent when the first GOAWAY arrived it drops itself (nghttp2 starts no stream
   * after a GOAWAY): done, but neither sent nor succeeded, at most one per stream slot.
   */
  @Test
  void h2loadSeesEveryRequestTheServerGotSucceedWhenTheServerShutsDownMidRun() throws Exception {
    Path h2load = ExternalTool.require("h2load", "nghttp2-client");
    AtomicLong served = new AtomicLong();
    start(
        (request, response) -> {
          served.incrementAndGet();
          response.body().write("ok".getBytes(StandardCharsets.US_ASCII));
        });
    Process load =
        launch(
            "h2load",
            h2load.toString(),
            "-c",
            "4",
            "-m",
            "50",
            "-n",
            "100000000",
            "http://127.0.0.1:" + server.port() + "/");
    awaitCondition("h2load under way", () -> served.get() >= 5_000);
    server.close();

    assertThat(load.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = output("h2load");
    Matcher requests = REQUESTS.matcher(out);
    assertThat(requests.find()).as(describe("h2load")).isTrue();
    long started = Long.parseLong(requests.group(2));
    long succeeded = Long.parseLong(requests.group(4));
    assertThat(requests.group(3)).as("done: " + out).isEqualTo(requests.group(2));
    assertThat(requests.group(7)).as("timeout: " + out).isEqualTo("0");
    assertThat(succeeded).as("succeeded = served: " + out).isEqualTo(served.get());
    assertThat(started - succeeded)
        .as("dropped by h2load after GOAWAY: " + out)
        .isBetween(0L, 200L);
    Matcher codes = STATUS_CODES.matcher(out);
    assertThat(codes.find()).isTrue();
    assertThat(Long.parseLong(codes.group(1))).as("2xx").isEqualTo(succeeded);
  }
}
