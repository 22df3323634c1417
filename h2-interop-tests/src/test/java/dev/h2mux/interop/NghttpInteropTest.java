package dev.h2mux.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.server.Http2Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The h2mux server against nghttp (Debian package {@code nghttp2-client}): many streams, tiny
 * windows.
 */
class NghttpInteropTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern STATUS =
      Pattern.compile("^.*:status: (\\d+)\\s*$", Pattern.MULTILINE);

  private static final InteropHandler handler = new InteropHandler();
  private static Http2Server server;
  private Path nghttp;
  @TempDir Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = H2muxServers.cleartext(handler);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) server.close();
  }

  @BeforeEach
  void findNghttp() {
    nghttp = ExternalTool.require("nghttp", "nghttp2-client");
  }

  /**
   * 100 requests on one connection, each held by the server until all 100 are open at once: the
   * responses can only come if the server runs 100 streams concurrently.
   */
  @Test
  void hundredConcurrentStreamsOnOneConnection() throws Exception {
    String id = UUID.randomUUID().toString();
    Processes.Result result = nghttp("-v", "-n", "-m", "100", url("/barrier/100?id=" + id));

    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(statuses(result.stdout())).as(result.describe()).hasSize(100).containsOnly("200");
    assertThat(handler.barrierClients(id)).as("client addresses: one connection").hasSize(1);
  }

  /** 100 concurrent downloads of 100 KiB each while nghttp grants windows of only 1023 bytes. */
  @Test
  void hundredStreamsWithTinyWindows() throws Exception {
    Processes.Result result =
        nghttp("-v", "-n", "-w", "10", "-W", "10", "-m", "100", url("/bytes/102400"));

    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(result.stdout()).contains("SETTINGS_INITIAL_WINDOW_SIZE(0x04):1023");
    assertThat(statuses(result.stdout())).as(result.describe()).hasSize(100).containsOnly("200");
    assertThat(receivedDataBytes(result.stdout())).isEqualTo(100L * 102400);
  }

  /** 1 MiB downloaded through a 1023-byte stream and connection window, compared byte for byte. */
  @Test
  void oneMebibyteThroughTinyWindows() throws Exception {
    Processes.Result result = nghttp("-w", "10", "-W", "10", url("/bytes/" + Bodies.MIB));

    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(Files.size(result.stdoutFile())).isEqualTo(Bodies.MIB);
    assertThat(Bodies.sha256(result.stdoutFile())).isEqualTo(Bodies.patternSha256(Bodies.MIB));
  }

  /** A 1 MiB upload through nghttp's data option, echoed back and compared. */
  @Test
  void oneMebibyteUploadIsEchoed() throws Exception {
    Path upload = Bodies.patternFile(dir, "upload", Bodies.MIB);
    Processes.Result result = nghttp("-d", upload.toString(), url("/echo"));

    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(Bodies.sha256(result.stdoutFile())).isEqualTo(Bodies.sha256(upload));
  }

  private Processes.Result nghttp(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(nghttp.toString(), "-t", "60"));
    command.addAll(List.of(args));
    return Processes.run(dir, TIMEOUT, command);
  }

  private static List<String> statuses(String verboseOutput) {
    List<String> statuses = new ArrayList<>();
    Matcher m = STATUS.matcher(verboseOutput);
    while (m.find()) {
      statuses.add(m.group(1));
    }
    return statuses;
  }

  /** Sums the lengths of the DATA frames nghttp -v reports receiving. */
  private static long receivedDataBytes(String verboseOutput) {
    Matcher m = Pattern.compile("recv DATA frame <length=(\\d+)").matcher(verboseOutput);
    long total = 0;
    while (m.find()) {
      total += Long.parseLong(m.group(1));
    }
    return total;
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }
}
