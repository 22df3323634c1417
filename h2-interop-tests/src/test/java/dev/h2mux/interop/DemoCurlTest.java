package dev.h2mux.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every demo endpoint against curl (Debian package {@code curl}), over each way curl connects: h2c
 * prior knowledge, h2c Upgrade, HTTP/1.1, and TLS with ALPN h2 and http/1.1. Where HTTP/1.1 has no
 * such thing (PING, GOAWAY, RST_STREAM) the test checks what the demo does instead. Frames curl
 * cannot show are checked with nghttp in {@link DemoNghttpTest}.
 *
 * <p>curl 7.88 cannot reuse an h2c prior-knowledge connection for a second URL (it fails with
 * "Error in the HTTP2 framing layer" against nghttpd too), so prior-knowledge tests use one URL per
 * run.
 */
class DemoCurlTest extends DemoServers {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** How curl reaches the server, what both ends then speak, and how the demo describes it. */
  enum Mode {
    PRIOR_KNOWLEDGE("--http2-prior-knowledge", "2", "HTTP/2", "h2c prior knowledge"),
    UPGRADE("--http2", "2", "HTTP/2", "h2c upgrade from HTTP/1.1"),
    HTTP_1_1("--http1.1", "1.1", "HTTP/1.1", "cleartext"),
    TLS_ALPN_H2("--http2", "2", "HTTP/2", "TLS, ALPN h2"),
    TLS_ALPN_HTTP_1_1("--http1.1", "1.1", "HTTP/1.1", "TLS, ALPN http/1.1");

    final String flag;
    final String curlVersion;
    final String protocol;
    final String negotiation;

    Mode(String flag, String curlVersion, String protocol, String negotiation) {
      this.flag = flag;
      this.curlVersion = curlVersion;
      this.protocol = protocol;
      this.negotiation = negotiation;
    }

    boolean tls() {
      return name().startsWith("TLS");
    }

    boolean http2() {
      return protocol.equals("HTTP/2");
    }
  }

  private Path curl;
  @TempDir Path dir;

