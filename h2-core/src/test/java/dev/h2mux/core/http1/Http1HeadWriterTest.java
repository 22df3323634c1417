package dev.h2mux.core.http1;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.io.PeekableInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class Http1HeadWriterTest {
  @Test
  void writesResponseHeadsThatParseBack() throws IOException {
    byte[] head =
        Http1HeadWriter.encodeResponseHead(
            200, null, HttpFields.of("Content-Type", "text/plain", "x-obs", "caf\u00e9"));
    assertThat(new String(head, ISO_8859_1))
        .isEqualTo("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nx-obs: caf\u00e9\r\n\r\n");
    Http1ResponseHead parsed =
        Http1Parser.readResponseHead(new PeekableInputStream(new ByteArrayInputStream(head)), 1024);
    assertThat(parsed.headers().get("x-obs")).isEqualTo("caf\u00e9");
  }

  @Test
  void writesRequestHeads() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Http1HeadWriter.writeRequestHead(out, "GET", "/x?y", HttpFields.of("host", "a"));
    assertThat(out.toString(ISO_8859_1)).isEqualTo("GET /x?y HTTP/1.1\r\nhost: a\r\n\r\n");
  }

  @Test
  void refusesAnythingThatCouldSplitAMessage() {
    assertThatThrownBy(
            () -> Http1HeadWriter.encodeResponseHead(200, null, HttpFields.of("x", "a\r\nb: c")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> Http1HeadWriter.encodeResponseHead(200, null, HttpFields.of("x", "a\nb")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> Http1HeadWriter.encodeResponseHead(200, null, HttpFields.of("x", "a\u0000")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> Http1HeadWriter.encodeResponseHead(200, null, HttpFields.of("x\r\ny", "a")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> Http1HeadWriter.encodeResponseHead(200, null, HttpFields.of("x y", "a")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Http1HeadWriter.encodeResponseHead(200, "OK\r\nX: y", HttpFields.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> Http1HeadWriter.encodeResponseHead(200, null, HttpFields.of("x", "\u0100")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Http1HeadWriter.encodeResponseHead(42, null, HttpFields.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                Http1HeadWriter.writeRequestHead(
                    new ByteArrayOutputStream(), "GET", "/a b", HttpFields.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                Http1HeadWriter.writeRequestHead(
                    new ByteArrayOutputStream(), "G\rT", "/", HttpFields.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
