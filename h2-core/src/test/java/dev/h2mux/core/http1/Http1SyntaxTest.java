package dev.h2mux.core.http1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.HttpFields;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Http1SyntaxTest {
  /** RFC 9112 §9.3, row by row; an empty cell is a message without a Connection field. */
  @ParameterizedTest(name = "HTTP/1.{0} Connection: [{1}] persists: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "1 |                     | true",
        "1 | close               | false",
        "1 | Close               | false",
        "1 | keep-alive, close   | false",
        "1 | upgrade             | true",
        "1 | keep-alive          | true",
        "0 |                     | false",
        "0 | keep-alive          | true",
        "0 | Keep-Alive          | true",
        "0 | keep-alive, close   | false",
        "0 | close, keep-alive   | false",
        "0 | upgrade             | false",
      })
  void persistenceFollowsRfc9112Section9_3(int minor, String connection, boolean persists) {
    HttpFields fields = new HttpFields().add("host", "a");
    if (connection != null) fields.add("connection", connection);
    assertThat(Http1Syntax.isPersistent(minor, fields)).isEqualTo(persists);
  }

  @ParameterizedTest(name = "Connection fields {0} and {1}")
  @CsvSource({"keep-alive, close", "close, keep-alive"})
  void aCloseInAnyConnectionFieldEndsTheConnection(String first, String second) {
    HttpFields fields = HttpFields.of("connection", first, "connection", second);
    assertThat(Http1Syntax.isPersistent(0, fields)).isFalse();
    assertThat(Http1Syntax.isPersistent(1, fields)).isFalse();
  }
}
