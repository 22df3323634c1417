package dev.h2mux.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against nghttpd (Debian package nghttp2-server) in h2c mode. */
class NghttpdTest {
  private static final long BIG = 256L << 20;
  @TempDir static Path docroot;
  private static Process nghttpd;
  private static int port;
  private static String bigSha;

  static Path findNghttpd() {
    for (String dir : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin")) {
      Path p = Path.of(dir, "nghttpd");
      if (Files.isExecutable(p)) return p;
    }
    return null;
  }

  @BeforeAll
  static void start() throws Exception {
    Path binary = findNghttpd();
    if (binary == null) {
      String message = "nghttpd not found: install the Debian package nghttp2-server";
      if ("true".equals(System.getenv("CI"))) fail(message);
      Assumptions.abort(message);
    }
    Files.writeString(docroot.resolve("small.txt"), "small file\n");
    try (OutputStream out = Files.newOutputStream(docroot.resolve("big.bin"))) {
      TestSupport.patternStream(BIG).transferTo(out);
    }
    bigSha = TestSupport.sha256(TestSupport.patternStream(BIG));
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    nghttpd =
        new ProcessBuilder(
                binary.toString(),
                "--no-tls",
                "--address=127.0.0.1",
                "-d",
                docroot.toString(),
                "--trailer",
                "x-trailer: from-nghttpd",
                Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(docroot.resolve("nghttpd.log").toFile())
            .start();
    TestSupport.awaitCondition(
        "nghttpd to accept connections",
        Duration.ofSeconds(10),
        () -> {
          if (!nghttpd.isAlive())
            throw new AssertionError("nghttpd exited: " + nghttpd.exitValue());
          try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
          } catch (IOException e) {
            return false;
          }
        });
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (nghttpd != null) {
      nghttpd.destroy();
      if (!nghttpd.waitFor(10, TimeUnit.SECONDS)) nghttpd.destroyForcibly().waitFor();
    }
  }

  static String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  @Test
  void thousandConcurrentRequestsShareOneConnection() throws Exception {
    try (Http2Client client =
        Http2Client.builder().responseTimeout(Duration.ofSeconds(60)).build()) {
      List<CompletableFuture<ClientResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        futures.add(client.sendAsync(ClientRequest.get(URI.create(url("/small.txt?i=" + i)))));
      }
      for (var f : futures) {
        ClientResponse response = f.get(60, TimeUnit.SECONDS);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.string()).isEqualTo("small file\n");
      }
      assertThat(client.connectionsOpened()).isEqualTo(1);
    }
  }

  @Test
  void downloads256MiBIntact() throws Exception {
    try (Http2Client client = Http2Client.builder().build()) {
      ClientResponse response = client.send(ClientRequest.get(URI.create(url("/big.bin"))));
      assertThat(response.protocol()).isEqualTo(Protocol.HTTP_2);
      assertThat(response.headers().get("content-length")).isEqualTo(Long.toString(BIG));
      assertThat(TestSupport.sha256(response.body())).isEqualTo(bigSha);
    }
  }

  @Test
  void receivesTrailers() throws Exception {
    try (Http2Client client = Http2Client.builder().build()) {
      ClientResponse response = client.send(ClientRequest.get(URI.create(url("/small.txt"))));
      assertThat(response.string()).isEqualTo("small file\n");
      assertThat(response.trailers().get("x-trailer")).isEqualTo("from-nghttpd");
    }
  }

  @Test
  void headResponseHasNoBody() throws Exception {
    try (Http2Client client = Http2Client.builder().build()) {
      ClientResponse response =
          client.send(ClientRequest.builder(url("/small.txt")).method("HEAD").build());
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.bytes()).isEmpty();
    }
  }
}
