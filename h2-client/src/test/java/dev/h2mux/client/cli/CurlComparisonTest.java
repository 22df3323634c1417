package dev.h2mux.client.cli;

import static dev.h2mux.client.cli.CliRun.curl;
import static dev.h2mux.client.cli.CliRun.ours;
import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.client.cli.CliRun.Result;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same command line given to curl and to the CLI, against the same server: each test compares
 * their output, files and exit status. curl talks HTTP/2 to it with {@code
 * --http2-prior-knowledge}, which is the CLI's default for {@code http://} and which both are
 * given.
 */
class CurlComparisonTest {
  private static CliServer server;
  @TempDir Path curlDir;
  @TempDir Path ourDir;

  @BeforeAll
  static void start() throws Exception {
    CliRun.curlPath();
    server = new CliServer();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  private static String url(String path) {
    return server.url(path);
  }

  /** Runs both with {@code --http2-prior-knowledge} and {@code args}; curl in its directory. */
  private Result[] both(String... args) throws Exception {
    String[] full =
        Stream.concat(Stream.of("--http2-prior-knowledge"), Stream.of(args)).toArray(String[]::new);
    return new Result[] {curl(curlDir, full), ours(full)};
  }

  private static void sameOutputAndCode(Result[] r) {
    assertThat(r[1].code())
        .as("exit code\ncurl: " + r[0].describe() + "\nours: " + r[1].describe())
        .isEqualTo(r[0].code());
    assertThat(r[1].out()).as("stdout\ncurl: " + r[0].describe()).isEqualTo(r[0].out());
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void includeAndHead() throws Exception {
    sameOutputAndCode(both("-i", url("/a")));
    sameOutputAndCode(both("-I", url("/a")));
    sameOutputAndCode(both("-i", "-I", url("/status/404")));
    // Two URLs over HTTP/1.1: curl 7.88 fails a second request on a reused h2c connection with
    // "(16) Error in the HTTP2 framing layer" (nghttpd gets the same).
    // The status lines keep the server's reason phrase: "HTTP/1.1 200 OK".
    Result[] two = both("--http1.1", "-i", url("/a"), url("/b?q=1"));
    sameOutputAndCode(two);
    assertThat(two[1].out()).startsWith("HTTP/1.1 200 OK\r\n");
    sameOutputAndCode(both("--http1.1", "-I", url("/status/404")));
  }

  @Test
  void interimResponsesAreWrittenBeforeTheFinalHead() throws Exception {
    Result[] h2 = both("-i", url("/hints"));
    sameOutputAndCode(h2);
    assertThat(h2[1].out()).startsWith("HTTP/2 103 \r\nlink: </style.css>; rel=preload\r\n\r\n");
    Result[] h1 = both("--http1.1", "-i", url("/hints"));
    sameOutputAndCode(h1);
    assertThat(h1[1].out()).startsWith("HTTP/1.1 103 Early Hints\r\n");
  }

  @Test
  void dumpHeaderFileAndStandardOutput() throws Exception {
    Result[] r = both("-s", "-D", "-", url("/a"));
    sameOutputAndCode(r);
    Path curlHead = curlDir.resolve("h.txt");
    Path ourHead = ourDir.resolve("h.txt");
    Result c = curl(curlDir, "--http2-prior-knowledge", "-D", curlHead.toString(), url("/a"));
    Result o = ours("-D", ourHead.toString(), url("/a"));
    assertThat(o.code()).isEqualTo(c.code()).isZero();
    assertThat(Files.readString(ourHead)).isEqualTo(Files.readString(curlHead));
  }

  @Test
  void failAndFailWithBody() throws Exception {
    Result[] fail = both("-f", url("/status/404"));
    sameOutputAndCode(fail);
    assertThat(fail[1].code()).isEqualTo(22);
    assertThat(fail[1].errAsProg()).isEqualTo(fail[0].errAsProg());
    Result[] silent = both("-sf", url("/status/503"));
    sameOutputAndCode(silent);
    assertThat(silent[1].err()).isEqualTo(silent[0].err()).isEmpty();
    Result[] shown = both("-sSf", url("/status/503"));
    assertThat(shown[1].errAsProg()).isEqualTo(shown[0].errAsProg());
    sameOutputAndCode(both("--fail-with-body", url("/status/404")));
    sameOutputAndCode(both("-f", "-i", url("/status/404")));
    sameOutputAndCode(both("-f", url("/status/302")));
  }

  @Test
  void showErrorAfterSilentOnAClosedPort() throws Exception {
    String refused = "http://127.0.0.1:" + closedPort() + "/";
    Result[] silent = both("-s", refused);
    sameOutputAndCode(silent);
    assertThat(silent[1].code()).isEqualTo(7);
    assertThat(silent[1].err()).isEqualTo(silent[0].err()).isEmpty();
    Result[] shown = both("-sS", refused);
    sameOutputAndCode(shown);
    String prefix =
        "PROG: (7) Failed to connect to 127.0.0.1 port "
            + refused.split(":")[2].replace("/", "")
            + " after ";
    assertThat(shown[0].errAsProg()).startsWith(prefix);
    // curl 7.88 words the reason "Couldn't connect to server"; we give the system's, as curl did
    // up to 7.87.
    assertThat(shown[1].errAsProg())
        .matches(Pattern.quote(prefix) + "\\d+ ms: Connection refused\n");
    assertThat(shown[1].err().lines().count()).isEqualTo(shown[0].err().lines().count());
    // Through a proxy, the proxy is what could not be reached.
    Result[] proxied = both("-sS", "-x", "127.0.0.1:" + closedPort(), "http://origin.test/");
    assertThat(proxied[1].code()).isEqualTo(proxied[0].code()).isEqualTo(7);
    String proxyPrefix = proxied[0].errAsProg().strip().replaceFirst(" after .*", " after ");
    assertThat(proxyPrefix).startsWith("PROG: (7) Failed to connect to 127.0.0.1 port ");
    assertThat(proxied[1].errAsProg()).startsWith(proxyPrefix);
  }

  @Test
  void anUnknownHostIsExitCode6() throws Exception {
    Result[] r = both("-sS", "http://no-such-host.invalid/");
    sameOutputAndCode(r);
    assertThat(r[1].code()).isEqualTo(6);
    assertThat(r[1].errAsProg())
        .isEqualTo(r[0].errAsProg())
        .isEqualTo("PROG: (6) Could not resolve host: no-such-host.invalid\n");
  }

  @Test
  void anEmptyReplyIsExitCode52() throws Exception {
    try (ServerSocket closing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      while (true) {
                        Socket s = closing.accept();
                        Thread.ofVirtual().start(() -> readHeadAndClose(s));
                      }
                    } catch (IOException e) {
                      // closed
                    }
                  });
      String target = "http://127.0.0.1:" + closing.getLocalPort() + "/";
      // HTTP/1.1: with prior knowledge curl sees the close as a receive failure (56), while we
      // take a close before any byte for "no h2c" and ask again over HTTP/1.1.
      Result[] r = both("--http1.1", "-sS", target);
      sameOutputAndCode(r);
      assertThat(r[1].code()).isEqualTo(52);
      assertThat(r[1].errAsProg())
          .isEqualTo(r[0].errAsProg())
          .isEqualTo("PROG: (52) Empty reply from server\n");
      closing.close();
      acceptor.join();
    }
  }

  private static void readHeadAndClose(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      for (int b, run = 0; run < 4 && (b = in.read()) >= 0; ) {
        run = b == '\r' || b == '\n' ? run + 1 : 0;
      }
    } catch (IOException e) {
      // gone
    }
  }

  @Test
  void remoteName() throws Exception {
    String target = url("/files/report.txt?v=2#frag");
    Result c = curl(curlDir, "--http2-prior-knowledge", "-s", "-O", target);
    Result o = CliRun.oursProcess(ourDir, "-s", "-O", target);
    assertThat(o.code()).isEqualTo(c.code()).isZero();
    assertThat(names(ourDir)).isEqualTo(names(curlDir)).containsExactly("report.txt");
    assertThat(Files.readString(ourDir.resolve("report.txt")))
        .isEqualTo(Files.readString(curlDir.resolve("report.txt")));

    for (String noName : List.of(url("/files/"), url(""))) {
      Result cn = curl(curlDir, "--http2-prior-knowledge", "-s", "-O", noName);
      Result on = CliRun.oursProcess(ourDir, "-s", "-O", noName);
      assertThat(on.code()).as(noName).isEqualTo(cn.code()).isEqualTo(23);
    }
    assertThat(names(ourDir)).isEqualTo(names(curlDir));
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void requestFieldsUserAgentRefererAndCredentials() throws Exception {
    sameOutputAndCode(
        both(
            "-u",
            "user:pa:ss",
            "-A",
            "agent/1",
            "-e",
            "http://ref/",
            "-H",
            "X-A: 1",
            url("/headers")));
    sameOutputAndCode(
        both("-H", "User-Agent:", "-H", "X-Empty;", "-H", "Accept: text/plain", url("/headers")));
    sameOutputAndCode(both("-A", "a", url("/headers").replace("http://", "http://u:p@")));
    sameOutputAndCode(
        both("-A", "a", "-u", "x:y", url("/headers").replace("http://", "http://u:p@")));
  }

  @Test
  void data() throws Exception {
    Path file = curlDir.resolve("data.txt");
    Files.writeString(file, "a=1\r\nb=2\n");
    sameOutputAndCode(both("-d", "x=1", "-d", "@" + file, url("/echo")));
    sameOutputAndCode(both("--data-binary", "@" + file, url("/echo")));
    sameOutputAndCode(both("--data-raw", "@" + file, url("/echo")));
    sameOutputAndCode(both("-X", "PUT", "-d", "v", url("/echo")));
  }

  /**
   * curl 7.88 sends {@code Expect: 100-continue} before an HTTP/1.1 body of more than 1 MiB and
   * writes the {@code 100 Continue} head with {@code -i}; {@code -H 'Expect:'} turns it off.
   */
  @Test
  void expectContinueForLargeHttp11Uploads() throws Exception {
    Path big = curlDir.resolve("big.bin");
    Files.write(big, new byte[RequestFactory.EXPECT_THRESHOLD_FOR_TESTS + 1]);
    Result[] r = both("--http1.1", "-s", "-i", "--data-binary", "@" + big, url("/count"));
    sameOutputAndCode(r);
    assertThat(r[1].out()).startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n");
    Result[] verbose =
        both(
            "--http1.1",
            "-s",
            "-v",
            "-A",
            "a",
            "-o",
            "/dev/null",
            "--data-binary",
            "@" + big,
            url("/count"));
    // curl writes the HTTP/1.1 names capitalized, we send them in lowercase
    assertThat(lowercase(heads(verbose[1].err(), ">")))
        .isEqualTo(lowercase(heads(verbose[0].err(), ">")))
        .contains("> expect: 100-continue");
    Result[] off =
        both("--http1.1", "-s", "-i", "-H", "Expect:", "--data-binary", "@" + big, url("/count"));
    sameOutputAndCode(off);
    assertThat(off[1].out()).startsWith("HTTP/1.1 200 OK\r\n");
    sameOutputAndCode(
        both(
            "--http1.1",
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{size_header} %{size_upload}",
            "--data-binary",
            "@" + big,
            url("/count")));
    // At the threshold itself, and over HTTP/2: no expectation.
    Path edge = curlDir.resolve("edge.bin");
    Files.write(edge, new byte[RequestFactory.EXPECT_THRESHOLD_FOR_TESTS]);
    sameOutputAndCode(both("--http1.1", "-s", "-i", "--data-binary", "@" + edge, url("/count")));
    sameOutputAndCode(both("-s", "-i", "--data-binary", "@" + big, url("/count")));
  }

  @Test
  void writeOutVariablesAndEscapes() throws Exception {
    String format =
        "%{http_code}|%{response_code}|%{http_version}|%{size_download}|%{size_upload}"
            + "|%{size_header}|%{url_effective}|%{url}|%{content_type}|%{num_headers}|%{method}"
            + "|%{scheme}|%{exitcode}|%{urlnum}|%{errormsg}|%{num_redirects}"
            + "|%header{x-test}|%header{nope}|%%|\\t|\\\\|%q|\\q|%{bogus}|\\n";
    Result[] get = both("-s", "-o", "/dev/null", "-w", format, url("/a"));
    sameOutputAndCode(get);
    assertThat(get[1].errAsProg()).isEqualTo(get[0].errAsProg()).contains("'bogus'");
    sameOutputAndCode(both("-s", "-w", format, url("/status/404")));
    Result[] h1 = both("--http1.1", "-s", "-w", format, url("/a"), url("/status/404?x"));
    sameOutputAndCode(h1);
    sameOutputAndCode(both("-s", "-o", "/dev/null", "-w", format, "-d", "12345", url("/echo")));
    sameOutputAndCode(
        both(
            "-s",
            "-w",
            "%{http_code} %{http_version} %{exitcode} %{size_download}\\n",
            "http://127.0.0.1:" + closedPort() + "/"));
    sameOutputAndCode(both("-s", "-o", "/dev/null", "-w", "tail %{", url("/a")));
    Path formatFile = curlDir.resolve("format");
    Files.writeString(formatFile, "from file %{http_code}\\n");
    sameOutputAndCode(both("-s", "-o", "/dev/null", "-w", "@" + formatFile, url("/a")));
  }

  @Test
  void writeOutTimesAreSecondsWithSixDecimals() throws Exception {
    Result[] r = both("-s", "-o", "/dev/null", "-w", "%{time_total} %{speed_download}", url("/a"));
    assertThat(r[0].out()).matches("\\d+\\.\\d{6} \\d+");
    assertThat(r[1].out()).matches("\\d+\\.\\d{6} \\d+");
  }

  @Test
  void configFile() throws Exception {
    Path config = curlDir.resolve("curlrc");
    Files.writeString(
        config,
        """
        # comments, quoting and escapes as curl reads them
          # indented comment
        url = "%s"
        http2-prior-knowledge
        silent
        --show-error
        header = "X-Spaced: a  b"
        user-agent: "quoted \\"agent\\""
        -e http://ref/
        write-out = "\\t%%{http_code}\\n"
        """
            .formatted(url("/headers")));
    Result c = curl(curlDir, "-K", config.toString());
    Result o = ours("-K", config.toString());
    assertThat(o.code()).isEqualTo(c.code()).isZero();
    assertThat(o.out()).isEqualTo(c.out());
    Result cm = curl(curlDir, "-K", curlDir.resolve("missing").toString(), url("/a"));
    Result om = ours("-K", curlDir.resolve("missing").toString(), url("/a"));
    assertThat(om.code()).isEqualTo(cm.code()).isEqualTo(26);
  }

  @Test
  void usageErrorsAreExitCode2() throws Exception {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"--no-such-option", url("/a")});
    lines.add(new String[] {url("/a"), "-H"});
    lines.add(new String[] {"--max-time", "abc", url("/a")});
    lines.add(new String[] {"--connect-timeout", "-1", url("/a")});
    lines.add(new String[] {"-I", "-d", "x", url("/a")});
    lines.add(new String[] {"-s"});
    lines.add(new String[] {"-f", "--fail-with-body", url("/a")});
    lines.add(new String[] {"--max-redirs", "x", url("/a")});
    for (String[] line : lines) {
      Result c = curl(curlDir, line);
      Result o = ours(line);
      assertThat(o.code())
          .as(String.join(" ", line) + "\n" + o.describe())
          .isEqualTo(c.code())
          .isEqualTo(2);
    }
    Result[] unknown = both("--no-such-option", url("/a"));
    assertThat(unknown[1].err().lines().findFirst())
        .hasValue("h2-client: option --no-such-option: is unknown");
    assertThat(unknown[0].err().lines().findFirst())
        .hasValue("curl: option --no-such-option: is unknown");
  }

  @Test
  void unparsableResolveIsExitCode49() throws Exception {
    for (String entry : List.of("nonsense", "a.test:80:notanip")) {
      Result c = curl(curlDir, "-sS", "--resolve", entry, url("/a"));
      Result o = ours("-sS", "--resolve", entry, url("/a"));
      assertThat(o.code()).as(o.describe()).isEqualTo(c.code()).isEqualTo(49);
      assertThat(o.errAsProg()).startsWith("PROG: (49) Couldn't parse");
      assertThat(c.errAsProg()).startsWith("PROG: (49) Couldn't parse");
    }
  }

  @Test
  void urlErrorsAndTheirCodes() throws Exception {
    Result[] scheme = both("-s", "ftpx://127.0.0.1/");
    sameOutputAndCode(scheme);
    assertThat(scheme[1].code()).isEqualTo(1);
    sameOutputAndCode(both("-s", "http://[bad"));
    sameOutputAndCode(both("-s", "127.0.0.1:" + server.server.port() + "/no-scheme"));
  }

  @Test
  void connectTimeoutAgainstAListenerThatNeverAccepts() throws Exception {
    // A listen queue of one, filled: the kernel drops further SYNs, so connecting hangs.
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<SocketChannel> fillers = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          SocketChannel ch = SocketChannel.open();
          ch.configureBlocking(false);
          ch.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()));
          fillers.add(ch);
        }
        String target = "http://127.0.0.1:" + full.getLocalPort() + "/";
        Result[] r = both("-sS", "--connect-timeout", "0.5", target);
        assertThat(r[1].code()).as(r[1].describe()).isEqualTo(r[0].code()).isEqualTo(28);
        String curls = r[0].errAsProg().replaceAll("after \\d+ ms", "after N ms");
        assertThat(curls).endsWith(": Timeout was reached\n");
        assertThat(r[1].errAsProg().replaceAll("after \\d+ ms", "after N ms")).isEqualTo(curls);
        Result[] m = both("-s", "-m", "0.5", target);
        assertThat(m[1].code()).isEqualTo(m[0].code()).isEqualTo(28);
      } finally {
        for (SocketChannel ch : fillers) ch.close();
      }
    }
  }

  /** The connect timeout covers the TLS handshake and the proxy's tunnel, with curl's words. */
  @Test
  void connectTimeoutInTlsAndInTheProxyTunnel() throws Exception {
    try (SilentServer silent = new SilentServer()) {
      Result[] tls = both("-sS", "--connect-timeout", "0.5", "https://127.0.0.1:" + silent.port());
      assertThat(tls[1].code()).as(tls[1].describe()).isEqualTo(tls[0].code()).isEqualTo(28);
      assertThat(tls[1].errAsProg())
          .isEqualTo(tls[0].errAsProg())
          .isEqualTo("PROG: (28) SSL connection timeout\n");
      Result[] tunnel =
          both(
              "-sS",
              "--connect-timeout",
              "0.5",
              "-x",
              "127.0.0.1:" + silent.port(),
              "https://origin.test/");
      assertThat(tunnel[1].code()).isEqualTo(tunnel[0].code()).isEqualTo(28);
      assertThat(tunnel[1].errAsProg())
          .isEqualTo(tunnel[0].errAsProg())
          .isEqualTo("PROG: (28) Proxy CONNECT aborted due to timeout\n");
    }
  }

  @Test
  void maxTimeForTheHeadAndForTheBody() throws Exception {
    Result[] head = both("-s", "-m", "0.5", url("/hang"));
    sameOutputAndCode(head);
    assertThat(head[1].code()).isEqualTo(28);
    Result[] body = both("-sS", "-m", "1", url("/slow-body"));
    sameOutputAndCode(body);
    assertThat(body[1].out()).isEqualTo("first part\n");
  }

  @Test
  void exitCodeOfSeveralUrls() throws Exception {
    String refused = "http://127.0.0.1:" + closedPort() + "/";
    sameOutputAndCode(both("-s", refused, url("/a")));
    sameOutputAndCode(both("-s", url("/a"), refused));
    Result[] parallel = both("-s", "-Z", refused, url("/a"));
    assertThat(parallel[1].code()).isEqualTo(parallel[0].code()).isEqualTo(7);
  }

  @Test
  void verboseHeadsMatchCurls() throws Exception {
    Result[] r = both("-s", "-v", "-A", "same-agent", "-H", "X-A: 1", url("/a"));
    sameOutputAndCode(r);
    assertThat(heads(r[1].err(), "<")).isEqualTo(heads(r[0].err(), "<")).isNotEmpty();
    // curl writes the HTTP/2 authority as an HTTP/1-style "Host:"; we write it in lowercase.
    assertThat(heads(r[1].err(), ">"))
        .isEqualTo(heads(r[0].err().replace("\n> Host: ", "\n> host: "), ">"))
        .contains("> GET /a HTTP/2", "> host: 127.0.0.1:" + server.server.port(), ">");
  }

  @Test
  void verboseShowsTheRequestWhenItIsSentNotWhenAnswered() throws Exception {
    Result[] r = both("-s", "-v", "-A", "same", "-m", "1", "-d", "x", url("/hang"));
    assertThat(r[1].code()).as(r[1].describe()).isEqualTo(r[0].code()).isEqualTo(28);
    assertThat(heads(r[1].err(), ">"))
        .isEqualTo(heads(r[0].err().replace("\n> Host: ", "\n> host: "), ">"))
        .contains("> POST /hang HTTP/2", "> content-length: 1");
    assertThat(heads(r[1].err(), "<")).isEqualTo(heads(r[0].err(), "<")).isEmpty();
  }

  private static List<String> lowercase(List<String> lines) {
    return lines.stream().map(l -> l.toLowerCase(java.util.Locale.ROOT)).toList();
  }

  /** The verbose lines that start with {@code marker} ({@code >} or {@code <}), end-trimmed. */
  private static List<String> heads(String verbose, String marker) {
    return verbose.lines().filter(l -> l.startsWith(marker)).map(String::stripTrailing).toList();
  }

  @Test
  void tlsCertificateTrust(@TempDir Path certDir) throws Exception {
    try (CliServer tls = new CliServer(SelfSigned.create(certDir).tls())) {
      String target = tls.url("/a");
      Result[] untrusted = new Result[] {curl(curlDir, "-s", target), ours("-s", target)};
      assertThat(untrusted[1].code()).isEqualTo(untrusted[0].code()).isEqualTo(60);
      // TLS to a port that speaks cleartext HTTP: a TLS failure that is not about trust.
      String cleartext = url("/a").replace("http://", "https://");
      Result[] notTls = new Result[] {curl(curlDir, "-s", cleartext), ours("-s", cleartext)};
      assertThat(notTls[1].code()).isEqualTo(notTls[0].code()).isEqualTo(35);
      Result[] insecure = new Result[] {curl(curlDir, "-sk", target), ours("-sk", target)};
      sameOutputAndCode(insecure);
      assertThat(insecure[1].out()).isEqualTo("path /a over HTTP/2");
      assertThat(new String(insecure[1].stdout(), StandardCharsets.UTF_8)).isNotEmpty();
    }
  }
}
