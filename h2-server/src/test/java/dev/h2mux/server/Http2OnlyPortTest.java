package dev.h2mux.server;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.testkit.FramePeer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Http2Server.Builder#http2Only}: a port that speaks HTTP/2 and nothing else. */
class Http2OnlyPortTest {
  @TempDir static Path dir;

  private static final Handler HELLO =
      (request, response) -> response.body().write(("hello " + request.protocol()).getBytes());

  private static Http2Server start(boolean http2Only) throws IOException {
    return Http2Server.builder().handler(HELLO).http2Only(http2Only).build().start();
  }

  /**
   * Anything but the preface, an HTTP/1.1 request too, gets the server's SETTINGS, then
   * GOAWAY(PROTOCOL_ERROR), then the end of the connection (RFC 9113 §3.4). The short one (18
   * bytes) is answered at its first wrong byte, not after waiting for 24.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "INVALID CONNECTION PREFACE\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.0\r\n\r\n",
        "PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n"
      })
  void anythingButThePrefaceGetsGoAwayProtocolError(String bytes) throws Exception {
    try (Http2Server server = start(true);
        FramePeer peer = FramePeer.connect(server.port())) {
      peer.raw(bytes.getBytes(ISO_8859_1));
      while (peer.next() != null) {
        // to the end, which is clean: no reset
      }
      // the server's preface (SETTINGS, and the WINDOW_UPDATE that opens its connection window),
      // then the connection error; the peer acknowledged the SETTINGS as it read them
      assertThat(peer.trace())
          .filteredOn(line -> line.startsWith("<<"))
          .satisfiesExactly(
              settings -> assertThat(settings).startsWith("<< SETTINGS 0 "),
              window -> assertThat(window).startsWith("<< WINDOW_UPDATE 0 "),
              goAway -> assertThat(goAway).startsWith("<< GOAWAY 0 last_stream=0 PROTOCOL_ERROR"));
    }
  }

  @Test
  void priorKnowledgeIsServed() throws Exception {
    try (Http2Server server = start(true);
        H2TestClient client = new H2TestClient(server.port())) {
      assertThat(client.get("/").text()).isEqualTo("hello HTTP/2");
    }
  }

  @Test
  void theDefaultPortAnswersAnInvalidPrefaceAsHttp11() throws Exception {
    try (Http2Server server = start(false);
        RawConnection c = new RawConnection(server.port())) {
      c.send("INVALID CONNECTION PREFACE\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(400);
    }
    try (Http2Server server = start(false);
        RawConnection c = new RawConnection(server.port())) {
      c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(c.read().body()).isEqualTo("hello HTTP/1.1");
    }
  }

  @Test
  void overTlsAlpnOffersOnlyH2() throws Exception {
    TestCertificates certs = TestCertificates.create(dir, "EC");
    try (Http2Server server =
        Http2Server.builder()
            .handler(HELLO)
            .http2Only(true)
            .tls(TlsConfig.fromPkcs12(certs.pkcs12, TestCertificates.PASSWORD))
            .build()
            .start()) {
      try (SSLSocket socket = tlsSocket(certs, server, "h2", "http/1.1")) {
        socket.startHandshake();
        assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
      }
      try (SSLSocket socket = tlsSocket(certs, server, "http/1.1")) {
        // RFC 7301 §3.2: no protocol in common is a no_application_protocol alert
        assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
      }
    }
  }

  private static SSLSocket tlsSocket(TestCertificates certs, Http2Server server, String... alpn)
      throws Exception {
    SSLSocket socket =
        (SSLSocket)
            certs
                .clientContext()
                .getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.port());
    socket.setSoTimeout(5_000);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setApplicationProtocols(alpn);
    socket.setSSLParameters(parameters);
    return socket;
  }
}
