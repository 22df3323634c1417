package dev.h2mux.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.ZipException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Opt-in response decompression: gzip and deflate through java.util.zip, as curl --compressed. */
class DecompressionTest {
  private static ServerFixture server;

  @BeforeAll
  static void start() throws Exception {
    server = new ServerFixture();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Http2ClientBuilder client() {
    return Http2Client.builder()
        .connectTimeout(Duration.ofSeconds(5))
        .responseTimeout(Duration.ofSeconds(20));
  }

  private static ClientRequest get(String path) {
    return ClientRequest.get(URI.create(server.url(path)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "deflate", "raw-deflate", "gzip-then-deflate"})
  void encodedBodiesAreDecoded(String coding) throws Exception {
    for (ConnectionMode mode :
        new ConnectionMode[] {ConnectionMode.PRIOR_KNOWLEDGE, ConnectionMode.HTTP_1_1}) {
      try (Http2Client client = client().connectionMode(mode).decompress(true).build()) {
        ClientResponse response = client.send(get("/encoded/" + coding));
        assertThat(response.headers().get("x-accept-encoding")).isEqualTo("gzip, deflate");
        String text = new String(response.bytes(), StandardCharsets.UTF_8);
        assertThat(text).as(mode + " " + coding).isEqualTo(ServerFixture.PLAIN);
        // the headers and the byte count are the wire's
        long encoded = Long.parseLong(response.headers().get("content-length"));
        assertThat(encoded).isLessThan(ServerFixture.PLAIN.length());
        assertThat(response.info().bytesDownloaded()).isEqualTo(encoded);
        // the body was read to its end, so the connection is reused
        assertThat(client.send(get("/hello")).status()).isEqualTo(200);
        assertThat(client.connectionsOpened()).isEqualTo(1);
      }
    }
  }

  @Test
  void offByDefault() throws Exception {
    try (Http2Client client = client().build()) {
      ClientResponse response = client.send(get("/encoded/gzip"));
      assertThat(response.headers().get("x-accept-encoding")).isEqualTo("null");
      byte[] raw = response.bytes();
      assertThat(raw[0] & 0xff).isEqualTo(0x1f); // still gzip
      assertThat(raw[1] & 0xff).isEqualTo(0x8b);
    }
  }

  @Test
  void aCodingTheClientCannotDecodeIsLeftAlone() throws Exception {
    try (Http2Client client = client().decompress(true).build()) {
      ClientResponse response = client.send(get("/encoded/br"));
      assertThat(response.headers().get("content-encoding")).isEqualTo("br");
      assertThat(response.string()).isEqualTo(ServerFixture.PLAIN);
    }
  }

  @Test
  void aRequestsOwnAcceptEncodingIsSentAsItIs() throws Exception {
    try (Http2Client client = client().decompress(true).build()) {
      ClientResponse response =
          client.send(
              ClientRequest.builder(server.url("/encoded/gzip"))
                  .header("accept-encoding", "gzip")
                  .build());
      assertThat(response.headers().get("x-accept-encoding")).isEqualTo("gzip");
      assertThat(response.string()).isEqualTo(ServerFixture.PLAIN);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = ConnectionMode.class,
      names = {"PRIOR_KNOWLEDGE", "HTTP_1_1"})
  void aHeadResponseHasNothingToDecode(ConnectionMode mode) throws Exception {
    try (Http2Client client = client().connectionMode(mode).decompress(true).build()) {
      ClientResponse response =
          client.send(ClientRequest.builder(server.url("/encoded/gzip")).method("HEAD").build());
      assertThat(response.headers().get("content-encoding")).isEqualTo("gzip");
      assertThat(response.bytes()).isEmpty();
    }
  }

  @Test
  void aCorruptBodyFailsItsRead() throws Exception {
    try (Http2Client client = client().decompress(true).build()) {
      ClientResponse response = client.send(get("/encoded/corrupt"));
      assertThatThrownBy(response::bytes).isInstanceOf(ZipException.class);
      // the exchange was abandoned, the connection goes on
      assertThat(client.send(get("/hello")).string()).isEqualTo("hello HTTP/2");
    }
  }
}
