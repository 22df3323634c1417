package dev.h2mux.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.HttpFields;
import org.junit.jupiter.api.Test;

/** RFC 9113 §8.2.2: what HTTP/2 does not carry, in one place. */
class ConnectionFieldsTest {

  @Test
  void theFiveFieldsAreConnectionSpecific() {
    for (String name :
        new String[] {
          "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"
        }) {
      assertThat(ConnectionFields.isConnectionSpecific(name)).as(name).isTrue();
    }
    assertThat(ConnectionFields.isConnectionSpecific("te")).isFalse();
    assertThat(ConnectionFields.isConnectionSpecific("content-length")).isFalse();
    assertThat(ConnectionFields.isAllowedTe("trailers")).isTrue();
    assertThat(ConnectionFields.isAllowedTe("gzip")).isFalse();
  }

  @Test
  void copyDropsConnectionSpecificFieldsAndThoseConnectionNames() {
    HttpFields from =
        HttpFields.of(
            "host", "example.com",
            "connection", "keep-alive, X-Hop",
            "keep-alive", "timeout=5",
            "x-hop", "dropped",
            "transfer-encoding", "chunked",
            "upgrade", "h2c",
            "proxy-connection", "keep-alive",
            "x-end-to-end", "kept",
            "te", "deflate, trailers");
    HttpFields to = new HttpFields();
    ConnectionFields.copyForHttp2(from, to);
    assertThat(to)
        .isEqualTo(HttpFields.of("host", "example.com", "x-end-to-end", "kept", "te", "trailers"));
  }

  @Test
  void teWithoutTrailersIsDropped() {
    HttpFields to = new HttpFields();
    ConnectionFields.copyForHttp2(HttpFields.of("te", "gzip", "accept", "*/*"), to);
    assertThat(to).isEqualTo(HttpFields.of("accept", "*/*"));
  }

  @Test
  void fieldsWithNothingToDropAreAppendedInOrder() {
    HttpFields to = HttpFields.of(":status", "200");
    ConnectionFields.copyForHttp2(
        HttpFields.of("content-type", "text/plain", "x-a", "1", "x-a", "2"), to);
    assertThat(to)
        .isEqualTo(
            HttpFields.of(":status", "200", "content-type", "text/plain", "x-a", "1", "x-a", "2"));
  }

  @Test
  void addAllRefusesFrozenFields() {
    HttpFields frozen = HttpFields.of("a", "1").freeze();
    assertThatThrownBy(() -> frozen.addAll(HttpFields.of("b", "2")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(frozen).isEqualTo(HttpFields.of("a", "1"));
  }
}
