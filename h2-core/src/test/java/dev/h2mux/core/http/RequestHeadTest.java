package dev.h2mux.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.HttpFields;
import org.junit.jupiter.api.Test;

/** The order of a request's pseudo-header fields, as it arrived. */
class RequestHeadTest {
  @Test
  void pseudoHeaderOrderIsKeptAsReceived() throws MalformedMessageException {
    RequestHead head =
        Http2Messages.request(
            HttpFields.of(
                ":path", "/x", ":method", "GET", ":authority", "a", ":scheme", "https", "b", "c"));
    assertThat(head.pseudoHeaderNames())
        .containsExactly(":path", ":method", ":authority", ":scheme");
    assertThat(head.headers().size()).isEqualTo(1);
  }

  @Test
  void withoutAuthorityThreePseudoHeadersAreRecorded() throws MalformedMessageException {
    RequestHead head =
        Http2Messages.request(
            HttpFields.of(":method", "GET", ":scheme", "http", ":path", "/", "host", "h"));
    assertThat(head.pseudoHeaderNames()).containsExactly(":method", ":scheme", ":path");
    assertThat(head.authority()).isEqualTo("h");
  }

  @Test
  void aHeadBuiltWithoutOrderHasNone() {
    RequestHead head = new RequestHead("GET", "http", "a", "/", HttpFields.empty(), -1);
    assertThat(head.pseudoHeaderNames()).isEmpty();
  }
}
