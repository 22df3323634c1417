package dev.h2mux.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.client.cli.ConfigFile.Entry;
import org.junit.jupiter.api.Test;

class ConfigFileTest {
  private static Entry only(String line) throws UsageException {
    var entries = ConfigFile.parse("f", line);
    assertThat(entries).hasSize(1);
    return entries.get(0);
  }

  @Test
  void separatorsAfterADashlessName() throws Exception {
    assertThat(only("url = \"http://a/\"")).isEqualTo(new Entry("url", "http://a/", "f:1"));
    assertThat(only("url=http://a/")).isEqualTo(new Entry("url", "http://a/", "f:1"));
    assertThat(only("url: http://a/")).isEqualTo(new Entry("url", "http://a/", "f:1"));
    assertThat(only("\turl\thttp://a/  ")).isEqualTo(new Entry("url", "http://a/", "f:1"));
    assertThat(only("user a:b")).isEqualTo(new Entry("user", "a:b", "f:1"));
    assertThat(only("silent")).isEqualTo(new Entry("silent", null, "f:1"));
  }

  @Test
  void dashedNamesTakeNoSeparatorCharacters() throws Exception {
    // With dashes, '=' and ':' belong to the value.
    assertThat(only("--header X-A:1")).isEqualTo(new Entry("--header", "X-A:1", "f:1"));
    assertThat(only("-H =x")).isEqualTo(new Entry("-H", "=x", "f:1"));
    assertThat(only("-s")).isEqualTo(new Entry("-s", null, "f:1"));
  }

  @Test
  void quotedValuesAndEscapes() throws Exception {
    assertThat(only("w = \"a\\tb\\nc\\rd\\ve\\\\f\\\"g\\qh\"").value())
        .isEqualTo("a\tb\nc\rd\u000be\\f\"gqh");
    assertThat(only("header = \"X: two words\"").value()).isEqualTo("X: two words");
    assertThat(only("referer \"\"").value()).isEmpty();
  }

  @Test
  void commentsAndBlankLinesAreSkipped() throws Exception {
    var entries = ConfigFile.parse("f", "# one\n\n   # two\r\nsilent\r\n\n");
    assertThat(entries).containsExactly(new Entry("silent", null, "f:4"));
  }

  @Test
  void badLinesAreErrorsWithFileAndLine() {
    assertThatThrownBy(() -> ConfigFile.parse("f", "silent\nurl \"http://a/"))
        .isInstanceOf(UsageException.class)
        .hasMessage("f:2: the quoted value has no closing '\"'");
    assertThatThrownBy(() -> ConfigFile.parse("f", "header X-A: b"))
        .hasMessage(
            "f:1: unexpected text after the value of 'header': put a value with spaces in double"
                + " quotes");
    assertThatThrownBy(() -> ConfigFile.parse("f", "url \"http://a/\" trailing"))
        .hasMessageStartingWith("f:1: unexpected text after the value of 'url'");
  }
}
