package dev.h2mux.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.client.ConnectionMode;
import dev.h2mux.client.cli.CliOptions.DataPart;
import dev.h2mux.client.cli.CliOptions.FailMode;
import dev.h2mux.client.cli.CliOptions.HeaderArg;
import dev.h2mux.client.cli.CliOptions.OutputArg;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionParserTest {
  @TempDir Path dir;

  private static CliOptions parse(String... args) throws CliFailure {
    return OptionParser.parse(args, InputStream.nullInputStream());
  }

  private static void assertUsage(ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOf(UsageException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((CliFailure) e).code)
        .isEqualTo(2);
  }

  @Test
  void parsesCurlStyleOptions() throws Exception {
    CliOptions o =
        parse(
            "-XPUT",
            "-H",
            "X-A: 1",
            "--header=X-B:2",
            "-d",
            "@body.txt",
            "-o",
            "out.bin",
            "-ik",
            "--http1.1",
            "-Z",
            "--max-time",
            "2.5",
            "--connect-timeout",
            "0.25",
            "http://a/",
            "http://b/");
    assertThat(o.method()).isEqualTo("PUT");
    assertThat(o.headers()).containsExactly(new HeaderArg("X-A", "1"), new HeaderArg("X-B", "2"));
    assertThat(o.data()).containsExactly(new DataPart(null, Path.of("body.txt"), true));
    assertThat(o.outputs()).containsExactly(new OutputArg("out.bin"));
    assertThat(o.include()).isTrue();
    assertThat(o.insecure()).isTrue();
    assertThat(o.mode()).isEqualTo(ConnectionMode.HTTP_1_1);
    assertThat(o.parallel()).isTrue();
    assertThat(o.maxTime()).isEqualTo(Duration.ofMillis(2500));
    assertThat(o.connectTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(o.urls()).containsExactly("http://a/", "http://b/");
  }

  @Test
  void bundledLettersTakeTheirValueFromTheRestOrTheNextArgument() throws Exception {
    CliOptions o = parse("-sSfo", "file", "-Ivw%{http_code}", "http://x/");
    assertThat(o.silent()).isTrue();
    assertThat(o.showError()).isTrue();
    assertThat(o.fail()).isEqualTo(FailMode.FAIL);
    assertThat(o.outputs()).containsExactly(new OutputArg("file"));
    assertThat(o.head()).isTrue();
    assertThat(o.verbose()).isTrue();
    assertThat(o.writeOut()).isEqualTo("%{http_code}");
    assertThat(parse("-sofile", "http://x/").outputs()).containsExactly(new OutputArg("file"));
    assertThat(parse("-sS", "http://x/").showsErrors()).isTrue();
    assertThat(parse("-s", "http://x/").showsErrors()).isFalse();
  }

  @Test
  void longNamesMayBeAbbreviatedUnambiguously() throws Exception {
    assertThat(parse("--verb", "http://x/").verbose()).isTrue();
    assertThat(parse("--fail-w", "http://x/").fail()).isEqualTo(FailMode.WITH_BODY);
    assertUsage(() -> parse("--http", "http://x/"), "option --http: is ambiguous");
    assertUsage(() -> parse("--re", "x", "http://x/"), "is ambiguous");
  }

  @Test
  void methodFollowsCurl() throws Exception {
    assertThat(parse("-d", "a=b", "http://x/").effectiveMethod()).isEqualTo("POST");
    assertThat(parse("http://x/").effectiveMethod()).isEqualTo("GET");
    assertThat(parse("-I", "http://x/").effectiveMethod()).isEqualTo("HEAD");
    assertThat(parse("-I", "-X", "GET", "http://x/").effectiveMethod()).isEqualTo("GET");
    assertThat(parse("--http2", "http://x/").mode()).isEqualTo(ConnectionMode.UPGRADE);
  }

  @Test
  void headerFormsAndDataParts() throws Exception {
    CliOptions o =
        parse(
            "-H",
            "User-Agent:",
            "-H",
            "X-Empty;",
            "-H",
            "X-Colon: a:b",
            "-d",
            "a=1",
            "--data-raw",
            "@lit",
            "--data-binary",
            "@f",
            "http://x/");
    assertThat(o.headers())
        .containsExactly(
            new HeaderArg("User-Agent", null),
            new HeaderArg("X-Empty", ""),
            new HeaderArg("X-Colon", "a:b"));
    assertThat(o.data())
        .containsExactly(
            new DataPart("a=1", null, false),
            new DataPart("@lit", null, false),
            new DataPart(null, Path.of("f"), false));
  }

  @Test
  void outputsGoWithUrlsInOrder() throws Exception {
    CliOptions o = parse("http://a/x", "-O", "http://b/y", "-o", "f", "http://c/z");
    assertThat(o.output(0).remoteName()).isTrue();
    assertThat(o.output(1).file()).isEqualTo("f");
    assertThat(o.output(2)).isNull();
    assertThat(parse("--remote-name-all", "http://a/x", "http://b/y").output(1).remoteName())
        .isTrue();
  }

  @Test
  void refererWithAuto() throws Exception {
    CliOptions auto = parse("-e", ";auto", "http://x/");
    assertThat(auto.referer()).isNull();
    assertThat(auto.autoReferer()).isTrue();
    CliOptions both = parse("-e", "http://r/;auto", "http://x/");
    assertThat(both.referer()).isEqualTo("http://r/");
    assertThat(both.autoReferer()).isTrue();
    assertThat(parse("-e", "http://r/", "http://x/").autoReferer()).isFalse();
  }

  @Test
  void rejectsBadUsageAsCurlDoes() {
    assertUsage(() -> parse(), "no URL specified!");
    assertUsage(() -> parse("--bogus", "http://x/"), "option --bogus: is unknown");
    assertUsage(() -> parse("http://x/", "-H"), "option -H: requires parameter");
    assertUsage(() -> parse("-H", "nocolon", "http://x/"), "option -H: 'nocolon' is not");
    assertUsage(() -> parse("-H", "X Y: v", "http://x/"), "no valid field name");
    assertUsage(
        () -> parse("--max-time", "-1", "http://x/"), "option --max-time: expected a number");
    assertUsage(() -> parse("--connect-timeout", "abc", "http://x/"), "--connect-timeout");
    assertUsage(() -> parse("-q", "http://x/"), "option -q: is unknown");
    assertUsage(() -> parse("--silent=yes", "http://x/"), "option --silent: takes no value");
    assertUsage(() -> parse("-I", "-d", "x", "http://x/"), "POST (-d) and HEAD (-I)");
    assertUsage(() -> parse("-o", "a", "-o", "b", "http://x/"), "2 -o/-O options for 1 URLs");
    assertUsage(() -> parse("-d", "@", "http://x/"), "'@' needs a file name");
    assertUsage(() -> parse("-D", "", "http://x/"), "option -D: needs a file name");
    assertUsage(() -> parse("-f", "--fail-with-body", "http://x/"), "not both");
  }

  @Test
  void networkOptions() throws Exception {
    CliOptions o =
        parse(
            "-L",
            "--max-redirs",
            "7",
            "-x",
            "proxy.test:3128",
            "--compressed",
            "--cacert",
            "ca.pem",
            "--resolve",
            "a.test:443:127.0.0.1,[::1]",
            "--resolve",
            "b.test:80:::1",
            "https://a.test/");
    assertThat(o.location()).isTrue();
    assertThat(o.maxRedirs()).isEqualTo(7);
    assertThat(o.proxy()).isEqualTo(java.net.URI.create("http://proxy.test:3128"));
    assertThat(o.compressed()).isTrue();
    assertThat(o.cacert()).isEqualTo(Path.of("ca.pem"));
    assertThat(o.resolves())
        .containsExactly(
            new CliOptions.Resolve(
                "a.test",
                443,
                java.util.List.of(
                    java.net.InetAddress.getByName("127.0.0.1"),
                    java.net.InetAddress.getByName("::1"))),
            new CliOptions.Resolve(
                "b.test", 80, java.util.List.of(java.net.InetAddress.getByName("::1"))));
    assertThat(parse("http://x/").maxRedirs()).isEqualTo(50);
    assertThat(parse("--max-redirs", "-1", "http://x/").maxRedirs()).isEqualTo(-1);
  }

  @Test
  void badNetworkOptions() {
    assertUsage(() -> parse("--max-redirs", "many", "http://x/"), "option --max-redirs: expected");
    assertUsage(() -> parse("-x", "https://p/", "http://x/"), "only http:// proxies");
    assertUsage(() -> parse("-x", "http://", "http://x/"), "option -x:");
    for (String[] bad :
        new String[][] {
          {"a.test:80", "not host:port:address"},
          {"a.test:0:127.0.0.1", "'0' is not a port"},
          {"a.test:80:example.com", "'example.com' is not an IP address"}
        }) {
      // curl's exit code for an entry it can't parse is 49, not 2
      assertThatThrownBy(() -> parse("--resolve", bad[0], "http://x/"))
          .hasMessageStartingWith("Couldn't parse --resolve entry '" + bad[0] + "': " + bad[1])
          .extracting(e -> ((CliFailure) e).code)
          .isEqualTo(49);
    }
    assertUsage(() -> parse("--cacert", "", "http://x/"), "needs a file name");
  }

  @Test
  void zeroSecondsMeansNoLimit() throws Exception {
    assertThat(parse("-m", "0", "http://x/").maxTime()).isNull();
    assertThat(parse("-m", ".5", "http://x/").maxTime()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void configFileOptionsApplyInPlace() throws Exception {
    Path config = dir.resolve("curlrc");
    Files.writeString(
        config,
        """
        # a comment
          # an indented comment
        url = "http://from-config/a b"
        silent
        --show-error
        -o out.txt
        header: "X-A: with spaces"
        write-out = "%{http_code}\\t\\"done\\"\\n"
        max-time 3
        """);
    CliOptions o = parse("-v", "-K", config.toString(), "http://after/");
    assertThat(o.verbose()).isTrue();
    assertThat(o.urls()).containsExactly("http://from-config/a b", "http://after/");
    assertThat(o.silent()).isTrue();
    assertThat(o.showError()).isTrue();
    assertThat(o.outputs()).containsExactly(new OutputArg("out.txt"));
    assertThat(o.headers()).containsExactly(new HeaderArg("X-A", "with spaces"));
    assertThat(o.writeOut()).isEqualTo("%{http_code}\t\"done\"\n");
    assertThat(o.maxTime()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void configFromStandardInput() throws Exception {
    InputStream stdin =
        new ByteArrayInputStream("url http://stdin/\n".getBytes(StandardCharsets.UTF_8));
    assertThat(OptionParser.parse(new String[] {"-K", "-"}, stdin).urls())
        .containsExactly("http://stdin/");
  }

  @Test
  void configErrorsNameTheFileAndLine() throws Exception {
    Path bad = dir.resolve("bad.conf");
    Files.writeString(bad, "silent\nbogus-option\n");
    assertUsage(() -> parse("-K", bad.toString()), bad + ":2: option 'bogus-option': is unknown");
    Files.writeString(bad, "max-time abc\n");
    assertUsage(() -> parse("-K", bad.toString()), bad + ":1: option max-time: expected a number");
    Files.writeString(bad, "silent yes\n");
    assertUsage(() -> parse("-K", bad.toString()), bad + ":1: option silent: takes no value");
    Files.writeString(bad, "output\n");
    assertUsage(() -> parse("-K", bad.toString()), bad + ":1: option output: requires parameter");
    Path loop = dir.resolve("loop.conf");
    Files.writeString(loop, "config = \"" + loop + "\"\n");
    assertUsage(() -> parse("-K", loop.toString()), "config files nested more than 8");
  }

  @Test
  void unreadableFilesAreExitCode26() {
    String missing = dir.resolve("missing").toString();
    assertThatThrownBy(() -> parse("-K", missing, "http://x/"))
        .isNotInstanceOf(UsageException.class)
        .hasMessage("cannot read config file '" + missing + "': no such file")
        .extracting(e -> ((CliFailure) e).code)
        .isEqualTo(26);
    assertThatThrownBy(() -> parse("-w", "@" + missing, "http://x/"))
        .extracting(e -> ((CliFailure) e).code)
        .isEqualTo(26);
  }

  @Test
  void writeOutFromAFile() throws Exception {
    Path format = dir.resolve("format");
    Files.writeString(format, "%{http_code}\\n");
    assertThat(parse("-w", "@" + format, "http://x/").writeOut()).isEqualTo("%{http_code}\\n");
  }
}
