package dev.h2mux.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Address overrides ({@code --resolve}), a PEM trust file ({@code --cacert}), and what {@link
 * ExchangeInfo} reports.
 */
class ResolveTrustAndInfoTest {

  private static Http2ClientBuilder client() {
    return Http2Client.builder()
        .connectTimeout(Duration.ofSeconds(5))
        .responseTimeout(Duration.ofSeconds(20));
  }

  @Test
  void resolveConnectsToTheGivenAddressAndKeepsTheName() throws Exception {
    try (ServerFixture server = new ServerFixture();
        Http2Client client =
            client()
                .resolve("h2mux.test", server.server.port(), InetAddress.getLoopbackAddress())
                .build()) {
      String authority = "h2mux.test:" + server.server.port();
      ClientResponse response =
          client.send(ClientRequest.get(URI.create("http://" + authority + "/authority")));
      assertThat(response.string()).isEqualTo(authority);
      assertThat(response.info().remoteAddress().getAddress())
          .isEqualTo(InetAddress.getLoopbackAddress());
    }
  }

  @Test
  void trustedCertificatesAreTheOnlyOnesTrusted(@TempDir Path dir) throws Exception {
    try (ServerFixture server = new ServerFixture(ServerFixture.selfSigned(dir))) {
      Path bundle = dir.resolve("ca.pem");
      // a bundle as CA files are written: text between the certificates
      Files.writeString(
          bundle, "# test CA\n" + pem(dir.resolve("server.p12")) + "\ntrailing text\n");
      int port = server.server.port();
      try (Http2Client client = client().trustedCertificates(bundle).build()) {
        ClientResponse response =
            client.send(ClientRequest.get(URI.create("https://localhost:" + port + "/hello")));
        assertThat(response.string()).isEqualTo("hello HTTP/2");
      }
      // the host name is still checked: the certificate does not name h2mux.test
      try (Http2Client client =
          client()
              .trustedCertificates(bundle)
              .resolve("h2mux.test", port, InetAddress.getLoopbackAddress())
              .build()) {
        assertThatThrownBy(
                () ->
                    client.send(ClientRequest.get(URI.create("https://h2mux.test:" + port + "/"))))
            .isInstanceOf(SSLHandshakeException.class);
      }
      // another CA's file does not trust this server
      Path other = dir.resolve("other");
      Files.createDirectories(other);
      ServerFixture.selfSigned(other);
      Path otherPem = other.resolve("ca.pem");
      Files.writeString(otherPem, pem(other.resolve("server.p12")));
      try (Http2Client client = client().trustedCertificates(otherPem).build()) {
        assertThatThrownBy(
                () -> client.send(ClientRequest.get(URI.create("https://localhost:" + port + "/"))))
            .isInstanceOf(SSLHandshakeException.class);
      }
    }
  }

  @Test
  void aTrustFileMustHoldCertificates(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "no certificates here\n");
    assertThatThrownBy(() -> Http2Client.builder().trustedCertificates(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no PEM certificate");
    assertThatThrownBy(() -> Http2Client.builder().trustedCertificates(dir.resolve("missing")))
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void infoTellsConnectionsTimesAndBytes(@TempDir Path dir) throws Exception {
    try (ServerFixture server = new ServerFixture();
        Http2Client client = client().build()) {
      ClientResponse first =
          client.send(
              ClientRequest.builder(server.url("/echo")).method("POST").body("12345").build());
      assertThat(first.string()).isEqualTo("12345");
      ExchangeInfo info = first.info();
      assertThat(info.remoteAddress().getPort()).isEqualTo(server.server.port());
      assertThat(info.localAddress().getAddress().isLoopbackAddress()).isTrue();
      assertThat(info.localAddress().getPort()).isPositive().isNotEqualTo(server.server.port());
      assertThat(info.connectionsOpened()).isEqualTo(1);
      assertThat(info.timeToNameLookup()).isPositive();
      assertThat(info.timeToConnect()).isGreaterThanOrEqualTo(info.timeToNameLookup());
      assertThat(info.timeToTls()).isZero(); // not https
      // the request waited for the HTTP/2 preface and went out then
      assertThat(info.timeToSend()).isGreaterThan(info.timeToConnect());
      assertThat(info.timeToFirstByte()).isGreaterThanOrEqualTo(info.timeToSend());
      assertThat(info.redirectTime()).isZero();
      assertThat(info.totalTime()).isGreaterThanOrEqualTo(info.timeToFirstByte());
      assertThat(info.bytesUploaded()).isEqualTo(5);
      assertThat(info.bytesDownloaded()).isEqualTo(5);
      assertThat(first.info().totalTime()).isEqualTo(info.totalTime()); // ended: final

      ExchangeInfo reused = client.send(ClientRequest.get(URI.create(server.url("/hello")))).info();
      assertThat(reused.connectionsOpened()).isZero();
      assertThat(reused.timeToNameLookup()).isZero();
      assertThat(reused.timeToConnect()).isZero();
      assertThat(reused.timeToSend()).isPositive().isLessThan(reused.timeToFirstByte());
      assertThat(reused.remoteAddress().getPort()).isEqualTo(server.server.port());
    }
    try (ServerFixture tls = new ServerFixture(ServerFixture.selfSigned(dir));
        Http2Client client = client().insecure(true).build()) {
      ClientResponse response = client.send(ClientRequest.get(URI.create(tls.httpsUrl("/hello"))));
      response.string();
      ExchangeInfo info = response.info();
      assertThat(info.timeToTls()).isGreaterThan(info.timeToConnect());
      assertThat(info.timeToSend()).isGreaterThan(info.timeToTls());
      assertThat(info.timeToFirstByte()).isGreaterThan(info.timeToSend());
    }
  }

  /**
   * After redirects, as curl: each step's time is added up over the requests, each from its own
   * start, and the redirects' time is until the last request began.
   */
  @Test
  void infoAfterRedirectsAddsUpTheHops() throws Exception {
    try (ServerFixture server = new ServerFixture();
        Http2Client client = client().followRedirects(5).build()) {
      long before = System.nanoTime();
      ClientResponse response =
          client.send(
              ClientRequest.get(URI.create(server.url("/redirect/302?/redirect/307%3F/hello"))));
      assertThat(response.string()).isEqualTo("hello HTTP/2");
      long elapsed = System.nanoTime() - before;
      ExchangeInfo info = response.info();
      assertThat(info.redirects()).isEqualTo(2);
      assertThat(info.connectionsOpened()).isEqualTo(1); // the hops shared one connection
      assertThat(info.redirectTime()).isPositive().isLessThan(info.totalTime());
      assertThat(info.totalTime().toNanos()).isLessThanOrEqualTo(elapsed);
      // three heads awaited, each from its own hop's start: together less than the whole call
      assertThat(info.timeToFirstByte()).isPositive().isLessThanOrEqualTo(info.totalTime());
      // only the first hop connected; its connect time is unchanged by the later hops
      assertThat(info.timeToConnect()).isPositive().isLessThan(info.redirectTime());
      assertThat(info.timeToSend()).isGreaterThan(info.timeToConnect());
    }
  }

  /** The certificate of a {@link ServerFixture#selfSigned} keystore, as PEM. */
  private static String pem(Path pkcs12) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(pkcs12)) {
      store.load(in, "changeit".toCharArray());
    }
    Certificate certificate = store.getCertificate("server");
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }
}
