package dev.h2mux.client.cli;

import static dev.h2mux.client.cli.CliRun.curl;
import static dev.h2mux.client.cli.CliRun.ours;
import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.client.cli.CliRun.Result;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * curl and the CLI with the same command line for the flags the client library carries out: {@code
 * -L}, {@code --max-redirs}, {@code -x}, {@code --compressed}, {@code --cacert}, {@code --resolve},
 * and the {@code -w} variables it measures.
 */
class CurlNetworkFlagsComparisonTest {
  @TempDir static Path certDir;
  private static CliServer server;
  private static CliServer tlsServer;
  private static SelfSigned cert;
  private static TunnelProxy proxy;
  @TempDir Path curlDir;

  @BeforeAll
  static void start() throws Exception {
    CliRun.curlPath();
    server = new CliServer();
    cert = SelfSigned.create(certDir);
    tlsServer = new CliServer(cert.tls());
    proxy = new TunnelProxy();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) server.close();
    if (tlsServer != null) tlsServer.close();
    if (proxy != null) proxy.close();
  }

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

  /**
   * Following a redirect sends a second request on the connection. Over HTTP/1.1 for the
   * comparisons: curl 7.88 fails a second request on a reused h2c connection ("(16) Error in the
   * HTTP2 framing layer"), with nghttpd as with this server.
   */
  @Test
  void locationFollowsRedirects() throws Exception {
    Result[] r = both("--http1.1", "-L", server.url("/redirect/3"));
    sameOutputAndCode(r);
    assertThat(r[1].out()).isEqualTo("redirected GET\n");
    Result http2 = ours("-L", server.url("/redirect/3"));
    assertThat(http2.out()).as(http2.describe()).isEqualTo("redirected GET\n");
    sameOutputAndCode(
        both(
            "--http1.1",
            "-s",
            "-L",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code} %{url_effective} %{num_redirects} [%{redirect_url}]",
            server.url("/redirect/3")));
    // 303 after a POST: GET without the body.
    sameOutputAndCode(both("--http1.1", "-L", "-d", "payload", server.url("/see-other")));
  }

  @Test
  void locationShowsEveryHopsHead() throws Exception {
    String target = server.url("/redirect/3");
    Result[] include = both("--http1.1", "-s", "-L", "-i", target);
    sameOutputAndCode(include);
    assertThat(include[1].out().split("HTTP/1.1 302 Found\r\n", -1)).hasSize(4);
    sameOutputAndCode(both("--http1.1", "-s", "-L", "-I", target));
    sameOutputAndCode(both("--http1.1", "-s", "-L", "-D", "-", "-o", "/dev/null", target));
    sameOutputAndCode(
        both(
            "--http1.1",
            "-s",
            "-L",
            "-A",
            "same",
            "-o",
            "/dev/null",
            "-w",
            "%{size_header} %{size_request} %{num_headers} %{num_redirects}",
            target));
    Result http2 = ours("-s", "-L", "-i", target);
    assertThat(http2.out().split("HTTP/2 302 \r\n", -1)).as(http2.describe()).hasSize(4);
  }

  @Test
  void locationWithVerboseShowsEveryHopsRequestAndResponse() throws Exception {
    Result[] r = both("--http1.1", "-s", "-v", "-L", "-A", "same", server.url("/redirect/2"));
    sameOutputAndCode(r);
    assertThat(heads(r[1].err()))
        .isEqualTo(heads(r[0].err()))
        .containsSubsequence(
            "> get /redirect/2 http/1.1",
            "< http/1.1 302 found",
            "> get /redirect/1 http/1.1",
            "< http/1.1 302 found",
            "> get /redirect/0 http/1.1",
            "< http/1.1 200 ok");
    assertThat(r[1].err())
        .contains("* Issue another request to this URL: '" + server.url("/redirect/1") + "'");
  }

  @Test
  void autoRefererWithLocation() throws Exception {
    String target = server.url("/redirect/2?headers");
    Result[] r = both("--http1.1", "-s", "-L", "-A", "a", "-e", ";auto", "-H", "X-A: 1", target);
    sameOutputAndCode(r);
    assertThat(r[1].out()).contains("referer: " + server.url("/redirect/1?headers") + "\nx-a: 1\n");
    String credentialed = target.replace("http://", "http://u:p@") + "#frag";
    sameOutputAndCode(
        both("--http1.1", "-s", "-L", "-A", "a", "-e", "http://first/;auto", credentialed));
    Result[] verbose =
        both("--http1.1", "-s", "-v", "-L", "-A", "a", "-e", "http://first/;auto", target);
    assertThat(heads(verbose[1].err())).isEqualTo(heads(verbose[0].err()));
    sameOutputAndCode(
        both(
            "--http1.1",
            "-s",
            "-L",
            "-o",
            "/dev/null",
            "-e",
            ";auto",
            "-w",
            "%{referer}|%{url_effective}",
            target));
    // Without -L, ';auto' has nothing to do.
    sameOutputAndCode(both("--http1.1", "-s", "-A", "a", "-e", ";auto", server.url("/headers")));
    Result http2 = ours("-s", "-L", "-e", ";auto", target);
    assertThat(http2.out()).contains("referer: " + server.url("/redirect/1?headers") + "\n");
  }

  /** The {@code >} and {@code <} lines of a verbose output, names in lowercase as we send them. */
  private static java.util.List<String> heads(String verbose) {
    return verbose
        .lines()
        .filter(l -> l.startsWith(">") || l.startsWith("<"))
        .map(l -> l.stripTrailing().toLowerCase(java.util.Locale.ROOT))
        .toList();
  }

  @Test
  void withoutLocationTheRedirectIsTheResponse() throws Exception {
    sameOutputAndCode(
        both(
            "-s",
            "-w",
            "|%{http_code} %{redirect_url} %{num_redirects}",
            server.url("/redirect/1")));
  }

  @Test
  void maxRedirs() throws Exception {
    Result[] tooMany =
        both("--http1.1", "-s", "-L", "--max-redirs", "2", server.url("/redirect/3"));
    sameOutputAndCode(tooMany);
    assertThat(tooMany[1].code()).isEqualTo(47);
    Result[] none = both("--http1.1", "-s", "-L", "--max-redirs", "0", server.url("/redirect/1"));
    assertThat(none[1].code()).isEqualTo(none[0].code()).isEqualTo(47);
    sameOutputAndCode(
        both("--http1.1", "-s", "-L", "--max-redirs", "3", server.url("/redirect/3")));
    sameOutputAndCode(
        both("--http1.1", "-s", "-L", "--max-redirs", "-1", server.url("/redirect/3")));
  }

  @Test
  void proxyForHttpSendsTheAbsoluteForm() throws Exception {
    int before = proxy.requests.get();
    Result[] r = both("-s", "-x", "127.0.0.1:" + proxy.port(), "http://origin.test/a/b?c=d");
    sameOutputAndCode(r);
    assertThat(r[1].out()).isEqualTo("proxy got: GET http://origin.test/a/b?c=d HTTP/1.1\n");
    assertThat(proxy.requests.get() - before).isEqualTo(2);
  }

  /**
   * {@code --http2} through a proxy: curl sends the h2c Upgrade in the absolute-form request, and a
   * proxy that passes it on gets HTTP/2 to the origin.
   */
  @Test
  void http2UpgradeGoesThroughTheProxy() throws Exception {
    String target = "http://relay.test:" + server.server.port() + "/a";
    int before = proxy.relayed.size();
    Result[] r = both("-s", "--http2", "-x", "127.0.0.1:" + proxy.port(), target);
    sameOutputAndCode(r);
    assertThat(r[1].out()).isEqualTo("path /a over HTTP/2");
    assertThat(proxy.relayed.subList(before, proxy.relayed.size()))
        .hasSize(2)
        .allSatisfy(
            head ->
                assertThat(head.toLowerCase(java.util.Locale.ROOT))
                    .startsWith("get " + target + " http/1.1\r\n")
                    .contains("\r\nupgrade: h2c\r\n", "\r\nhttp2-settings: ")
                    .contains("\r\nconnection: upgrade, http2-settings\r\n"));
    // Prior knowledge is not used through a proxy, by curl or by us: HTTP/1.1 in absolute form.
    Result[] prior = both("-s", "-x", "127.0.0.1:" + proxy.port(), target);
    sameOutputAndCode(prior);
    assertThat(prior[1].out()).isEqualTo("path /a over HTTP/1.1");
  }

  @Test
  void proxyForHttpsTunnels() throws Exception {
    int before = proxy.tunnels.get();
    String target = tlsServer.url("/a");
    Result[] r =
        both(
            "-s",
            "-x",
            "http://127.0.0.1:" + proxy.port(),
            "--cacert",
            cert.pem().toString(),
            target);
    sameOutputAndCode(r);
    assertThat(r[1].out()).isEqualTo("path /a over HTTP/2");
    assertThat(proxy.tunnels.get() - before).isEqualTo(2);
    Result[] refused = both("-s", "-x", "127.0.0.1:" + proxy.port(), "https://127.0.0.1:1/");
    assertThat(refused[1].code()).isEqualTo(refused[0].code()).isEqualTo(56);
  }

  @Test
  void compressed() throws Exception {
    for (String coding : new String[] {"/gzip", "/deflate"}) {
      Result[] r = both("-s", "--compressed", server.url(coding));
      sameOutputAndCode(r);
      assertThat(r[1].out()).startsWith("compressed text, " + coding.substring(1));
      sameOutputAndCode(
          both(
              "-s",
              "--compressed",
              "-o",
              "/dev/null",
              "-w",
              "%{size_download}",
              server.url(coding)));
      sameOutputAndCode(both("-s", server.url(coding))); // not asked for: not compressed
    }
  }

  @Test
  void cacert() throws Exception {
    String target = tlsServer.url("/a");
    sameOutputAndCode(both("-s", "--cacert", cert.pem().toString(), target));
    Result[] missing = both("-s", "--cacert", curlDir.resolve("missing.pem").toString(), target);
    assertThat(missing[1].code()).isEqualTo(missing[0].code()).isEqualTo(77);
    SelfSigned other = SelfSigned.create(curlDir);
    Result[] wrong = both("-s", "--cacert", other.pem().toString(), target);
    assertThat(wrong[1].code()).isEqualTo(wrong[0].code()).isEqualTo(60);
  }

  @Test
  void resolve() throws Exception {
    int port = server.server.port();
    Result[] r =
        both(
            "-s",
            "--resolve",
            "origin.test:" + port + ":127.0.0.1",
            "http://origin.test:" + port + "/authority");
    sameOutputAndCode(r);
    assertThat(r[1].out()).isEqualTo("GET origin.test:" + port + " /authority over HTTP/2\n");
  }

  @Test
  void writeOutNetworkVariables() throws Exception {
    sameOutputAndCode(
        both(
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{num_connects} %{remote_ip} %{remote_port} %{local_ip} %{size_upload}",
            "-d",
            "12345",
            server.url("/echo")));
    String times =
        "%{time_namelookup} %{time_connect} %{time_appconnect} %{time_pretransfer}"
            + " %{time_starttransfer} %{time_redirect} %{time_total} %{local_port}";
    String local = server.url("/a").replace("127.0.0.1", "localhost"); // a name to look up
    for (String target : new String[] {server.url("/a"), local, tlsServer.url("/a")}) {
      Result[] r = both("-s", "-k", "-o", "/dev/null", "-w", times, target);
      for (Result each : r) {
        assertThat(each.out()).matches("(\\d+\\.\\d{6} ){7}\\d+");
        double[] t = Stream.of(each.out().split(" ")).mapToDouble(Double::parseDouble).toArray();
        double lookup = t[0], connect = t[1], tls = t[2], pretransfer = t[3], first = t[4];
        assertThat(lookup).as(each.out()).isPositive().isLessThanOrEqualTo(connect);
        assertThat(pretransfer).as(each.out()).isGreaterThanOrEqualTo(Math.max(connect, tls));
        assertThat(first).as(each.out()).isGreaterThanOrEqualTo(pretransfer);
        assertThat(t[5]).as(each.out()).isZero(); // no redirect
        assertThat(t[6]).as(each.out()).isGreaterThanOrEqualTo(first);
        assertThat((int) t[7]).as(each.out()).isPositive().isNotEqualTo(server.server.port());
        if (target.startsWith("https")) assertThat(tls).as(each.out()).isGreaterThan(connect);
        else assertThat(tls).as(each.out()).isZero();
      }
    }
  }

  @Test
  void writeOutTimesAfterRedirects() throws Exception {
    String times = "%{time_pretransfer} %{time_starttransfer} %{time_redirect} %{time_total}";
    Result[] r =
        both("--http1.1", "-s", "-L", "-o", "/dev/null", "-w", times, server.url("/redirect/3"));
    for (Result each : r) {
      double[] t = Stream.of(each.out().split(" ")).mapToDouble(Double::parseDouble).toArray();
      assertThat(t[2]).as(each.out()).isPositive().isLessThanOrEqualTo(t[3]);
      assertThat(t[1]).as(each.out()).isPositive().isLessThanOrEqualTo(t[3]);
      // the hops' pretransfer times are added up, each from its own start
      assertThat(t[0]).as(each.out()).isPositive().isLessThan(t[1]);
    }
  }
}
