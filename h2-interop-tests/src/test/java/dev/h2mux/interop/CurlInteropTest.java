package dev.h2mux.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The h2mux server against curl (Debian package {@code curl}), over every way curl can connect. */
class CurlInteropTest extends CleartextAndTlsServers {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** How curl reaches the server, and which protocol version both ends must then report. */
  enum Mode {
    /** HTTP/2 with prior knowledge on cleartext (h2c). */
    PRIOR_KNOWLEDGE("--http2-prior-knowledge", "2", "HTTP/2"),
    /** An HTTP/1.1 request with {@code Upgrade: h2c}, switched to HTTP/2. */
    UPGRADE("--http2", "2", "HTTP/2"),
    /** Plain HTTP/1.1. */
    HTTP_1_1("--http1.1", "1.1", "HTTP/1.1"),
    /** TLS, h2 negotiated by ALPN. */
    TLS_ALPN_H2("--http2", "2", "HTTP/2"),
    /** TLS, http/1.1 negotiated by ALPN. */
    TLS_ALPN_HTTP_1_1("--http1.1", "1.1", "HTTP/1.1");

    final String flag;
    final String curlVersion;
    final String serverProtocol;

    Mode(String flag, String curlVersion, String serverProtocol) {
      this.flag = flag;
      this.curlVersion = curlVersion;
      this.serverProtocol = serverProtocol;
    }

    boolean tls() {
      return name().startsWith("TLS");
    }
  }

  private static TestCerts certs;
  private Path curl;
  @TempDir Path dir;

  @BeforeAll
  static void loadCerts() throws Exception {
    certs = TestCerts.get();
  }

  @BeforeEach
  void findCurl() {
    curl = ExternalTool.require("curl", "curl");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void get(Mode mode) throws Exception {
    Path body = dir.resolve("body");
    Path head = dir.resolve("head");
    Processes.Result result =
        curl(mode, "-o", body.toString(), "-D", head.toString(), url(mode, "/"));

    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(result.stdout()).as(result.describe()).isEqualTo(mode.curlVersion + " 200");
    assertThat(Files.readString(body)).isEqualTo(InteropHandler.WELCOME);
    assertThat(Files.readString(head).toLowerCase())
        .contains("x-protocol: " + mode.serverProtocol.toLowerCase());
    if (mode == Mode.UPGRADE) {
      assertThat(Files.readString(head)).startsWith("HTTP/1.1 101");
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void postOneMebibyteIsEchoed(Mode mode) throws Exception {
    Path upload = Bodies.patternFile(dir, "upload", Bodies.MIB);
    Path body = dir.resolve("body");
    Processes.Result result =
        curl(
            mode,
            "-o",
            body.toString(),
            "-H",
            "content-type: application/octet-stream",
            "--data-binary",
            "@" + upload,
            url(mode, "/echo"));

    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(result.stdout()).as(result.describe()).isEqualTo(mode.curlVersion + " 200");
    assertThat(Files.size(body)).isEqualTo(Bodies.MIB);
    assertThat(Bodies.sha256(body)).isEqualTo(Bodies.sha256(upload));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void download16Mebibytes(Mode mode) throws Exception {
    long length = 16L * Bodies.MIB;
    Path body = dir.resolve("body");
    Processes.Result result = curl(mode, "-o", body.toString(), url(mode, "/bytes/" + length));

    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(result.stdout()).as(result.describe()).isEqualTo(mode.curlVersion + " 200");
    assertThat(Files.size(body)).isEqualTo(length);
    assertThat(Bodies.sha256(body)).isEqualTo(Bodies.patternSha256(length));
  }

  @Test
  void http11KeepAliveServesTwoUrlsOnOneConnection() throws Exception {
    Processes.Result result =
        run(
            List.of(
                curl.toString(),
                "-sS",
                "-v",
                "--http1.1",
                "-o",
                dir.resolve("first").toString(),
                "-o",
                dir.resolve("second").toString(),
                url(Mode.HTTP_1_1, "/"),
                url(Mode.HTTP_1_1, "/bytes/100000")));

    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(result.stderr()).as(result.describe()).contains("Re-using existing connection");
    assertThat(Files.readString(dir.resolve("first"))).isEqualTo(InteropHandler.WELCOME);
    assertThat(Bodies.sha256(dir.resolve("second"))).isEqualTo(Bodies.patternSha256(100000));
  }

  @Test
  void http11ChunkedUploadIsEchoed() throws Exception {
    Path upload = Bodies.patternFile(dir, "upload", Bodies.MIB + 12345);
    Path body = dir.resolve("body");
    Processes.Result result =
        run(
            List.of(
                curl.toString(),
                "-sS",
                "-v",
                "--http1.1",
                "-H",
                "Transfer-Encoding: chunked",
                "--data-binary",
                "@" + upload,
                "-o",
                body.toString(),
                "-w",
                "%{http_version} %{http_code}",
                url(Mode.HTTP_1_1, "/echo")));

    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(result.stdout()).as(result.describe()).isEqualTo("1.1 200");
    assertThat(result.stderr()).contains("> Transfer-Encoding: chunked");
    assertThat(Bodies.sha256(body)).isEqualTo(Bodies.sha256(upload));
  }

  private Processes.Result curl(Mode mode, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(curl.toString(), "-sS", mode.flag, "-w", "%{http_version} %{http_code}"));
    if (mode.tls()) {
      command.addAll(
          List.of(
              "--cacert",
              certs.certificatePem.toString(),
              "--resolve",
              "localhost:" + tls.port() + ":127.0.0.1"));
    }
    command.addAll(List.of(args));
    return run(command);
  }

  private Processes.Result run(List<String> command) throws Exception {
    return Processes.run(dir, TIMEOUT, command);
  }

  private static String url(Mode mode, String path) {
    return mode.tls()
        ? "https://localhost:" + tls.port() + path
        : "http://127.0.0.1:" + cleartext.port() + path;
  }
}
