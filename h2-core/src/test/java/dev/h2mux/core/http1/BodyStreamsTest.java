package dev.h2mux.core.http1;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.io.PeekableInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BodyStreamsTest {
  private static PeekableInputStream input(String s) {
    return new PeekableInputStream(new ByteArrayInputStream(s.getBytes(ISO_8859_1)));
  }

  private static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), ISO_8859_1);
  }

  @Test
  void chunkedBodyWithExtensionsAndTrailers() throws IOException {
    PeekableInputStream in =
        input(
            "5;name=value\r\nhello\r\n1 ; x\r\n \r\n6\r\nworld!\r\n0\r\n"
                + "X-Checksum: abc\r\nContent-Length: 99\r\n\r\nNEXT");
    ChunkedInputStream body = new ChunkedInputStream(in, 256, 1024);
    assertThat(body.trailers().isEmpty()).isTrue();
    assertThat(readAll(body)).isEqualTo("hello world!");
    assertThat(body.isComplete()).isTrue();
    assertThat(body.trailers().get("x-checksum")).isEqualTo("abc");
    assertThat(body.trailers().contains("content-length")).isFalse();
    assertThat(readAll(in)).isEqualTo("NEXT");
  }

  @Test
  void chunkSizesAreCaseInsensitiveHex() throws IOException {
    String data = "x".repeat(0xaB);
    assertThat(readAll(new ChunkedInputStream(input("aB\r\n" + data + "\r\n0\r\n\r\n"), 64, 64)))
        .isEqualTo(data);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "fffffffffffffffff\r\n", // overflow
        "10000000000000000\r\n",
        "-1\r\n",
        "\r\n",
        "+5\r\nhello\r\n0\r\n\r\n",
        "0x5\r\nhello\r\n0\r\n\r\n",
        "5 x\r\nhello\r\n0\r\n\r\n",
        "5\r\nhelloXX0\r\n\r\n", // no CRLF after data
        "5\nhello\r\n0\r\n\r\n", // bare LF
        "5\r\nhello\r\n0\r\nX : y\r\n\r\n", // bad trailer
      })
  void malformedChunkedBodiesAreRejected(String body) {
    assertThatThrownBy(() -> readAll(new ChunkedInputStream(input(body), 64, 256)))
        .isInstanceOf(Http1Exception.class);
  }

  @Test
  void chunkLineAndTrailersAreBounded() {
    String longExtension = "5;" + "e".repeat(500) + "\r\nhello\r\n0\r\n\r\n";
    assertThatThrownBy(() -> readAll(new ChunkedInputStream(input(longExtension), 128, 256)))
        .isInstanceOf(Http1Exception.class);
    String bigTrailers = "0\r\nX: " + "t".repeat(500) + "\r\n\r\n";
    assertThatThrownBy(() -> readAll(new ChunkedInputStream(input(bigTrailers), 128, 256)))
        .isInstanceOf(HeadTooLargeException.class);
  }

  @Test
  void truncatedChunkedBodyIsEof() {
    assertThatThrownBy(() -> readAll(new ChunkedInputStream(input("5\r\nhel"), 64, 64)))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void chunkedRoundTripWithTrailers() throws IOException {
    byte[] data = new byte[100_000];
    new Random(1).nextBytes(data);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    ChunkedOutputStream out = new ChunkedOutputStream(wire, 1000);
    out.write(data, 0, 10);
    out.write(data[10]);
    out.flush();
    out.write(data, 11, data.length - 11);
    out.finish(HttpFields.of("x-sum", "42"));
    assertThat(out.isFinished()).isTrue();
    assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class);

    PeekableInputStream in = new PeekableInputStream(new ByteArrayInputStream(wire.toByteArray()));
    ChunkedInputStream body = new ChunkedInputStream(in, 64, 256);
    assertThat(body.readAllBytes()).isEqualTo(data);
    assertThat(body.trailers().get("x-sum")).isEqualTo("42");
    assertThat(in.read()).isEqualTo(-1);
  }

  @Test
  void chunkedOutputWritesTheWireFormat() throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    ChunkedOutputStream out = new ChunkedOutputStream(wire);
    out.write("hello".getBytes(ISO_8859_1));
    out.flush();
    out.close();
    assertThat(wire.toString(ISO_8859_1)).isEqualTo("5\r\nhello\r\n0\r\n\r\n");
    assertThatThrownBy(
            () ->
                new ChunkedOutputStream(new ByteArrayOutputStream())
                    .finish(HttpFields.of("x", "a\r\nInjected: 1")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void contentLengthInputStopsAtTheLengthAndDetectsTruncation() throws IOException {
    PeekableInputStream in = input("abcdefGET /");
    ContentLengthInputStream body = new ContentLengthInputStream(in, 6);
    assertThat(readAll(body)).isEqualTo("abcdef");
    assertThat(body.read()).isEqualTo(-1);
    assertThat(readAll(in)).isEqualTo("GET /");
    assertThatThrownBy(() -> readAll(new ContentLengthInputStream(input("abc"), 6)))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void contentLengthOutputEnforcesTheLength() throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    ContentLengthOutputStream out = new ContentLengthOutputStream(wire, 4);
    out.write('a');
    out.write("bc".getBytes(ISO_8859_1));
    assertThatThrownBy(() -> out.write("de".getBytes(ISO_8859_1))).isInstanceOf(IOException.class);
    assertThat(out.remaining()).isEqualTo(1);
    out.write('d');
    assertThatThrownBy(() -> out.write('e')).isInstanceOf(IOException.class);
    out.close();
    assertThat(wire.toString(ISO_8859_1)).isEqualTo("abcd");

    ContentLengthOutputStream shortBody =
        new ContentLengthOutputStream(new ByteArrayOutputStream(), 4);
    shortBody.write('a');
    assertThatThrownBy(shortBody::close)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("1 of");
  }
}
