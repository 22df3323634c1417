package dev.h2mux.core.http1;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.io.PeekableInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BodyFramingTest {
  private static BodyFraming framing(String fields) throws IOException {
    String head = "POST / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n";
    Http1RequestHead request =
        Http1Parser.readRequestHead(
            new PeekableInputStream(new ByteArrayInputStream(head.getBytes(ISO_8859_1))), 4096);
    return BodyFraming.forRequest(request);
  }

  private static void rejected(String fields, int status) {
    assertThatThrownBy(() -> framing(fields))
        .isInstanceOfSatisfying(
            Http1Exception.class, e -> assertThat(e.status()).isEqualTo(status));
  }

  @Test
  void requestFraming() throws IOException {
    assertThat(framing("")).isEqualTo(BodyFraming.NONE);
    assertThat(framing("Content-Length: 12\r\n")).isEqualTo(BodyFraming.ofLength(12));
    assertThat(framing("Content-Length: 5\r\nContent-Length: 5\r\n"))
        .isEqualTo(BodyFraming.ofLength(5));
    assertThat(framing("Content-Length: 5, 5\r\n")).isEqualTo(BodyFraming.ofLength(5));
    assertThat(framing("Transfer-Encoding: chunked\r\n")).isEqualTo(BodyFraming.CHUNKED);
    assertThat(framing("Transfer-Encoding: Chunked\r\n")).isEqualTo(BodyFraming.CHUNKED);
    assertThat(framing("Transfer-Encoding: CHUNKED\r\n")).isEqualTo(BodyFraming.CHUNKED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n",
        "Transfer-Encoding: chunked, identity\r\n",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n",
        "Transfer-Encoding: chunked, chunked\r\n",
        "Transfer-Encoding: identity\r\n",
        "Transfer-Encoding: gzip\r\n",
        "Transfer-Encoding: \r\n",
        "Transfer-Encoding: chunked,\r\n",
        "Transfer-Encoding: xchunked\r\n",
        "Content-Length: 1, 2\r\n",
        "Content-Length: 1\r\nContent-Length: 2\r\n",
        "Content-Length: -1\r\n",
        "Content-Length: +1\r\n",
        "Content-Length: 0x10\r\n",
        "Content-Length: 1 2\r\n",
        "Content-Length: \r\n",
        "Content-Length: 99999999999999999999999\r\n",
      })
  void smugglingShapesAreRejectedWith400(String fields) {
    rejected(fields, 400);
  }

  @Test
  void unknownCodingBeforeChunkedIs501() {
    rejected("Transfer-Encoding: gzip, chunked\r\n", 501);
  }

  @Test
  void transferEncodingInHttp10IsRejected() throws IOException {
    String head = "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n";
    Http1RequestHead request =
        Http1Parser.readRequestHead(
            new PeekableInputStream(new ByteArrayInputStream(head.getBytes(ISO_8859_1))), 4096);
    assertThatThrownBy(() -> BodyFraming.forRequest(request)).isInstanceOf(Http1Exception.class);
  }

  @Test
  void responseFraming() throws Http1Exception {
    HttpFields cl = HttpFields.of("content-length", "10");
    assertThat(BodyFraming.forResponse("HEAD", 200, cl)).isEqualTo(BodyFraming.NONE);
    assertThat(BodyFraming.forResponse("GET", 204, cl)).isEqualTo(BodyFraming.NONE);
    assertThat(BodyFraming.forResponse("GET", 304, cl)).isEqualTo(BodyFraming.NONE);
    assertThat(BodyFraming.forResponse("GET", 101, cl)).isEqualTo(BodyFraming.NONE);
    assertThat(BodyFraming.forResponse("GET", 200, cl)).isEqualTo(BodyFraming.ofLength(10));
    assertThat(BodyFraming.forResponse("GET", 200, HttpFields.of()))
        .isEqualTo(BodyFraming.UNTIL_CLOSE);
    assertThat(
            BodyFraming.forResponse(
                "GET", 200, HttpFields.of("transfer-encoding", "gzip, chunked")))
        .isEqualTo(BodyFraming.CHUNKED);
    assertThat(BodyFraming.forResponse("GET", 200, HttpFields.of("transfer-encoding", "gzip")))
        .isEqualTo(BodyFraming.UNTIL_CLOSE);
    assertThatThrownBy(
            () -> BodyFraming.forResponse("GET", 200, HttpFields.of("content-length", "1, 2")))
        .isInstanceOf(Http1Exception.class);
  }

  @Test
  void untilCloseBodyReadsToTheEndWithoutClosingTheConnection() throws IOException {
    PeekableInputStream in =
        new PeekableInputStream(new ByteArrayInputStream("rest".getBytes(ISO_8859_1)));
    var body = BodyFraming.UNTIL_CLOSE.open(in, 1024, 1024);
    assertThat(new String(body.readAllBytes(), ISO_8859_1)).isEqualTo("rest");
    body.close();
    assertThat(in.read()).isEqualTo(-1);
  }
}
