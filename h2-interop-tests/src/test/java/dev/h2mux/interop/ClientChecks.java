package dev.h2mux.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.client.ClientRequest;
import dev.h2mux.client.ClientResponse;
import dev.h2mux.client.ConnectionMode;
import dev.h2mux.client.Http2Client;
import dev.h2mux.client.Protocol;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the h2mux client must get right against every peer server. Each peer serves {@code GET /}
 * (its own welcome text), {@code GET /bytes/N} (the {@link Bodies} pattern) and {@code POST /echo}
 * (the request body back).
 */
final class ClientChecks {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private ClientChecks() {}

  /** A client in {@code mode}, trusting the test certificate, with bounded timeouts. */
  static Http2Client client(ConnectionMode mode) throws Exception {
    return Http2Client.builder()
        .connectionMode(mode)
        .sslContext(TestCerts.get().clientContext())
        .connectTimeout(TIMEOUT)
        .responseTimeout(TIMEOUT)
        .build();
  }

  /** {@code GET /}: status 200, the expected protocol and text. */
  static void get(Http2Client client, String base, Protocol expected, String welcome)
      throws Exception {
    try (ClientResponse response = client.send(ClientRequest.get(URI.create(base + "/")))) {
      assertThat(response.status()).as("status of GET /").isEqualTo(200);
      assertThat(response.protocol()).as("protocol of GET /").isEqualTo(expected);
      assertThat(response.string()).isEqualTo(welcome);
    }
  }

  /**
   * A 1 MiB POST to {@code /echo}, compared by checksum.
   *
   * @param trailerBytes if true, the peer must send trailer {@code x-echo-bytes} with the count
   */
  static void echoOneMebibyte(
      Http2Client client, String base, Protocol expected, boolean trailerBytes) throws Exception {
    byte[] upload = Bodies.pattern(Bodies.MIB);
    ClientRequest post =
        ClientRequest.builder(base + "/echo")
            .method("POST")
            .header("content-type", "application/octet-stream")
            .body(upload)
            .build();
    try (ClientResponse response = client.send(post)) {
      assertThat(response.status()).as("status of POST /echo").isEqualTo(200);
      assertThat(response.protocol()).as("protocol of POST /echo").isEqualTo(expected);
      assertThat(Bodies.sha256(response.bytes())).isEqualTo(Bodies.sha256(upload));
      if (trailerBytes) {
        assertThat(response.trailers().get("x-echo-bytes")).isEqualTo(Integer.toString(Bodies.MIB));
      }
    }
  }

  /** A 16 MiB download, streamed and compared by checksum. */
  static void download16Mebibytes(Http2Client client, String base, Protocol expected)
      throws Exception {
    long length = 16L * Bodies.MIB;
    try (ClientResponse response =
        client.send(ClientRequest.get(URI.create(base + "/bytes/" + length)))) {
      assertThat(response.status()).as("status of the download").isEqualTo(200);
      assertThat(response.protocol()).as("protocol of the download").isEqualTo(expected);
      try (InputStream in = response.body()) {
        assertThat(Bodies.sha256(in)).isEqualTo(Bodies.patternSha256(length));
      }
    }
  }

  /** {@code count} GETs of 64 KiB in flight at once through {@code sendAsync}; all must succeed. */
  static void concurrent(Http2Client client, String base, Protocol expected, int count)
      throws Exception {
    int length = 64 * Bodies.KIB;
    String sha = Bodies.patternSha256(length);
    // Each body is read as soon as its head arrives: an HTTP/1.1 connection stays busy until
    // its body is read, so reading them in submission order could wait on a pool slot held
    // by an unread response (as with any HTTP/1.1 connection pool).
    List<CompletableFuture<String>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      futures.add(
          client
              .sendAsync(ClientRequest.get(URI.create(base + "/bytes/" + length)))
              .thenApply(
                  response -> {
                    try (response) {
                      assertThat(response.status()).isEqualTo(200);
                      assertThat(response.protocol()).isEqualTo(expected);
                      return Bodies.sha256(response.bytes());
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  }));
    }
    for (CompletableFuture<String> future : futures) {
      assertThat(future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(sha);
    }
  }

  /** Every check above, on one client. */
  static void all(
      Http2Client client, String base, Protocol expected, String welcome, boolean trailerBytes)
      throws Exception {
    get(client, base, expected, welcome);
    echoOneMebibyte(client, base, expected, trailerBytes);
    download16Mebibytes(client, base, expected);
    concurrent(client, base, expected, 50);
  }
}