  @BeforeEach
  void findCurl() {
    curl = ExternalTool.require("curl", "curl");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void indexIsTextForCurlAndHtmlForABrowser(Mode mode) throws Exception {
    Processes.Result text = curl(mode, "-D", file("head"), url(mode, "/"));
    assertOk(text);
    assertThat(head()).containsIgnoringCase("content-type: text/plain");
    assertThat(text.stdout()).contains("/headers-big", "/goaway", "Limits");
    Processes.Result html = curl(mode, "-H", "Accept: text/html", url(mode, "/"));
    assertOk(html);
    assertThat(html.stdout()).startsWith("<!DOCTYPE html>").contains("<table>");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void getShowsTheRequestAsTheServerReceivedIt(Mode mode) throws Exception {
    Path headers = dir.resolve("headers.txt");
    // Raw bytes no text encoding would give: FF FE is not UTF-8.
    Files.write(
        headers, "x-bytes: \u00ff\u00fe\nx-quote: a\"b\\c\n".getBytes(StandardCharsets.ISO_8859_1));
    Path body = dir.resolve("get.json");
    Processes.Result result =
        curl(
            mode,
            "-o",
            body.toString(),
            "-H",
            "@" + headers,
            url(mode, "/get?a=1&a=2&e=%E2%82%AC"));
    assertOk(result);
    assertThat(
            PythonJson.eval(
                body,
                "[d['method'], d['scheme'], d['protocol'], d['connection']['negotiation'],"
                    + " d['connection']['tls'], d['query'], d['client'].split(':')[0],"
                    + " d['body']['bytes']]"))
        .isEqualTo(
            "[\"GET\", \""
                + (mode.tls() ? "https" : "http")
                + "\", \""
                + mode.protocol
                + "\", \""
                + mode.negotiation
                + "\", "
                + mode.tls()
                + ", [[\"a\", \"1\"], [\"a\", \"2\"], [\"e\", \"\\u20ac\"]], \"127.0.0.1\", 0]");
    String names = PythonJson.eval(body, "[h[0] for h in d['headers']]");
    String expectedStart =
        switch (mode) {
          case PRIOR_KNOWLEDGE, TLS_ALPN_H2 ->
              "[\":method\", \":path\", \":scheme\", \":authority\"";
          case UPGRADE -> "[\"user-agent\""; // the Upgrade request arrived as HTTP/1.1
          default -> "[\"host\"";
        };
    assertThat(names).startsWith(expectedStart);
    assertThat(PythonJson.eval(body, "[h for h in d['headers'] if h[0].startswith('x-')]"))
        .isEqualTo("[[\"x-bytes\", \"\\u00ff\\u00fe\"], [\"x-quote\", \"a\\\"b\\\\c\"]]");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anythingHashesTheBodyAndHeadersListsTheFields(Mode mode) throws Exception {
    Path upload = Bodies.patternFile(dir, "upload", 300_000);
    Path body = dir.resolve("anything.json");
    Processes.Result result =
        curl(
            mode,
            "-X",
            "PATCH",
            "--data-binary",
            "@" + upload,
            "-o",
            body.toString(),
            url(mode, "/anything/deep"));
    assertOk(result);
    assertThat(PythonJson.eval(body, "[d['method'], d['path'], d['body']]"))
        .isEqualTo(
            "[\"PATCH\", \"/anything/deep\", {\"bytes\": 300000, \"sha256\": \""
                + Bodies.sha256(upload)
                + "\"}]");
    Path headers = dir.resolve("headers.json");
    assertOk(curl(mode, "-o", headers.toString(), "-H", "x-one: 1", url(mode, "/headers")));
    assertThat(PythonJson.eval(headers, "[list(d), d['headers'][-1]]"))
        .isEqualTo("[[\"headers\"], [\"x-one\", \"1\"]]");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void statusCodesAndInterimResponses(Mode mode) throws Exception {
    Processes.Result interim = curl(mode, "-D", file("head"), url(mode, "/status/103"));
    assertOk(interim);
    String head = head();
    assertThat(head).containsPattern("HTTP/" + Pattern.quote(mode.curlVersion) + " 103");
    assertThat(head.indexOf(" 103")).isLessThan(head.indexOf(" 200"));
    assertThat(interim.stdout()).startsWith("103 Early Hints was sent as an interim response");
    Processes.Result teapot = curl(mode, url(mode, "/status/418"));
    assertThat(teapot.stdout()).isEqualTo("418 I'm a teapot\n" + mode.curlVersion + " 418");
    Processes.Result noContent = curl(mode, url(mode, "/status/204"));
    assertThat(noContent.stdout()).isEqualTo(mode.curlVersion + " 204");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void delayStreamAndDripTakeTheirTime(Mode mode) throws Exception {
    Path delayed = dir.resolve("delay.json");
    Processes.Result delay =
        run(
            mode,
            List.of("-o", delayed.toString(), "-w", "%{time_total}", url(mode, "/delay/300")));
    assertThat(delay.exitCode()).as(delay.describe()).isZero();
    assertThat(Double.parseDouble(delay.stdout())).isGreaterThanOrEqualTo(0.3);
    assertThat(PythonJson.eval(delayed, "d['delay_ms']")).isEqualTo("300");

    Processes.Result stream = curl(mode, url(mode, "/stream/5"));
    assertOk(stream);
    assertThat(stream.stdout().lines().filter(l -> l.startsWith("{\"chunk\": ")).count())
        .isEqualTo(5);

    Processes.Result drip =
        run(mode, List.of("-w", " %{time_total}", url(mode, "/drip?bytes=5&duration=400")));
    assertThat(drip.exitCode()).as(drip.describe()).isZero();
    assertThat(drip.stdout()).startsWith("***** ");
    assertThat(Double.parseDouble(drip.stdout().substring(6))).isGreaterThanOrEqualTo(0.4);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void trailersFollowTheBody(Mode mode) throws Exception {
    Processes.Result result =
        curl(mode, "-D", file("head"), "-H", "TE: trailers", url(mode, "/trailers?x-a=1&x-b=two"));
    assertOk(result);
    String head = head().toLowerCase();
    assertThat(head).contains("x-a: 1", "x-b: two", "x-request-bytes: 0");
    assertThat(result.stdout()).startsWith("3 trailer fields follow the body");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void redirectsStayOnThisServer(Mode mode) throws Exception {
    if (mode == Mode.PRIOR_KNOWLEDGE) {
      // curl would reuse the connection to follow; walk the chain one run per hop instead
      String next = "/redirect/3";
      for (int hops = 0; hops < 3; hops++) {
        Processes.Result hop = curl(mode, "-D", file("head"), url(mode, next));
        assertThat(hop.stdout()).isEqualTo("2 302");
        Matcher location = Pattern.compile("(?im)^location: (\\S+)").matcher(head());
        assertThat(location.find()).isTrue();
        next = location.group(1);
      }
      assertThat(next).isEqualTo("/get");
    } else {
      Processes.Result chain =
          run(
              mode,
              List.of(
                  "-L",
                  "-o",
                  "/dev/null",
                  "-w",
                  "%{http_code} %{num_redirects} %{url_effective}",
                  url(mode, "/redirect/3")));
      assertThat(chain.stdout()).as(chain.describe()).isEqualTo("200 3 " + url(mode, "/get"));
      Processes.Result to =
          run(
              mode,
              List.of(
                  "-L",
                  "-o",
                  "/dev/null",
                  "-w",
                  "%{http_code} %{num_redirects}",
                  url(mode, "/redirect-to?url=/headers&status=307")));
      assertThat(to.stdout()).isEqualTo("200 1");
    }
    Processes.Result open = curl(mode, url(mode, "/redirect-to?url=http://example.com/"));
    assertThat(open.stdout())
        .startsWith("url must be on this server")
        .endsWith(mode.curlVersion + " 400");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void gzipIsDecodedByCurlCompressed(Mode mode) throws Exception {
    Path decoded = dir.resolve("gzip.json");
    assertOk(curl(mode, "--compressed", "-o", decoded.toString(), url(mode, "/gzip")));
    assertThat(PythonJson.eval(decoded, "[d['gzipped'], d['path']]"))
        .isEqualTo("[true, \"/gzip\"]");
    Path raw = dir.resolve("gzip.raw");
    assertOk(curl(mode, "-D", file("head"), "-o", raw.toString(), url(mode, "/gzip")));
    assertThat(head()).containsIgnoringCase("content-encoding: gzip");
    byte[] bytes = Files.readAllBytes(raw);
    assertThat(bytes[0] & 0xff).isEqualTo(0x1f);
    assertThat(bytes[1] & 0xff).isEqualTo(0x8b);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void cacheAnswers304ToAMatchingCondition(Mode mode) throws Exception {
    assertOk(curl(mode, "-D", file("head"), url(mode, "/cache")));
    Matcher etag = Pattern.compile("(?im)^etag: (\\S+)").matcher(head());
    Matcher modified = Pattern.compile("(?im)^last-modified: (.+?)\\r?$").matcher(head());
    assertThat(etag.find() && modified.find()).isTrue();
    assertThat(curl(mode, "-H", "If-None-Match: " + etag.group(1), url(mode, "/cache")).stdout())
        .isEqualTo(mode.curlVersion + " 304");
    assertThat(
            curl(mode, "-H", "If-Modified-Since: " + modified.group(1), url(mode, "/cache"))
                .stdout())
        .isEqualTo(mode.curlVersion + " 304");
    assertThat(curl(mode, "-H", "If-None-Match: \"other\"", url(mode, "/cache")).stdout())
        .endsWith(mode.curlVersion + " 200");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void rangesGive206And416(Mode mode) throws Exception {
    Processes.Result partial = curl(mode, "-D", file("head"), "-r", "3-9", url(mode, "/range/26"));
    assertThat(partial.stdout()).isEqualTo("defghij" + mode.curlVersion + " 206");
    assertThat(head()).containsIgnoringCase("content-range: bytes 3-9/26");
    Processes.Result past = curl(mode, "-D", file("head"), "-r", "30-", url(mode, "/range/26"));
    assertThat(past.stdout()).endsWith(mode.curlVersion + " 416");
    assertThat(head()).containsIgnoringCase("content-range: bytes */26");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void resetCutsTheResponseShort(Mode mode) throws Exception {
    Path body = dir.resolve("reset.bin");
    Processes.Result after =
        curl(mode, "-o", body.toString(), url(mode, "/reset?code=CANCEL&after=100"));
    Processes.Result before = curl(mode, url(mode, "/reset?code=ENHANCE_YOUR_CALM"));
    if (mode.http2()) {
      assertThat(after.exitCode()).as(after.describe()).isEqualTo(92); // HTTP/2 stream error
      assertThat(after.stderr()).contains("CANCEL (err 8)");
      assertThat(before.exitCode()).as(before.describe()).isEqualTo(92);
      assertThat(before.stderr()).contains("ENHANCE_YOUR_CALM (err 11)");
      // curl may drop DATA that arrives with the RST_STREAM: DemoNghttpTest counts the bytes
    } else {
      // HTTP/1.1 has no RST_STREAM: the connection closes
      assertThat(after.exitCode()).as(after.describe()).isEqualTo(18); // partial file
      assertThat(Files.size(body)).isEqualTo(100);
      assertThat(before.exitCode()).as(before.describe()).isEqualTo(52); // empty reply
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void goAwayClosesTheConnectionAfterTheStreamsAsked(Mode mode) throws Exception {
    if (mode == Mode.PRIOR_KNOWLEDGE) {
      Processes.Result result =
          curl(mode, "-v", url(mode, "/goaway?after=0&code=ENHANCE_YOUR_CALM"));
      assertOk(result);
      assertThat(result.stderr()).contains("GOAWAY, error=11, last_stream=1");
      return;
    }
    Processes.Result result =
        run(
            mode,
            List.of(
                "-v",
                "-o",
                "/dev/null",
                "-o",
                "/dev/null",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code} ",
                url(mode, "/goaway?after=1&code=ENHANCE_YOUR_CALM"),
                url(mode, "/get"),
                url(mode, "/get")));
    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(result.stdout()).isEqualTo("200 200 200 ");
    // the second request still used the first connection; the third needed a new one
    assertThat(result.stderr()).contains("Re-using existing connection");
    assertThat(count(result.stderr(), "* Connected to ")).as(result.describe()).isEqualTo(2);
    if (mode.http2()) {
      assertThat(result.stderr()).contains("GOAWAY, error=11, last_stream=3");
    } else {
      assertThat(count(result.stderr().toLowerCase(), "< connection: close")).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void bigHeaderSectionsArriveWhole(Mode mode) throws Exception {
    Processes.Result result = curl(mode, "-D", file("head"), url(mode, "/headers-big?kb=64"));
    assertOk(result);
    assertThat(count(head(), "x-big-")).isEqualTo(64);
    assertThat(head()).contains("x-big-0064: XXXX");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void slowWindowReadsTheWholeBodyAtItsRate(Mode mode) throws Exception {
    Path upload = Bodies.patternFile(dir, "upload", 2 * Bodies.MIB);
    Path body = dir.resolve("slow.json");
    Processes.Result result =
        curl(
            mode,
            "--data-binary",
            "@" + upload,
            "-o",
            body.toString(),
            url(mode, "/slow-window?rate=4194304"));
    assertOk(result);
    assertThat(PythonJson.eval(body, "[d['bytes'], d['sha256'], d['complete']]"))
        .isEqualTo("[2097152, \"" + Bodies.sha256(upload) + "\", true]");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void pingReportsTheRoundTripInATrailer(Mode mode) throws Exception {
    Processes.Result result = curl(mode, "-D", file("head"), url(mode, "/ping?count=3"));
    if (mode.http2()) {
      assertOk(result);
      assertThat(head())
          .containsPattern("x-ping-rtt-ms: \\d+\\.\\d{3}, \\d+\\.\\d{3}, \\d+\\.\\d{3}");
      assertThat(result.stdout()).contains("PING 1: round trip ", "PING 3: round trip ");
    } else {
      assertThat(result.stdout())
          .contains("/ping sends HTTP/2 PING frames")
          .endsWith(mode.curlVersion + " 400");
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void badParametersGet400WithWhatIsAllowed(Mode mode) throws Exception {
    Processes.Result result = curl(mode, url(mode, "/drip?bytes=lots"));
    assertThat(result.stdout())
        .startsWith("bytes must be an integer in 0..1048576, got \"lots\"")
        .endsWith(mode.curlVersion + " 400");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void bytesAndEchoAreAsBefore(Mode mode) throws Exception {
    Path body = dir.resolve("bytes");
    assertOk(curl(mode, "-D", file("head"), "-o", body.toString(), url(mode, "/bytes/12")));
    assertThat(Files.readAllBytes(body))
        .isEqualTo(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
    assertThat(head().toLowerCase())
        .contains("content-type: application/octet-stream", "content-length: 12");
    Processes.Result echo = curl(mode, "--data-binary", "echo me", url(mode, "/echo"));
    assertThat(echo.stdout()).isEqualTo("echo me" + mode.curlVersion + " 200");
  }

  // ---------------------------------------------------------------- helpers

  private static void assertOk(Processes.Result result) {
    assertThat(result.exitCode()).as(result.describe()).isZero();
  }

  private String file(String name) {
    return dir.resolve(name).toString();
  }

  /** What the last {@code -D head} wrote. */
  private String head() throws Exception {
    return Files.readString(dir.resolve("head"), StandardCharsets.ISO_8859_1);
  }

  private static long count(String text, String what) {
    long n = 0;
    for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
      n++;
    }
    return n;
  }

  /** curl with the mode's flags and {@code -w "%{http_version} %{http_code}"}. */
  private Processes.Result curl(Mode mode, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("-w", "%{http_version} %{http_code}"));
    all.addAll(List.of(args));
    return run(mode, all);
  }

  /** curl with the mode's flags and {@code args}. */
  private Processes.Result run(Mode mode, List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(curl.toString(), "-sS", mode.flag));
    if (mode.tls()) {
      command.add("-k"); // the test certificate is self-signed
    }
    command.addAll(args);
    return Processes.run(dir, TIMEOUT, command);
  }

  private static String url(Mode mode, String path) {
    return mode.tls()
        ? "https://127.0.0.1:" + tls.port() + path
        : "http://127.0.0.1:" + cleartext.port() + path;
  }
}
