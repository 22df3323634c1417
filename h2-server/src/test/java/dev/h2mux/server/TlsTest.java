package dev.h2mux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {
  @TempDir static Path dir;
  static TestCertificates ec;
  static TestCertificates rsa;

  private static final Handler HANDLER =
      (request, response) -> {
        response.headers().set("x-scheme", request.scheme());
        response.headers().set("x-protocol", request.protocol());
        response.body().write(request.body().readAllBytes());
      };

  @BeforeAll
  static void certificates() throws Exception {
    ec = TestCertificates.create(dir, "EC");
    rsa = TestCertificates.create(dir, "RSA");
  }

  private static HttpResponse<String> post(Http2Server server, TestCertificates certs)
      throws Exception {
    try (HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(certs.clientContext())
            .build()) {
      return client.send(
          HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/x"))
              .POST(HttpRequest.BodyPublishers.ofString("secret"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void pkcs12ServesHttp11ByAlpn() throws Exception {
    try (Http2Server server =
        Http2Server.builder()
            .handler(HANDLER)
            .tls(TlsConfig.fromPkcs12(ec.pkcs12, TestCertificates.PASSWORD))
            .build()
            .start()) {
      HttpResponse<String> response = post(server, ec);
      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(response.body()).isEqualTo("secret");
      assertThat(response.headers().firstValue("x-scheme")).hasValue("https");

      // the server offers h2 and http/1.1 by ALPN
      try (SSLSocket socket =
          (SSLSocket)
              ec.clientContext()
                  .getSocketFactory()
                  .createSocket(InetAddress.getLoopbackAddress(), server.port())) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
        RawConnection c = new RawConnection(socket);
        // h2c upgrade is ignored over TLS
        c.send(
            "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                + "HTTP2-Settings: AAMAAABk\r\n\r\n");
        assertThat(c.read().status()).isEqualTo(200);
      }
      try (SSLSocket socket =
          (SSLSocket)
              ec.clientContext()
                  .getSocketFactory()
                  .createSocket(InetAddress.getLoopbackAddress(), server.port())) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
      }
    }
  }

  @Test
  void pemPkcs8KeysForEcAndRsa() throws Exception {
    for (TestCertificates certs : new TestCertificates[] {ec, rsa}) {
      try (Http2Server server =
          Http2Server.builder()
              .handler(HANDLER)
              .tls(TlsConfig.fromPem(certs.certPem, certs.keyPem))
              .build()
              .start()) {
        assertThat(post(server, certs).body()).isEqualTo("secret");
      }
    }
  }

  @Test
  void pemTraditionalKeysConvertedByOpenssl() throws Exception {
    for (TestCertificates certs : new TestCertificates[] {ec, rsa}) {
      Path traditional = certs.traditionalKey(dir);
      if (traditional == null) {
        continue; // no openssl here: the PKCS#8 test above covers PEM loading
      }
      assertThat(Files.readString(traditional))
          .containsAnyOf("BEGIN EC PRIVATE KEY", "BEGIN RSA PRIVATE KEY");
      try (Http2Server server =
          Http2Server.builder()
              .handler(HANDLER)
              .tls(TlsConfig.fromPem(certs.certPem, traditional))
              .build()
              .start()) {
        assertThat(post(server, certs).body()).isEqualTo("secret");
      }
    }
  }

  @Test
  void badTlsFilesGiveClearMessages() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here");
    assertThatThrownBy(() -> TlsConfig.fromPem(ec.certPem, empty))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no PEM private key");
    Path encrypted =
        Files.writeString(
            dir.resolve("enc.pem"),
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
    assertThatThrownBy(() -> TlsConfig.fromPem(ec.certPem, encrypted))
        .hasMessageContaining("encrypted");
    assertThatThrownBy(() -> TlsConfig.fromPem(empty, ec.keyPem))
        .hasMessageContaining(empty.toString());
    assertThatThrownBy(() -> TlsConfig.fromPkcs12(ec.pkcs12, "wrong".toCharArray()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("PKCS#12");
  }
}
