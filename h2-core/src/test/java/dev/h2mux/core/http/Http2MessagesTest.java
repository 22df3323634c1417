package dev.h2mux.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.HttpFields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9113 §8 message rules. */
class Http2MessagesTest {
  private static HttpFields get(String... extra) {
    List<String> all =
        new ArrayList<>(
            List.of(
                ":method",
                "GET",
                ":scheme",
                "https",
                ":authority",
                "example.com",
                ":path",
                "/a?b=c"));
    all.addAll(Arrays.asList(extra));
    return HttpFields.of(all.toArray(String[]::new));
  }

  private static void assertMalformed(HttpFields block, String messagePart) {
    assertThatThrownBy(() -> Http2Messages.request(block))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining(messagePart);
  }

  private static void assertMalformedResponse(HttpFields block, String messagePart) {
    assertThatThrownBy(() -> Http2Messages.response(block))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining(messagePart);
  }

  @Test
  void validRequest() throws MalformedMessageException {
    RequestHead head = Http2Messages.request(get("accept", "*/*", "te", "trailers"));
    assertThat(head.method()).isEqualTo("GET");
    assertThat(head.scheme()).isEqualTo("https");
    assertThat(head.authority()).isEqualTo("example.com");
    assertThat(head.path()).isEqualTo("/a?b=c");
    assertThat(head.headers()).isEqualTo(HttpFields.of("accept", "*/*", "te", "trailers"));
    assertThat(head.headers().isFrozen()).isTrue();
    assertThat(head.contentLength()).isEqualTo(-1);
  }

