package dev.h2mux.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The h2mux server against the JDK's {@link HttpClient}: on cleartext it upgrades to h2c with its
 * first request ({@code Upgrade: h2c}); over TLS it negotiates h2 by ALPN.
 */
class JdkHttpClientInteropTest extends CleartextAndTlsServers {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void cleartextUpgradeThenPostOnTheSameConnection() throws Exception {
    try (HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .connectTimeout(TIMEOUT)
            .build()) {
      String base = "http://127.0.0.1:" + cleartext.port();
      exchange(client, base);
    }
  }

  @Test
  void tlsWithAlpn() throws Exception {
    try (HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .sslContext(TestCerts.get().clientContext())
            .connectTimeout(TIMEOUT)
            .build()) {
      String base = "https://127.0.0.1:" + tls.port();
      exchange(client, base);
    }
  }

  /** GET /, then a 1 MiB POST echoed, then a 16 MiB download; all must be HTTP/2. */
  private static void exchange(HttpClient client, String base) throws Exception {
    HttpResponse<String> get =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/")).timeout(TIMEOUT).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(get.headers().firstValue("x-protocol")).hasValue("HTTP/2");
    assertThat(get.body()).isEqualTo(InteropHandler.WELCOME);

    byte[] upload = Bodies.pattern(Bodies.MIB);
    HttpResponse<byte[]> post =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/echo"))
                .timeout(TIMEOUT)
                .header("content-type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(upload))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(post.statusCode()).isEqualTo(200);
    assertThat(post.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(Bodies.sha256(post.body())).isEqualTo(Bodies.sha256(upload));

    long length = 16L * Bodies.MIB;
    HttpResponse<java.io.InputStream> download =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/bytes/" + length)).timeout(TIMEOUT).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(download.version()).isEqualTo(HttpClient.Version.HTTP_2);
    try (java.io.InputStream in = download.body()) {
      assertThat(Bodies.sha256(in)).isEqualTo(Bodies.patternSha256(length));
    }
  }
}
