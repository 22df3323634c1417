package dev.h2mux.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.server.Http2Server;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HAProxy (Debian package {@code haproxy}) in front of three h2mux servers as {@code proto h2}
 * backends, with HAProxy's default retry settings. Under load from h2load through HAProxy, each
 * backend is closed gracefully and started again on the same port, one after the other: not one
 * request may fail. See docs/DEPLOYMENT.md for why this holds.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HaproxyRollingRestartTest {
  private static final int BACKENDS = 3;

  /** The load: as the issue measured it (8 connections, 20 streams each), paced. */
  private static final int LOAD_SECONDS = 12;

  private static final Pattern REQUESTS =
      Pattern.compile(
          "requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded, (\\d+) failed,"
              + " (\\d+) errored, (\\d+) timeout");
  private static final Pattern STATUS_CODES =
      Pattern.compile("status codes: (\\d+) 2xx, (\\d+) 3xx, (\\d+) 4xx, (\\d+) 5xx");

  @TempDir Path dir;

  /** Requests served by the current instance of each backend. */
  private final AtomicLongArray served = new AtomicLongArray(BACKENDS);

  private Http2Server start(int index, int port) throws IOException {
    served.set(index, 0);
    return Http2Server.builder()
        .host("127.0.0.1")
        .port(port)
        .gracefulShutdownTimeout(Duration.ofSeconds(10))
        .handler(
            (request, response) -> {
              request.body().readAllBytes();
              served.incrementAndGet(index);
              response.headers().set("content-type", "text/plain");
              response.body().write(("backend " + index + "\n").getBytes(StandardCharsets.UTF_8));
            })
        .build()
        .start();
  }

  @Test
  void rollingRestartUnderLoadLosesNoRequest() throws Exception {
    Path haproxy = ExternalTool.require("haproxy", "haproxy");
    Path h2load = ExternalTool.require("h2load", "nghttp2-client");
    Http2Server[] servers = new Http2Server[BACKENDS];
    int[] ports = new int[BACKENDS];
    Process proxy = null;
    Process load = null;
    try {
      for (int i = 0; i < BACKENDS; i++) {
        servers[i] = start(i, 0);
        ports[i] = servers[i].port();
      }
      int frontend = 0;
      // A free port may be taken by someone else before HAProxy binds it: then try another.
      for (int attempt = 0; attempt < 3 && (proxy == null || !proxy.isAlive()); attempt++) {
        if (proxy != null) Processes.destroy(proxy);
        int port = freePort();
        Path config = writeConfig(port, ports);
        Process started =
            launch(List.of(haproxy.toString(), "-db", "-f", config.toString()), "haproxy");
        awaitCondition("HAProxy to listen", () -> accepts(port) || !started.isAlive());
        proxy = started;
        frontend = port;
      }
      assertThat(proxy.isAlive()).as("HAProxy started: %s", log("haproxy")).isTrue();

      load =
          launch(
              List.of(
                  h2load.toString(),
                  "-c",
                  "8",
                  "-m",
                  "20",
                  "--rps",
                  "1000",
                  "-D",
                  Integer.toString(LOAD_SECONDS),
                  "http://127.0.0.1:" + frontend + "/"),
              "h2load");
      awaitCondition("load on every backend", () -> minServed() >= 200);

      for (int i = 0; i < BACKENDS; i++) {
        servers[i].close(); // graceful: GOAWAY, drain, lingering close
        servers[i] = start(i, ports[i]); // the same port, as a redeploy does
        int index = i;
        awaitCondition(
            "HAProxy to send requests to the restarted backend " + i,
            () -> served.get(index) >= 200);
        assertThat(load.isAlive()).as("backend %d restarted while the load ran", i).isTrue();
      }

      assertThat(load.waitFor(LOAD_SECONDS + 30, TimeUnit.SECONDS)).isTrue();
      String out = log("h2load");
      String diagnosis = out + "\n--- HAProxy log (errors and retries) ---\n" + proxyErrors();
      assertThat(load.exitValue()).as(diagnosis).isZero();
      Matcher requests = REQUESTS.matcher(out);
      assertThat(requests.find()).as(diagnosis).isTrue();
      long done = Long.parseLong(requests.group(3));
      assertThat(done).as("requests done").isGreaterThan(1000);
      assertThat(requests.group(4)).as("succeeded: " + diagnosis).isEqualTo(requests.group(3));
      assertThat(requests.group(5)).as("failed: " + diagnosis).isEqualTo("0");
      assertThat(requests.group(6)).as("errored: " + diagnosis).isEqualTo("0");
      assertThat(requests.group(7)).as("timeout: " + diagnosis).isEqualTo("0");
      Matcher codes = STATUS_CODES.matcher(out);
      assertThat(codes.find()).as(diagnosis).isTrue();
      assertThat(Long.parseLong(codes.group(1))).as("2xx: " + diagnosis).isEqualTo(done);
    } finally {
      if (load != null) Processes.destroy(load);
      if (proxy != null) Processes.destroy(proxy);
      for (Http2Server server : servers) {
        if (server != null) server.closeNow();
      }
    }
  }

  /**
   * HAProxy's side, written by the test. Nothing about retries is set: {@code retries 3} and {@code
   * retry-on conn-failure}, without {@code option redispatch}, are HAProxy's defaults. Logs go to
   * stderr, and only for requests that failed or were retried ({@code dontlog-normal}).
   */
  private Path writeConfig(int frontend, int[] ports) throws IOException {
    StringBuilder servers = new StringBuilder();
    for (int i = 0; i < ports.length; i++) {
      servers.append("    server s").append(i).append(" 127.0.0.1:").append(ports[i]);
      servers.append(" proto h2\n");
    }
    String config =
        """
        global
            log stderr format raw local0
        defaults
            mode http
            log global
            option httplog
            option dontlog-normal
            timeout connect 5s
            timeout client 30s
            timeout server 30s
        frontend fe
            bind 127.0.0.1:%d proto h2
            default_backend be
        backend be
            balance roundrobin
        %s"""
            .formatted(frontend, servers);
    return Files.writeString(dir.resolve("haproxy.cfg"), config);
  }

  private Process launch(List<String> command, String name) throws IOException {
    return new ProcessBuilder(new ArrayList<>(command))
        .directory(dir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .redirectErrorStream(true)
        .start();
  }

  private String log(String name) throws IOException {
    Path file = dir.resolve(name + ".out");
    return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
  }

  /**
   * HAProxy's log lines of requests that did not end well; h2load's own aborts at its end aside.
   */
  private String proxyErrors() throws IOException {
    return log("haproxy")
        .lines()
        .filter(l -> l.contains("HTTP/2.0\"") && !l.contains(" CD-- "))
        .limit(40)
        .collect(Collectors.joining("\n"));
  }

  private long minServed() {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < BACKENDS; i++) min = Math.min(min, served.get(i));
    return min;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void awaitCondition(String what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      TimeUnit.MILLISECONDS.sleep(20); // polling an external process's progress
    }
  }
}
