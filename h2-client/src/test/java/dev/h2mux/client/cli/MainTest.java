package dev.h2mux.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.server.Http2Server;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end, through its testable entry point, against the project's server. */
class MainTest {
  private static Http2Server server;
  private static final CountDownLatch never = new CountDownLatch(1);

  @BeforeAll
  static void start() throws Exception {
    server =
        Http2Server.builder()
            .host("127.0.0.1")
            .port(0)
            .handler(
                (request, response) -> {
                  if (request.path().startsWith("/hang")) never.await();
                  byte[] body =
                      request.path().startsWith("/post")
                          ? request.body().readAllBytes()
                          : ("path " + request.path() + " over " + request.protocol())
                              .getBytes(StandardCharsets.UTF_8);
                  response.headers().set("x-test", "yes");
                  response.headers().set("content-length", Integer.toString(body.length));
                  try (OutputStream out = response.body()) {
                    out.write(body);
                  }
                })
            .build()
            .start();
  }

  @AfterAll
  static void stop() {
    never.countDown();
    server.closeNow();
  }

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  @Test
  void printsTheBody() {
    Result r = run(url("/a"));
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("path /a over HTTP/2");
  }

  @Test
  void includeShowsStatusLineAndHeaders() {
    Result r = run("-i", url("/a"));
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .startsWith("HTTP/2 200\r\n")
        .contains("x-test: yes\r\n")
        .endsWith("\r\n\r\npath /a over HTTP/2");
    Result h1 = run("-i", "--http1.1", url("/a"));
    assertThat(h1.out()).startsWith("HTTP/1.1 200\r\n").endsWith("path /a over HTTP/1.1");
  }

  @Test
  void writesToFilesAndFetchesInParallel(@TempDir Path dir) throws Exception {
    Path one = dir.resolve("one.txt");
    Result r = run("-Z", "-o", one.toString(), url("/one"), url("/two"), url("/three"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(one)).isEqualTo("path /one over HTTP/2");
    assertThat(r.out()).isEqualTo("path /two over HTTP/2path /three over HTTP/2");
  }

  @Test
  void postsDataFromAFile(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data.txt");
    Files.writeString(data, "a=1\nb=2\n");
    assertThat(run("-d", "@" + data, url("/post")).out()).isEqualTo("a=1b=2");
    assertThat(run("--data-binary", "@" + data, url("/post")).out()).isEqualTo("a=1\nb=2\n");
    assertThat(run("-d", "@" + dir.resolve("missing"), url("/post")).code()).isEqualTo(26);
  }

  @Test
  void verboseTracesFrames() {
    Result r = run("-v", url("/a"));
    assertThat(r.code()).isZero();
    assertThat(r.err())
        .contains("> [127.0.0.1:")
        .contains("SETTINGS")
        .contains("HEADERS stream=1")
        .contains("< HTTP/2 200");
  }

  @Test
  void errorsGiveOneLineAndCurlExitCodes() throws Exception {
    Result usage = run("--nope", url("/"));
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err()).startsWith("h2-client: unknown option --nope");

    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Result refused = run("http://127.0.0.1:" + closedPort + "/");
    assertThat(refused.code()).isEqualTo(7);
    assertThat(refused.err()).startsWith("h2-client: failed to connect");
    assertThat(refused.err().lines().count()).isEqualTo(1);

    Result timeout = run("--max-time", "0.5", url("/hang"));
    assertThat(timeout.code()).isEqualTo(28);
    assertThat(timeout.err()).startsWith("h2-client: ");

    assertThat(run("ftp://127.0.0.1/").code()).isEqualTo(1);
    assertThat(run("http://[bad").code()).isEqualTo(3);
    assertThat(run("--help").out()).contains("Usage: h2-client");
  }
}
