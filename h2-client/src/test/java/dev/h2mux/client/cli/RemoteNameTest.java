package dev.h2mux.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class RemoteNameTest {
  private static String name(String url) throws CliFailure {
    return RemoteName.of(URI.create(url));
  }

  @Test
  void lastPathSegmentWithoutQueryOrFragment() throws Exception {
    assertThat(name("http://h/a/b/file.txt")).isEqualTo("file.txt");
    assertThat(name("http://h/file.txt?x=1&y=/z")).isEqualTo("file.txt");
    assertThat(name("http://h/dir/index.html#frag")).isEqualTo("index.html");
    assertThat(name("http://h/a/../b.bin")).isEqualTo("b.bin");
  }

  @Test
  void percentEscapesStayAsWrittenSoNoNameHoldsASlash() throws Exception {
    assertThat(name("http://h/%69ndex.html")).isEqualTo("%69ndex.html");
    assertThat(name("http://h/a%2Fb")).isEqualTo("a%2Fb");
  }

  @Test
  void aUrlWithoutAFileNameIsExitCode23() {
    for (String url : new String[] {"http://h", "http://h/", "http://h/dir/", "http://h/a/.."}) {
      assertThatThrownBy(() -> name(url))
          .as(url)
          .hasMessageStartingWith("Remote file name has no length")
          .extracting(e -> ((CliFailure) e).code)
          .isEqualTo(23);
    }
  }
}
