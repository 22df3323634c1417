package dev.h2mux.interop;

import static java.nio.file.StandardOpenOption.APPEND;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The tiny smoke of the benchmark harness ({@code h2-interop-tests/bench}) that CI runs: its
 * scripts parse, the scenarios ask each server for what docs/BENCHMARKS.md says, the latency
 * percentiles come out of an h2load log, and the report turns measurements into the medians,
 * ratios, issue-14 targets (median and min–max over rounds) and chart that docs/BENCHMARKS.md
 * reads. No benchmark runs here; they are never timed assertions.
 */
class BenchHarnessSmokeTest {
  private static final Path BENCH = Path.of("bench").toAbsolutePath();

  @TempDir Path dir;

  @Test
  void scriptsParse() throws Exception {
    Path bash = ExternalTool.require("bash", "bash");
    for (String script : List.of("run.sh", "profile.sh", "scenarios.sh")) {
      Processes.Result result =
          Processes.run(
              dir,
              Duration.ofSeconds(30),
              List.of(bash.toString(), "-n", BENCH.resolve(script).toString()));
      assertThat(result.exitCode()).as(script + ": " + result.stderr()).isZero();
    }
  }

  /**
   * h2mux's {@code /} is its demo's index page, so the small-response scenarios ask it for {@code
   * /bytes/12} (12 bytes, as the other servers' {@code /}); the echoes and the 1 MiB download ask
   * every server the same.
   */
  @Test
  void scenariosAskH2muxForTheSmallResponse() throws Exception {
    Path bash = ExternalTool.require("bash", "bash");
    String script =
        ". \"$1\"; for s in \"${H2LOAD_SCENARIOS[@]}\"; do for p in h2mux nghttpd; do"
            + " h2load_args \"$s\" \"$p\" http://127.0.0.1:1 7 body.bin"
            + " && echo \"$s $p ${H2LOAD_ARGS[*]}\"; done; done";
    Processes.Result result =
        Processes.run(
            dir,
            Duration.ofSeconds(30),
            List.of(
                bash.toString(), "-c", script, "bash", BENCH.resolve("scenarios.sh").toString()));
    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(result.stdout().lines())
        .contains(
            "s1_get_c1_m100 h2mux -n 7 -c 1 -m 100 http://127.0.0.1:1/bytes/12",
            "s1_get_c1_m100 nghttpd -n 7 -c 1 -m 100 http://127.0.0.1:1/",
            "s2_get_c16_m16 h2mux -n 7 -c 16 -m 16 http://127.0.0.1:1/bytes/12",
            "s6_h1_get_c16 h2mux --h1 -n 7 -c 16 -m 1 http://127.0.0.1:1/bytes/12",
            "s7_echo16k_c1_m100 h2mux -d body.bin -n 7 -c 1 -m 100 http://127.0.0.1:1/echo",
            "s7_echo16k_c1_m100 nghttpd -d body.bin -n 7 -c 1 -m 100 http://127.0.0.1:1/echo",
            "s8_latency_c1_m10 h2mux -n 7 -c 1 -m 10 http://127.0.0.1:1/bytes/12",
            "s8_latency_c1_m10 nghttpd -n 7 -c 1 -m 10 http://127.0.0.1:1/",
            "s3_1MiB_c1_m10 h2mux -n 7 -c 1 -m 10 http://127.0.0.1:1/bytes/1048576")
        .hasSize(14);
  }

