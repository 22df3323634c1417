package dev.h2mux.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.client.ClientRequest;
import dev.h2mux.client.ClientResponse;
import dev.h2mux.client.ConnectionMode;
import dev.h2mux.client.Http2Client;
import dev.h2mux.client.Protocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The h2mux client against Python's {@code python3 -m http.server} (Debian package {@code
 * python3}): an HTTP/1.0 server that answers the HTTP/2 preface with a bare HTML 505 page and no
 * status line. In the default mode the client must take that for "no h2c", fetch over HTTP/1.1 and
 * remember it, as curl gets its 200.
 */
class ClientVsPythonHttpServerTest {
  @TempDir static Path docroot;
  private static Process python;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    Path python3 = ExternalTool.require("python3", "python3");
    Files.writeString(docroot.resolve("hello.txt"), "hello from python\n");
    try (var out = Files.newOutputStream(docroot.resolve("big.bin"))) {
      Bodies.writePattern(out, Bodies.MIB);
    }
    python =
        new ProcessBuilder(
                python3.toString(),
                "-u", // unbuffered: the port line must come at once
                "-m",
                "http.server",
                "0",
                "--bind",
                "127.0.0.1",
                "--directory",
                docroot.toString())
            .redirectError(docroot.resolve("python.log").toFile())
            .start();
    // "Serving HTTP on 127.0.0.1 port 36215 (http://127.0.0.1:36215/) ..."
    CompletableFuture<Integer> announced = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
                Pattern serving = Pattern.compile("port (\\d+)");
                for (String line; (line = lines.readLine()) != null; ) {
                  Matcher m = serving.matcher(line);
                  if (m.find()) announced.complete(Integer.parseInt(m.group(1)));
                }
              } catch (IOException e) {
                announced.completeExceptionally(e);
              }
              announced.completeExceptionally(new IOException("python3 ended: no port line"));
            });
    port = announced.get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (python != null) Processes.destroy(python);
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  @Test
  void priorKnowledgeFallsBackToHttp11AndRemembersIt() throws Exception {
    try (Http2Client client = ClientChecks.client(ConnectionMode.PRIOR_KNOWLEDGE)) {
      ClientResponse first = client.send(ClientRequest.get(URI.create(url("/hello.txt"))));
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.protocol()).isEqualTo(Protocol.HTTP_1_1);
      assertThat(first.string()).isEqualTo("hello from python\n");
      assertThat(first.info().connectionsOpened()).isEqualTo(2); // the h2c try, then HTTP/1.1
      // Python closes after each HTTP/1.0 response: one new connection, and no h2c try
      for (String path : List.of("/hello.txt", "/big.bin")) {
        ClientResponse next = client.send(ClientRequest.get(URI.create(url(path))));
        assertThat(next.protocol()).isEqualTo(Protocol.HTTP_1_1);
        assertThat(next.info().connectionsOpened()).isEqualTo(1);
        if (path.equals("/big.bin")) {
          assertThat(Bodies.sha256(next.bytes())).isEqualTo(Bodies.patternSha256(Bodies.MIB));
        } else {
          assertThat(next.string()).isEqualTo("hello from python\n");
        }
      }
    }
  }

  @Test
  void anIgnoredUpgradeIsHttp11Too() throws Exception {
    try (Http2Client client = ClientChecks.client(ConnectionMode.UPGRADE)) {
      ClientResponse response = client.send(ClientRequest.get(URI.create(url("/hello.txt"))));
      assertThat(response.protocol()).isEqualTo(Protocol.HTTP_1_1);
      assertThat(response.string()).isEqualTo("hello from python\n");
    }
  }
}
