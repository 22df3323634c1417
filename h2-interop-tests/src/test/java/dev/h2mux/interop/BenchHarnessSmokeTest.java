package dev.h2mux.interop;

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
 * scripts parse, and its report turns measurements into the medians, ratios and chart that
 * docs/BENCHMARKS.md reads. No benchmark runs here; they are never timed assertions.
 */
class BenchHarnessSmokeTest {
  private static final Path BENCH = Path.of("bench").toAbsolutePath();

  @TempDir Path dir;

  @Test
  void scriptsParse() throws Exception {
    Path bash = ExternalTool.require("bash", "bash");
    for (String script : List.of("run.sh", "profile.sh")) {
      Processes.Result result =
          Processes.run(
              dir,
              Duration.ofSeconds(30),
              List.of(bash.toString(), "-n", BENCH.resolve(script).toString()));
      assertThat(result.exitCode()).as(script + ": " + result.stderr()).isZero();
    }
  }

  /**
   * Three rounds with a failed one: medians skip NA rows, ratios are h2mux over the peer,
   * lower-is-better rows (CPU time) keep their direction, client rows get their own table.
   */
  @Test
  void reportComputesMediansRatiosAndChart() throws Exception {
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
        s1_get_c1_m100_cpu,h2mux,1,5.0,us/req
        s1_get_c1_m100_cpu,jetty,1,10.0,us/req
        client_download_MBps@nghttpd,h2mux,1,900,MB/s
        client_download_MBps@nghttpd,curl,1,1000,MB/s
        """,
        StandardCharsets.UTF_8);
    Path meta = dir.resolve("meta.txt");
    Files.writeString(
        meta, "date=2026-01-01T00:00Z\nnproc=2\ncpu=test cpu\n", StandardCharsets.UTF_8);
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
            "client_download_MBps@nghttpd,curl,1000.0,MB/s,1,0.900");
    assertThat(summary)
        .filteredOn(line -> line.startsWith("#"))
        .anyMatch(l -> l.contains("test cpu"));

    String markdown = Files.readString(out.resolve("summary.md"));
    assertThat(markdown)
        .contains("| 1. GET / small page, 1 conn x 100 streams | req/s | higher | 200.0 | 75.0 |")
        .contains("| 1c. server CPU per request, scenario 1 | us/req | lower | 5.00 | 10.0 |")
        .contains("| C2. client: 1 GiB download <- nghttpd | MB/s | higher | 900.0 |");

    Document svg =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(out.resolve("results.svg").toFile());
    assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
    assertThat(svg.getDocumentElement().getTextContent())
        .contains("1. GET / small page", "1c. server CPU per", "C2. client: 1 GiB");
  }
}