  /**
   * Nearest-rank percentiles over every row of h2load's --log-file; a log with a non-2xx answer
   * (h2o's 405 to a POST without mruby, say) or with fewer rows than requests gives none.
   */
  @Test
  void latencyPercentilesFromH2loadLog() throws Exception {
    Path python = ExternalTool.require("python3", "python3");
    StringBuilder rows = new StringBuilder();
    for (int i = 1000; i >= 1; i--) { // out of order, as h2load writes them with several threads
      rows.append(1_700_000_000_000_000L + i).append("\t200\t").append(i).append('\n');
    }
    Path log = dir.resolve("latency.log");
    Files.writeString(log, rows, StandardCharsets.US_ASCII);

    Processes.Result ok = latency(python, log, "1000");
    assertThat(ok.exitCode()).as(ok.describe()).isZero();
    assertThat(ok.stdout().strip()).isEqualTo("500 990 999");

    Processes.Result tooFew = latency(python, log, "1001");
    assertThat(tooFew.exitCode()).as(tooFew.describe()).isEqualTo(1);
    assertThat(tooFew.stdout()).isEmpty();

    Files.writeString(log, "1700000000000001\t405\t50\n", StandardCharsets.US_ASCII, APPEND);
    Processes.Result notOk = latency(python, log, "1001");
    assertThat(notOk.exitCode()).as(notOk.describe()).isEqualTo(1);
    assertThat(notOk.stderr()).contains("status 405");
  }

  private Processes.Result latency(Path python, Path log, String rows) throws Exception {
    return Processes.run(
        dir,
        Duration.ofSeconds(30),
        List.of(python.toString(), BENCH.resolve("latency.py").toString(), log.toString(), rows));
  }

