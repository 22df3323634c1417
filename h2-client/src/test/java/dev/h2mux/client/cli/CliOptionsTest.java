package dev.h2mux.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.client.ConnectionMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CliOptionsTest {
  @Test
  void parsesCurlStyleOptions() throws Exception {
    CliOptions o =
        CliOptions.parse(
            new String[] {
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
              "http://a/",
              "http://b/"
            });
    assertThat(o.method()).isEqualTo("PUT");
    assertThat(o.headers()).hasSize(2);
    assertThat(o.headers().get(1)).containsExactly("X-B", "2");
    assertThat(o.data()).isEqualTo("body.txt");
    assertThat(o.dataFromFile()).isTrue();
    assertThat(o.outputs()).containsExactly("out.bin");
    assertThat(o.include()).isTrue();
    assertThat(o.insecure()).isTrue();
    assertThat(o.mode()).isEqualTo(ConnectionMode.HTTP_1_1);
    assertThat(o.parallel()).isTrue();
    assertThat(o.maxTime()).isEqualTo(Duration.ofMillis(2500));
    assertThat(o.urls()).containsExactly("http://a/", "http://b/");
  }

  @Test
  void dataMeansPost() throws Exception {
    assertThat(CliOptions.parse(new String[] {"-d", "a=b", "http://x/"}).effectiveMethod())
        .isEqualTo("POST");
    assertThat(CliOptions.parse(new String[] {"http://x/"}).effectiveMethod()).isEqualTo("GET");
    assertThat(CliOptions.parse(new String[] {"--http2", "http://x/"}).mode())
        .isEqualTo(ConnectionMode.UPGRADE);
  }

  @Test
  void rejectsBadUsage() {
    assertThatThrownBy(() -> CliOptions.parse(new String[] {})).hasMessageContaining("no URL");
    assertThatThrownBy(() -> CliOptions.parse(new String[] {"--bogus", "http://x/"}))
        .hasMessageContaining("unknown option --bogus");
    assertThatThrownBy(() -> CliOptions.parse(new String[] {"http://x/", "-H"}))
        .hasMessageContaining("needs a value");
    assertThatThrownBy(() -> CliOptions.parse(new String[] {"-H", "nocolon", "http://x/"}))
        .hasMessageContaining("Name: value");
    assertThatThrownBy(() -> CliOptions.parse(new String[] {"--max-time", "-1", "http://x/"}))
        .hasMessageContaining("--max-time");
    assertThatThrownBy(() -> CliOptions.parse(new String[] {"-q", "http://x/"}))
        .hasMessageContaining("unknown option -q");
  }
}
