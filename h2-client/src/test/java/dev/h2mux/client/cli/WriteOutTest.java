package dev.h2mux.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.client.ExchangeInfo;
import dev.h2mux.client.Protocol;
import dev.h2mux.core.HttpFields;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WriteOutTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private String write(String format, TransferInfo t) {
    out.reset();
    WriteOut.write(
        format,
        t,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  private static TransferInfo done() {
    TransferInfo t = new TransferInfo(1, "http://h:8/p");
    t.method = "GET";
    t.status = 200;
    t.protocol = Protocol.HTTP_2;
    t.headers = HttpFields.of("content-type", "text/plain", "x-a", "1", "x-a", "2");
    t.sizeDownload = 1000;
    t.sizeHeader = 55;
    t.startNanos = 0;
    t.endNanos = 500_000_000;
    return t;
  }

  @Test
  void variables() {
    String text =
        write(
            "%{http_code} %{response_code} %{http_version} %{size_download} %{size_upload}"
                + " %{time_total} %{speed_download} %{url_effective} %{url} %{urlnum} %{method}"
                + " %{scheme} %{content_type} %{num_headers} %{exitcode} [%{errormsg}]"
                + " [%{filename_effective}] %{size_header}",
            done());
    assertThat(text)
        .isEqualTo(
            "200 200 2 1000 0 0.500000 2000 http://h:8/p http://h:8/p 1 GET HTTP text/plain 3 0 []"
                + " [] 55");
  }

  @Test
  void networkVariablesComeFromTheExchangeInfo() {
    TransferInfo t = done();
    t.exchange =
        new ExchangeInfo(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 8443),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 50123),
            1,
            2,
            Duration.ofMillis(1),
            Duration.ofMillis(2),
            Duration.ofMillis(3),
            Duration.ofMillis(4),
            Duration.ofMillis(5),
            Duration.ofMillis(6),
            Duration.ofMillis(7),
            0,
            1000);
    assertThat(
            write(
                "%{time_namelookup} %{time_connect} %{time_appconnect} %{time_pretransfer}"
                    + " %{time_starttransfer} %{time_redirect} %{remote_ip}:%{remote_port}"
                    + " %{local_ip}:%{local_port} %{num_connects}",
                t))
        .isEqualTo(
            "0.001000 0.002000 0.003000 0.004000 0.005000 0.006000 127.0.0.1:8443"
                + " 127.0.0.1:50123 1");
  }

  @Test
  void beforeAnyResponseTheCodeIsThreeZeros() {
    TransferInfo t = new TransferInfo(0, "http://h/");
    t.exitCode = 7;
    t.errorMessage = "Failed to connect";
    assertThat(write("%{http_code} %{http_version} %{exitcode} %{errormsg}", t))
        .isEqualTo("000 0 7 Failed to connect");
    assertThat(write("%{local_ip}|%{local_port}|%{time_namelookup}|%{time_redirect}", t))
        .isEqualTo("|0|0.000000|0.000000");
  }

  @Test
  void escapesAndLiteralPercents() {
    assertThat(write("a\\nb\\rc\\td\\\\e\\qf%%g%q%", done())).isEqualTo("a\nb\rc\td\\\\e\\qf%g%q%");
    assertThat(write("tail %{", done())).isEqualTo("tail %{");
  }

  @Test
  void unknownVariablesPrintNothingAndWarn() {
    assertThat(write("[%{bogus}]", done())).isEqualTo("[]");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("h2-client: unknown --write-out variable: 'bogus'" + System.lineSeparator());
  }

  @Test
  void headerValues() {
    assertThat(write("%header{content-type}|%header{X-A}|%header{none}", done()))
        .isEqualTo("text/plain|1, 2|");
  }

  @Test
  void stderrAndStdoutSwitchTheTarget() {
    assertThat(write("a%{stderr}b%{stdout}c", done())).isEqualTo("ac");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("b");
  }

  @Test
  void jsonHasEveryVariable() {
    String json = write("%{json}", done());
    assertThat(json)
        .startsWith("{\"content_type\":\"text/plain\",\"errormsg\":null,\"exitcode\":0,")
        .contains("\"http_code\":200,\"http_version\":\"2\",")
        .contains("\"time_total\":0.500000,")
        .endsWith("\"url_effective\":\"http://h:8/p\",\"urlnum\":1}");
  }
}