  /**
   * Three rounds with a failed one: medians skip NA rows, ratios are h2mux over the peer,
   * lower-is-better rows (CPU time, latency) keep their direction, client rows get their own table,
   * and each issue-14 target gets the ratio of the medians, the min–max of the per-round ratios and
   * how many rounds met it; a target whose peer was not measured is N/A, never met.
   */
  @Test
  void reportComputesMediansRatiosTargetsAndChart() throws Exception {
    Path python = ExternalTool.require("python3", "python3");
    Path results = dir.resolve("results.csv");
    Files.writeString(
        results,
        """
        scenario,peer,round,value,unit
        s1_get_c1_m100,h2mux,1,300,req/s
        s1_get_c1_m100,h2mux,2,100,req/s
        s1_get_c1_m100,h2mux,3,200,req/s
        s1_get_c1_m100,jetty,1,100,req/s
        s1_get_c1_m100,jetty,2,NA,-
        s1_get_c1_m100,jetty,3,50,req/s
        s1_get_c1_m100,h2o,1,250,req/s
        s1_get_c1_m100,h2o,2,200,req/s
        s1_get_c1_m100,h2o,3,100,req/s
        s1_get_c1_m100_cpu,h2mux,1,5.0,us/req
        s1_get_c1_m100_cpu,jetty,1,10.0,us/req
        s2_get_c16_m16_cpu,h2mux,1,1.2,us/req
        s2_get_c16_m16_cpu,h2mux,2,1.8,us/req
        s2_get_c16_m16_cpu,h2mux,3,1.4,us/req
        s7_echo16k_c1_m100,h2mux,1,100,req/s
        s7_echo16k_c1_m100,h2o,-,NA,req/s
        s8_latency_c1_m10_p99,h2mux,1,100,us
        s8_latency_c1_m10_p99,h2mux,2,300,us
        s8_latency_c1_m10_p99,netty41,1,120,us
        s8_latency_c1_m10_p99,netty41,2,150,us
        s8_latency_c1_m10_p999,h2mux,1,150,us
        s8_latency_c1_m10_p999,h2mux,2,900,us
        s5_peak_rss_suite,h2mux,all,200,MiB
        s5_peak_rss_suite,netty41,all,420,MiB
        client_download_MBps@nghttpd,h2mux,1,900,MB/s
        client_download_MBps@nghttpd,curl,1,1000,MB/s
        """,
        StandardCharsets.UTF_8);
    Path meta = dir.resolve("meta.txt");
    Files.writeString(
        meta,
        "date=2026-01-01T00:00Z\nnproc=2\ncpu=test cpu\nversion_netty41=4.1.141.Final\n",
        StandardCharsets.UTF_8);
    Path out = dir.resolve("out");

    Processes.Result result =
        Processes.run(
            dir,
            Duration.ofSeconds(60),
            List.of(
                python.toString(),
                BENCH.resolve("report.py").toString(),
                "--meta",
                meta.toString(),
                "--results",
                results.toString(),
                "--out",
                out.toString()));
    assertThat(result.exitCode()).as(result.stderr()).isZero();

    List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
    assertThat(summary)
        .contains(
            "s1_get_c1_m100,h2mux,200.0,req/s,3,1.000",
            "s1_get_c1_m100,jetty,75.0,req/s,2,2.667",
            "s1_get_c1_m100_cpu,jetty,10.0,us/req,1,0.500",
            "s8_latency_c1_m10_p99,netty41,135.0,us,2,1.481",
            "s7_echo16k_c1_m100,h2o,NA,req/s,0,NA",
            "client_download_MBps@nghttpd,curl,1000.0,MB/s,1,0.900");
    assertThat(summary)
        .filteredOn(line -> line.startsWith("#"))
        .anyMatch(l -> l.contains("test cpu"))
        .anyMatch(l -> l.contains("netty41 4.1.141.Final"));

    List<String> targets = Files.readAllLines(out.resolve("targets.csv"));
    assertThat(targets)
        .contains(
            "target,ratio,median,min,max,rounds,rounds_met,goal,bound,met",
            "\"1. GET small, 1 conn × 100 streams: ≥ 1.0× h2o\",h2mux / h2o,"
                + "1.000,0.500,2.000,3,2,>=,1,yes",
            "2c. server CPU per request in scenario 2: ≤ 1.5 µs,h2mux,"
                + "1.400,1.200,1.800,3,2,<=,1.5,yes",
            "8. latency 1 conn × 10 streams: p99 ≤ Netty 4.1's,h2mux / netty41,"
                + "1.481,0.833,2.000,2,1,<=,1,no",
            "8. latency 1 conn × 10 streams: p99.9 ≤ 2× p99,p99.9 / p99,"
                + "2.625,1.500,3.000,2,1,<=,2,no",
            "5c. peak RSS after the suite: ≤ 0.5× Netty 4.1's,h2mux / netty41,"
                + "0.476,0.476,0.476,1,1,<=,0.5,yes",
            "\"7. POST /echo 16 KiB, 1 conn × 100 streams: ≥ 1.0× h2o\",h2mux / h2o,"
                + "NA,NA,NA,0,0,>=,1,NA",
            "\"C2. client, 1 GiB download ← nghttpd: ≥ 1.0× curl\",h2mux / curl,"
                + "0.900,0.900,0.900,1,0,>=,1,no");

    String markdown = Files.readString(out.resolve("summary.md"));
    assertThat(markdown)
        .contains("| 1. GET / small page, 1 conn x 100 streams | req/s | higher | 200.0 | 75.0 |")
        .contains("| 1c. server CPU per request, scenario 1 | us/req | lower | 5.00 | 10.0 |")
        .contains("| C2. client: 1 GiB download <- nghttpd | MB/s | higher | 900.0 |")
        .contains(
            "| 1. GET small, 1 conn × 100 streams: ≥ 1.0× h2o | h2mux / h2o | 1.00× | 0.50–2.00×"
                + " | 2 of 3 | yes |")
        .contains(
            "| 2c. server CPU per request in scenario 2: ≤ 1.5 µs | h2mux | 1.40 us/req"
                + " | 1.20–1.80 us/req | 2 of 3 | yes |")
        .contains(
            "| 7. POST /echo 16 KiB, 1 conn × 100 streams: ≥ 1.0× h2o | h2mux / h2o | N/A | — | —"
                + " | N/A: no h2o s7_echo16k_c1_m100 |");
    // The same report goes to standard output.
    assertThat(new String(Files.readAllBytes(result.stdoutFile()), StandardCharsets.UTF_8))
        .contains("| target (issue 14) |", "| 8. latency 1 conn × 10 streams: p99.9 ≤ 2× p99 |");

    Document svg =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(out.resolve("results.svg").toFile());
    assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
    assertThat(svg.getDocumentElement().getTextContent())
        .contains(
            "1. GET / small page",
            "1c. server CPU per",
            "8. latency p99,",
            "5c. peak RSS after",
            "C2. client: 1 GiB");
  }
}