  @Test
  void hostStandsInForAMissingAuthority() throws MalformedMessageException {
    HttpFields block =
        HttpFields.of(":method", "GET", ":scheme", "http", ":path", "/", "host", "h:8080");
    assertThat(Http2Messages.request(block).authority()).isEqualTo("h:8080");
    HttpFields neither = HttpFields.of(":method", "GET", ":scheme", "http", ":path", "/");
    assertThat(Http2Messages.request(neither).authority()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {":method", ":scheme", ":path"})
  void missingPseudoHeader(String missing) {
    HttpFields block = get();
    block.remove(missing);
    assertMalformed(block, missing);
  }

  @Test
  void emptyPath() {
    HttpFields block = get();
    block.set(":path", "");
    assertMalformed(block, ":path");
  }

  @ParameterizedTest
  @ValueSource(strings = {":method", ":scheme", ":authority", ":path"})
  void repeatedPseudoHeader(String name) {
    assertMalformed(get().add(name, "/y"), name + " repeated");
    HttpFields repeated = HttpFields.of(name, "/x");
    get().forEach(repeated::add);
    assertMalformed(repeated, name + " repeated");
  }

  @Test
  void pseudoHeaderAfterRegular() {
    HttpFields block =
        HttpFields.of(":method", "GET", "accept", "*/*", ":scheme", "https", ":path", "/");
    assertMalformed(block, "after a regular field");
  }

  @ParameterizedTest
  @ValueSource(strings = {":status", ":protocol", ":foo"})
  void unknownOrResponsePseudoHeaderInRequest(String name) {
    HttpFields block = HttpFields.of(name, "x");
    get().forEach(block::add);
    assertMalformed(block, "not allowed in a request");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"})
  void connectionSpecificFields(String name) {
    assertMalformed(get(name, "x"), "connection-specific");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "trailers, gzip", "Trailers", ""})
  void teOtherThanTrailers(String value) {
    assertMalformed(get("te", value), "te");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\u0000b", "a\rb", "a\nb", " lead", "trail\t"})
  void invalidFieldValues(String value) {
    assertMalformed(get("x-v", value), "x-v");
  }

  @Test
  void contentLength() throws MalformedMessageException {
    assertThat(Http2Messages.request(get("content-length", "42")).contentLength()).isEqualTo(42);
    assertThat(
            Http2Messages.request(get("content-length", "42", "content-length", "42"))
                .contentLength())
        .isEqualTo(42);
    assertThat(Http2Messages.request(get("content-length", "42, 42")).contentLength())
        .isEqualTo(42);
  }

  @ParameterizedTest
  @ValueSource(strings = {"42, 43", "-1", "", "4 2", "0x10", "1234567890123456789"})
  void invalidOrConflictingContentLength(String value) {
    assertMalformed(get("content-length", value), "content-length");
  }

  @Test
  void conflictingRepeatedContentLength() {
    assertMalformed(
        get("content-length", "1", "content-length", "2"), "conflicting content-length");
  }

  @Test
  void connectRequest() throws MalformedMessageException {
    RequestHead head =
        Http2Messages.request(HttpFields.of(":method", "CONNECT", ":authority", "proxy:443"));
    assertThat(head.method()).isEqualTo("CONNECT");
    assertThat(head.authority()).isEqualTo("proxy:443");
    assertThat(head.scheme()).isNull();
    assertThat(head.path()).isNull();
  }

  @Test
  void connectWithPathOrSchemeOrWithoutAuthority() {
    assertMalformed(
        HttpFields.of(":method", "CONNECT", ":authority", "p:1", ":path", "/"), "CONNECT");
    assertMalformed(
        HttpFields.of(":method", "CONNECT", ":authority", "p:1", ":scheme", "https"), "CONNECT");
    assertMalformed(HttpFields.of(":method", "CONNECT"), "CONNECT without :authority");
  }

  @Test
  void asteriskPathOnlyForOptions() throws MalformedMessageException {
    HttpFields options = HttpFields.of(":method", "OPTIONS", ":scheme", "https", ":path", "*");
    assertThat(Http2Messages.request(options).path()).isEqualTo("*");
    assertMalformed(
        HttpFields.of(":method", "GET", ":scheme", "https", ":path", "*"), "origin-form");
    assertMalformed(
        HttpFields.of(":method", "GET", ":scheme", "https", ":path", "a/b"), "origin-form");
  }

  @Test
  void nonHttpSchemeMayUseOtherPathForms() throws MalformedMessageException {
    HttpFields block = HttpFields.of(":method", "GET", ":scheme", "urn", ":path", "isbn:123");
    assertThat(Http2Messages.request(block).path()).isEqualTo("isbn:123");
  }

  @ParameterizedTest
  @ValueSource(strings = {"G ET", "GET/", "", "G\"T"})
  void methodMustBeAToken(String method) {
    HttpFields block = get();
    block.set(":method", method);
    assertThatThrownBy(() -> Http2Messages.request(block))
        .isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void validResponse() throws MalformedMessageException {
    ResponseHead head =
        Http2Messages.response(
            HttpFields.of(":status", "204", "server", "h2mux", "content-length", "0"));
    assertThat(head.status()).isEqualTo(204);
    assertThat(head.headers()).isEqualTo(HttpFields.of("server", "h2mux", "content-length", "0"));
    assertThat(head.contentLength()).isZero();
    assertThat(head.isInformational()).isFalse();
    assertThat(Http2Messages.response(HttpFields.of(":status", "103")).isInformational()).isTrue();
  }

  @Test
  void responseStatusRules() {
    assertMalformedResponse(HttpFields.of("server", "x"), ":status missing");
    assertMalformedResponse(HttpFields.of(":status", "200", ":status", "200"), "repeated");
    assertMalformedResponse(HttpFields.of(":status", "20"), "three digits");
    assertMalformedResponse(HttpFields.of(":status", "2000"), "three digits");
    assertMalformedResponse(HttpFields.of(":status", "2x0"), "three digits");
    assertMalformedResponse(HttpFields.of(":status", "099"), "below 100");
    assertMalformedResponse(
        HttpFields.of(":status", "200", ":path", "/"), "not allowed in a response");
    assertMalformedResponse(
        HttpFields.of("server", "x", ":status", "200"), "after a regular field");
    assertMalformedResponse(
        HttpFields.of(":status", "200", "connection", "close"), "connection-specific");
    assertMalformedResponse(
        HttpFields.of(":status", "200", "content-length", "1,2"), "content-length");
  }

  @Test
  void trailers() throws MalformedMessageException {
    HttpFields ok = HttpFields.of("x-checksum", "abc");
    assertThat(Http2Messages.trailers(ok)).isEqualTo(ok);
    assertThatThrownBy(() -> Http2Messages.trailers(HttpFields.of(":status", "200")))
        .isInstanceOf(MalformedMessageException.class);
    assertThatThrownBy(() -> Http2Messages.trailers(HttpFields.of("transfer-encoding", "chunked")))
        .isInstanceOf(MalformedMessageException.class);
  }
}
