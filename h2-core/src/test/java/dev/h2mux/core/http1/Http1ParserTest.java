package dev.h2mux.core.http1;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.io.PeekableInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Http1ParserTest {
  private static PeekableInputStream input(String s) {
    return new PeekableInputStream(new ByteArrayInputStream(s.getBytes(ISO_8859_1)));
  }

  private static Http1RequestHead request(String s) throws IOException {
    return Http1Parser.readRequestHead(input(s), 16 * 1024);
  }

  @Test
  void parsesRequestAndLeavesTheBodyUnread() throws IOException {
    PeekableInputStream in =
        input(
            "POST /a?b=c HTTP/1.1\r\nHost: example.com\r\nX-Test:  two words \t\r\n"
                + "Content-Length: 3\r\n\r\nabcGET");
    Http1RequestHead head = Http1Parser.readRequestHead(in, 1024);
    assertThat(head.method()).isEqualTo("POST");
    assertThat(head.target()).isEqualTo("/a?b=c");
    assertThat(head.version()).isEqualTo("HTTP/1.1");
    assertThat(head.headers().get("x-test")).isEqualTo("two words");
    assertThat(head.headers().isFrozen()).isTrue();
    assertThat(new String(in.readAllBytes(), ISO_8859_1)).isEqualTo("abcGET");
  }

  @Test
  void toleratesLeadingEmptyLinesAndHttp10WithoutHost() throws IOException {
    Http1RequestHead head = request("\r\nGET / HTTP/1.0\r\n\r\n");
    assertThat(head.minorVersion()).isZero();
    assertThat(head.headers().isEmpty()).isTrue();
  }

  @Test
  void cleanEndOfStreamBeforeAnyByteIsNull() throws IOException {
    assertThat(request("")).isNull();
  }

  @Test
  void endOfStreamWithinTheHeadIsEof() {
    assertThatThrownBy(() -> request("GET / HTTP/1.1\r\nHost: a\r\n"))
        .isInstanceOf(EOFException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", // obs-fold
        "GET / HTTP/1.1\r\nHost : a\r\n\r\n", // whitespace before colon
        "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nBad[Name]: b\r\n\r\n", // invalid token chars
        "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", // bare CR
        "GET / HTTP/1.1\nHost: a\n\n", // bare LF
        "GET / HTTP/1.1\r\nHost: a\r\nX: a\u0000b\r\n\r\n", // NUL
        "GET / HTTP/1.1\r\n\r\n", // missing Host
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", // two Hosts
        "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\n: empty-name\r\n\r\n",
        "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", // double space
        "GET / HTTP/1.1 \r\nHost: a\r\n\r\n",
        "G(T / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / http/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1x\r\nHost: a\r\n\r\n",
        "GET /\r\n\r\n",
      })
  void rejectsMalformedHeadsWith400(String head) {
    assertThatThrownBy(() -> request(head))
        .isInstanceOfSatisfying(Http1Exception.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void rejectsUnsupportedVersionWith505() {
    assertThatThrownBy(() -> request("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"))
        .isInstanceOfSatisfying(Http1Exception.class, e -> assertThat(e.status()).isEqualTo(505));
  }

  @Test
  void boundsTheHeadSize() {
    String big = "GET / HTTP/1.1\r\nHost: a\r\nX: " + "x".repeat(2000) + "\r\n\r\n";
    assertThatThrownBy(() -> Http1Parser.readRequestHead(input(big), 1000))
        .isInstanceOfSatisfying(
            HeadTooLargeException.class, e -> assertThat(e.status()).isEqualTo(431));
    // an endless line is cut off at the limit too, without reading further: a method that long
    // is one we don't implement (RFC 9112 §3)
    assertThatThrownBy(() -> Http1Parser.readRequestHead(input("G".repeat(5000)), 1000))
        .isInstanceOfSatisfying(Http1Exception.class, e -> assertThat(e.status()).isEqualTo(501));
  }

  @Test
  void aRequestTargetPastTheLimitIs414NotThe431OfLargeFields() {
    String longTarget = "GET /" + "a".repeat(2000) + " HTTP/1.1\r\nHost: a\r\n\r\n";
    assertThatThrownBy(() -> Http1Parser.readRequestHead(input(longTarget), 1000))
        .isInstanceOfSatisfying(Http1Exception.class, e -> assertThat(e.status()).isEqualTo(414));
    // the target fits, the fields push the head past the limit
    String longField = "GET /" + "a".repeat(900) + " HTTP/1.1\r\nHost: a\r\nX: " + "x".repeat(200);
    assertThatThrownBy(() -> Http1Parser.readRequestHead(input(longField + "\r\n\r\n"), 1000))
        .isInstanceOfSatisfying(
            HeadTooLargeException.class, e -> assertThat(e.status()).isEqualTo(431));
  }

  @Test
  void parsesStatusLines() throws IOException {
    Http1ResponseHead head =
        Http1Parser.readResponseHead(
            input("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"), 1024);
    assertThat(head.status()).isEqualTo(404);
    assertThat(head.reason()).isEqualTo("Not Found");
    assertThat(head.headers().get("content-length")).isEqualTo("0");
    assertThat(Http1Parser.readResponseHead(input("HTTP/1.0 200\r\n\r\n"), 1024).reason())
        .isEmpty();
    assertThat(Http1Parser.readResponseHead(input("HTTP/1.1 204 \r\n\r\n"), 1024).status())
        .isEqualTo(204);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 abc OK\r\n\r\n",
        "HTTP/1.1 099 x\r\n\r\n",
        "ICY 200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nA : b\r\n\r\n"
      })
  void rejectsMalformedStatusLines(String head) {
    assertThatThrownBy(() -> Http1Parser.readResponseHead(input(head), 1024))
        .isInstanceOf(Http1Exception.class);
  }

  @Test
  void peekDoesNotConsume() throws IOException {
    PeekableInputStream in = input("PRI * HTTP/2.0");
    assertThat(in.peek(0)).isEqualTo('P');
    assertThat(in.peek(13)).isEqualTo('0');
    assertThat(in.peek(14)).isEqualTo(-1);
    assertThat(in.buffered()).isEqualTo(14);
    assertThat(new String(in.readAllBytes(), ISO_8859_1)).isEqualTo("PRI * HTTP/2.0");
    assertThat(in.awaitData()).isFalse();
  }
}
