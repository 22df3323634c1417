package dev.h2mux.client.cli;

import static dev.h2mux.client.cli.CliRun.ours;
import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.client.cli.CliRun.Result;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end, through its testable entry point, against the project's server. */
class MainTest {
  private static CliServer server;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    server = new CliServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String url(String path) {
    return server.url(path);
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void printsTheBody() {
    Result r = ours(url("/a"));
    assertThat(r.code()).as(r.describe()).isZero();
    assertThat(r.out()).isEqualTo("path /a over HTTP/2");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void includeShowsStatusLineAndHeaders() {
    Result r = ours("-i", url("/a"));
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .startsWith("HTTP/2 200 \r\n")
        .contains("x-test: yes\r\n")
        .endsWith("\r\n\r\npath /a over HTTP/2");
    Result h1 = ours("-i", "--http1.1", url("/a"));
    assertThat(h1.out()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("path /a over HTTP/1.1");
  }

  @Test
  void upgradeAndHttp11StillWork() {
    assertThat(ours("--http2", url("/a")).out()).isEqualTo("path /a over HTTP/2");
    assertThat(ours("--http1.1", url("/a")).out()).isEqualTo("path /a over HTTP/1.1");
    assertThat(ours("--http2-prior-knowledge", url("/a")).out()).isEqualTo("path /a over HTTP/2");
  }

  @Test
  void headSendsHeadAndWritesOnlyTheHead() {
    Result r = ours("-I", url("/a"));
    assertThat(r.code()).as(r.describe()).isZero();
    assertThat(r.out())
        .startsWith("HTTP/2 200 \r\n")
        .contains("content-length: ")
        .endsWith("\r\n\r\n")
        .doesNotContain("path /a");
    // The method really was HEAD: the server answers HEAD without a body.
    assertThat(ours("-I", "-w", "%{method} %{size_download}", "-o", "/dev/null", url("/a")).out())
        .isEqualTo("HEAD 0");
  }

  @Test
  void dumpHeaderToAFileOrStandardOutput() throws Exception {
    Path head = dir.resolve("head.txt");
    Result r = ours("-D", head.toString(), url("/a"), url("/b"));
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("path /a over HTTP/2path /b over HTTP/2");
    String dumped = Files.readString(head, StandardCharsets.ISO_8859_1);
    assertThat(dumped).startsWith("HTTP/2 200 \r\n").endsWith("\r\n\r\n");
    assertThat(dumped.split("HTTP/2 200 \r\n", -1)).hasSize(3); // both heads, in order

    Result toStdout = ours("-D", "-", url("/a"));
    assertThat(toStdout.out())
        .startsWith("HTTP/2 200 \r\n")
        .endsWith("\r\n\r\npath /a over HTTP/2");
  }

  @Test
  void failGivesExit22WithoutTheBody() throws Exception {
    Result r = ours("-f", url("/status/404"));
    assertThat(r.code()).isEqualTo(22);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("h2-client: (22) The requested URL returned error: 404\n");

    assertThat(ours("-sf", url("/status/500")).err()).isEmpty();
    assertThat(ours("-sSf", url("/status/500")).err()).contains("(22)");
    assertThat(ours("-f", url("/status/399")).code()).isZero();

    Result withBody = ours("--fail-with-body", url("/status/404"));
    assertThat(withBody.code()).isEqualTo(22);
    assertThat(withBody.out()).isEqualTo("status 404\n");

    Result noFail = ours(url("/status/404"));
    assertThat(noFail.code()).isZero();
    assertThat(noFail.out()).isEqualTo("status 404\n");

    Path file = dir.resolve("not-created");
    assertThat(ours("-sf", "-o", file.toString(), url("/status/404")).code()).isEqualTo(22);
    assertThat(file).doesNotExist();
  }

  @Test
  void outputFilesAreCreatedOnlyForTransfersThatGotSomething() throws Exception {
    Path empty = dir.resolve("empty");
    assertThat(ours("-o", empty.toString(), url("/empty")).code()).isZero();
    assertThat(empty).exists().isEmptyFile();
    Path refused = dir.resolve("refused");
    assertThat(
            ours("-s", "-o", refused.toString(), "http://127.0.0.1:" + closedPort() + "/").code())
        .isEqualTo(7);
    assertThat(refused).doesNotExist();
  }

  @Test
  void writesToFilesAndFetchesInParallel() throws Exception {
    Path one = dir.resolve("one.txt");
    Result r = ours("-Z", "-o", one.toString(), url("/one"), url("/two"), url("/three"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(one)).isEqualTo("path /one over HTTP/2");
    assertThat(r.out()).isEqualTo("path /two over HTTP/2path /three over HTTP/2");
  }

  @Test
  void remoteNameWritesIntoTheWorkingDirectory() throws Exception {
    Result r = CliRun.oursProcess(dir, "-O", url("/files/report.txt?v=2"));
    assertThat(r.code()).as(r.describe()).isZero();
    assertThat(Files.readString(dir.resolve("report.txt")))
        .isEqualTo("path /files/report.txt?v=2 over HTTP/2");
    assertThat(r.out()).isEmpty();

    Result noName = CliRun.oursProcess(dir, "-O", url("/files/"), "-O", url("/files/later.txt"));
    assertThat(noName.code()).as(noName.describe()).isEqualTo(23);
    assertThat(noName.err()).startsWith("h2-client: (23) Remote file name has no length");
    assertThat(dir.resolve("later.txt")).doesNotExist(); // nothing is sent after a bad -O
  }

  @Test
  void postsDataFromAFile() throws Exception {
    Path data = dir.resolve("data.txt");
    Files.writeString(data, "a=1\nb=2\n");
    assertThat(ours("-d", "@" + data, url("/echo")).out()).isEqualTo("POST a=1b=2");
    assertThat(ours("--data-binary", "@" + data, url("/echo")).out()).isEqualTo("POST a=1\nb=2\n");
    assertThat(ours("-d", "x=1", "-d", "@" + data, "--data-raw", "@raw", url("/echo")).out())
        .isEqualTo("POST x=1&a=1b=2&@raw");
    Result missing = ours("-d", "@" + dir.resolve("missing"), url("/echo"));
    assertThat(missing.code()).isEqualTo(26);
    assertThat(missing.err()).startsWith("h2-client: (26) cannot read data file");
  }

  @Test
  void aLoneDataBinaryFileIsStreamedWhole() throws Exception {
    Path big = dir.resolve("big.bin");
    byte[] chunk = new byte[1 << 20];
    new java.util.Random(7).nextBytes(chunk);
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    try (var out = Files.newOutputStream(big)) {
      for (int i = 0; i < 12; i++) {
        out.write(chunk);
        sha.update(chunk);
      }
    }
    Result r = ours("--data-binary", "@" + big, "-w", " %{size_upload}", url("/count"));
    assertThat(r.code()).as(r.describe()).isZero();
    String digest = java.util.HexFormat.of().formatHex(sha.digest());
    assertThat(r.out()).isEqualTo((12 << 20) + " " + digest + " " + (12 << 20));
  }

  @Test
  void uploadAndDownloadAtOnceThroughAStreamingEcho() throws Exception {
    // More than both sides' flow-control windows: the CLI must write the answer while uploading.
    Path big = dir.resolve("up.bin");
    byte[] chunk = new byte[1 << 20];
    new java.util.Random(11).nextBytes(chunk);
    try (var out = Files.newOutputStream(big)) {
      for (int i = 0; i < 24; i++) out.write(chunk);
    }
    Path echoed = dir.resolve("down.bin");
    Result r =
        ours("-m", "60", "--data-binary", "@" + big, "-o", echoed.toString(), url("/stream-echo"));
    assertThat(r.code()).as(r.describe()).isZero();
    assertThat(Files.mismatch(big, echoed)).isEqualTo(-1);
  }

  @Test
  void everyHopOfAFollowedRedirectIsInTheVerboseOutput() {
    Result r = ours("-v", "-L", url("/redirect/2"));
    assertThat(r.code()).as(r.describe()).isZero();
    assertThat(r.out()).isEqualTo("redirected GET\n");
    String err = r.err();
    int[] at = {
      err.indexOf("> GET /redirect/2 HTTP/2\r\n"),
      err.indexOf("< HTTP/2 302 \r\n< date: " + CliServer.DATE + "\r\n< location: /redirect/1\r\n"),
      err.indexOf("> GET /redirect/1 HTTP/2\r\n"),
      err.indexOf("< location: " + url("/redirect/0") + "\r\n"),
      err.indexOf("> GET /redirect/0 HTTP/2\r\n"),
      err.indexOf("< HTTP/2 200 \r\n")
    };
    assertThat(at).as(err).doesNotContain(-1).isSorted();
  }

  @Test
  void requestFieldsInCurlsOrder() {
    Result r =
        ours(
            "-u",
            "user:pa:ss",
            "-A",
            "agent/1",
            "-e",
            "http://ref/",
            "-H",
            "X-A: 1",
            url("/headers"));
    String basic =
        Base64.getEncoder().encodeToString("user:pa:ss".getBytes(StandardCharsets.UTF_8));
    assertThat(r.out())
        .isEqualTo(
            "authorization: Basic "
                + basic
                + "\nuser-agent: agent/1\naccept: */*\nreferer: http://ref/\nx-a: 1\n");
    assertThat(ours(url("/headers")).out())
        .isEqualTo("user-agent: " + RequestFactory.USER_AGENT + "\naccept: */*\n");
    assertThat(
            ours("-H", "User-Agent:", "-H", "Accept: text/plain", "-H", "X-E;", url("/headers"))
                .out())
        .isEqualTo("accept: text/plain\nx-e: \n");
  }

  @Test
  void credentialsFromTheUrlOrAPrompt() {
    String userInfo = url("/headers").replace("http://", "http://u:p@");
    assertThat(ours(userInfo).out())
        .startsWith("authorization: Basic " + Base64.getEncoder().encodeToString("u:p".getBytes()));
    Result prompted = CliRun.oursWithStdin("secret\n", "-u", "alice", url("/headers"));
    assertThat(prompted.err()).startsWith("Enter host password for user 'alice':");
    assertThat(prompted.out())
        .startsWith(
            "authorization: Basic "
                + Base64.getEncoder().encodeToString("alice:secret".getBytes()));
  }

  @Test
  void writeOutAfterEachTransfer() {
    Result r =
        ours(
            "-o",
            "/dev/null",
            "-w",
            "%{http_code} %{http_version} %{size_download} %{url_effective} %{urlnum}\\n",
            url("/a"),
            "--http1.1");
    assertThat(r.out()).isEqualTo("200 1.1 21 " + url("/a") + " 0\n");
    Result posted =
        ours("-w", "|%{size_upload} %{method} %{num_headers}", "-d", "12345", url("/echo"));
    assertThat(posted.out()).isEqualTo("POST 12345|5 POST 3");
  }

  @Test
  void writeOutAlsoForAFailedTransfer() throws Exception {
    Result r =
        ours("-s", "-w", "%{http_code} %{exitcode}\\n", "http://127.0.0.1:" + closedPort() + "/");
    assertThat(r.code()).isEqualTo(7);
    assertThat(r.out()).isEqualTo("000 7\n");
  }

  @Test
  void showErrorBringsMessagesBackAfterSilent() throws Exception {
    String refusedUrl = "http://127.0.0.1:" + closedPort() + "/";
    Result silent = ours("-s", refusedUrl);
    assertThat(silent.code()).isEqualTo(7);
    assertThat(silent.err()).isEmpty();
    Result shown = ours("-sS", refusedUrl);
    assertThat(shown.code()).isEqualTo(7);
    assertThat(shown.err()).startsWith("h2-client: (7) Failed to connect to 127.0.0.1 port ");
    assertThat(shown.err().lines().count()).isEqualTo(1);
    assertThat(ours("-s", "-S", refusedUrl).err()).startsWith("h2-client: (7) ");
    assertThat(ours("-S", refusedUrl).err()).startsWith("h2-client: (7) ");
  }

  @Test
  void verboseShowsTheHeadsAsCurlAndTheFramesBeside() {
    Result r = ours("-v", url("/a"));
    assertThat(r.code()).isZero();
    String err = r.err();
    assertThat(err)
        .contains(
            "> GET /a HTTP/2\r\n> host: 127.0.0.1:"
                + server.server.port()
                + "\r\n> user-agent: "
                + RequestFactory.USER_AGENT
                + "\r\n> accept: */*\r\n> \r\n")
        .contains("< HTTP/2 200 \r\n< date: " + CliServer.DATE + "\r\n< x-test: yes\r\n")
        .contains("* [127.0.0.1:" + server.server.port() + "#1] connected to 127.0.0.1")
        .containsPattern(
            "\\[ *\\d+\\.\\d{3}] \\[127\\.0\\.0\\.1:\\d+#1] send SETTINGS 0 ENABLE_PUSH=0 ")
        .containsPattern("send HEADERS 1 END_STREAM\\|END_HEADERS \\d+\n")
        .containsPattern("recv HEADERS 1 END_HEADERS \\d+\n")
        .contains("recv DATA 1 END_STREAM 19\n");
    assertThat(err.indexOf("< HTTP/2 200")).isGreaterThan(err.indexOf("> GET /a HTTP/2"));
    assertThat(r.out()).isEqualTo("path /a over HTTP/2");

    Result h1 = ours("-v", "--http1.1", "-d", "x", url("/echo"));
    assertThat(h1.err())
        .contains("> POST /echo HTTP/1.1\r\n> host: ")
        .contains(
            "> content-length: 1\r\n> content-type: application/x-www-form-urlencoded\r\n> \r\n")
        .contains("< HTTP/1.1 200 OK\r\n");
  }

  @Test
  void silentVerboseFailureIsAStarLine() throws Exception {
    Result r = ours("-sv", "http://127.0.0.1:" + closedPort() + "/");
    assertThat(r.code()).isEqualTo(7);
    assertThat(r.err()).contains("* Failed to connect").doesNotContain("h2-client: (7)");
  }

  @Test
  void maxTimeBoundsEachTransferAndTheBody() {
    Result head = ours("-m", "0.5", url("/hang"));
    assertThat(head.code()).isEqualTo(28);
    assertThat(head.err()).startsWith("h2-client: (28) Operation timed out after 500 milliseconds");
    Result body = ours("-m", "1", url("/slow-body"));
    assertThat(body.code()).isEqualTo(28);
    assertThat(body.out()).isEqualTo("first part\n");
    assertThat(body.err()).contains("with 11 bytes received");
    // Per transfer, as curl's: two that take 1.2 s each both fit in -m 2.
    Result two = ours("-m", "2", url("/delay/1200"), url("/delay/1200?second"));
    assertThat(two.code()).as(two.describe()).isZero();
    assertThat(two.out()).isEqualTo("delayed\ndelayed\n");
  }

  @Test
  void exitCodeIsTheLastTransfersOneAfterAnotherAndAnyFailureInParallel() throws Exception {
    String refused = "http://127.0.0.1:" + closedPort() + "/";
    assertThat(ours("-s", refused, url("/a")).code()).isZero();
    assertThat(ours("-s", url("/a"), refused).code()).isEqualTo(7);
    assertThat(ours("-s", "-Z", refused, url("/a")).code()).isEqualTo(7);
  }

  @Test
  void configFileDrivesTheTransfer() throws Exception {
    Path config = dir.resolve("curlrc");
    Files.writeString(
        config,
        "url = \"" + url("/headers") + "\"\nuser-agent = \"from config\"\n-w \"|%{http_code}\"\n");
    Result r = ours("-K", config.toString());
    assertThat(r.code()).as(r.describe()).isZero();
    assertThat(r.out()).isEqualTo("user-agent: from config\naccept: */*\n|200");
    Result stdin = CliRun.oursWithStdin("url " + url("/a") + "\n", "-K", "-");
    assertThat(stdin.out()).isEqualTo("path /a over HTTP/2");
  }

  @Test
  void errorsGiveOneLineAndCurlExitCodes() throws Exception {
    Result usage = ours("--nope", url("/"));
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err())
        .isEqualTo(
            "h2-client: option --nope: is unknown\n"
                + "h2-client: try 'h2-client --help' for more information\n");
    Result missingConfig = ours("-K", dir.resolve("nope").toString(), url("/"));
    assertThat(missingConfig.code()).isEqualTo(26);
    assertThat(missingConfig.err()).startsWith("h2-client: (26) cannot read config file");

    assertThat(ours("ftp://127.0.0.1/").code()).isEqualTo(1);
    assertThat(ours("http://[bad").code()).isEqualTo(3);
    assertThat(ours("-s", "127.0.0.1:" + server.server.port() + "/a").out())
        .isEqualTo("path /a over HTTP/2"); // no scheme: http://, as curl
    Result help = ours("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("Usage: h2-client").contains("--write-out");
  }
}
