package dev.h2mux.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An HTTP proxy ({@code -x}): a CONNECT tunnel for https with TLS end to end, absolute-form
 * HTTP/1.1 for http (as curl, which ignores prior knowledge through a proxy; an h2c Upgrade the
 * proxy does not pass on leaves it at that).
 */
class ProxyTest {

  private static Http2ClientBuilder client() {
    return Http2Client.builder()
        .connectTimeout(Duration.ofSeconds(5))
        .responseTimeout(Duration.ofSeconds(20));
  }

  @ParameterizedTest
  @EnumSource(ConnectionMode.class)
  void httpGoesAsAbsoluteFormHttp11(ConnectionMode mode) throws Exception {
    try (TestProxy proxy = new TestProxy();
        Http2Client client =
            client()
                .connectionMode(mode)
                .proxy(URI.create("http://user:pa%20ss@127.0.0.1:" + proxy.port()))
                .build()) {
      // the origin need not exist: only the proxy is contacted
      ClientResponse response =
          client.send(ClientRequest.get(URI.create("http://origin.invalid:8080/path?q=1")));
      assertThat(response.protocol()).isEqualTo(Protocol.HTTP_1_1);
      assertThat(response.string())
          .isEqualTo("proxied GET http://origin.invalid:8080/path?q=1 HTTP/1.1");
      assertThat(proxy.hosts).containsExactly("origin.invalid:8080");
      assertThat(proxy.authorizations).containsExactly("Basic dXNlcjpwYSBzcw=="); // user:pa ss
      assertThat(response.info().remoteAddress().getPort()).isEqualTo(proxy.port());
      // kept alive: the next request reuses the connection to the proxy
      client.send(ClientRequest.get(URI.create("http://origin.invalid:8080/two"))).close();
      assertThat(client.connectionsOpened()).isEqualTo(1);
    }
  }

  /**
   * A proxy that takes 1.2 s to open the tunnel and delays the origin's TLS answer by 1.2 s: each
   * step fits a 2 s connect timeout, the two do not. The timeout is one budget, as curl's.
   */
  @Test
  void theConnectTimeoutIsOneBudgetForTunnelAndTls(@TempDir Path dir) throws Exception {
    try (ServerFixture origin = new ServerFixture(ServerFixture.selfSigned(dir));
        TestProxy proxy = new TestProxy()) {
      proxy.tunnelDelayMillis = 1_200;
      proxy.relayDelayMillis = 1_200;
      ClientRequest request = ClientRequest.get(URI.create(origin.httpsUrl("/hello")));
      try (Http2Client tight =
          client()
              .insecure(true)
              .connectTimeout(Duration.ofSeconds(2))
              .proxy(URI.create("http://127.0.0.1:" + proxy.port()))
              .build()) {
        assertThatThrownBy(() -> tight.send(request))
            .isInstanceOfSatisfying(
                ConnectTimeoutException.class,
                e -> assertThat(e.step()).isEqualTo(ConnectTimeoutException.Step.TLS_HANDSHAKE))
            .hasMessageContaining("within the connect timeout of 2000 ms");
      }
      try (Http2Client roomy =
          client()
              .insecure(true)
              .connectTimeout(Duration.ofSeconds(5))
              .proxy(URI.create("http://127.0.0.1:" + proxy.port()))
              .build()) {
        assertThat(roomy.send(request).string()).isEqualTo("hello HTTP/2");
      }
    }
  }

  @Test
  void httpsGoesThroughATunnelWithAlpnInside(@TempDir Path dir) throws Exception {
    try (ServerFixture origin = new ServerFixture(ServerFixture.selfSigned(dir));
        TestProxy proxy = new TestProxy();
        Http2Client client =
            client()
                .insecure(true)
                // the proxy's name is resolved by the override; the origin's by the proxy
                .proxy(URI.create("http://proxy.test:" + proxy.port()))
                .resolve("proxy.test", proxy.port(), InetAddress.getLoopbackAddress())
                .build()) {
      String url = "https://localhost:" + origin.server.port() + "/hello";
      ClientResponse response = client.send(ClientRequest.get(URI.create(url)));
      assertThat(response.protocol()).isEqualTo(Protocol.HTTP_2);
      assertThat(response.string()).isEqualTo("hello HTTP/2");
      assertThat(proxy.requestLines)
          .containsExactly("CONNECT localhost:" + origin.server.port() + " HTTP/1.1");
      assertThat(proxy.hosts).containsExactly("localhost:" + origin.server.port());
      assertThat(proxy.authorizations).containsExactly("null");
      assertThat(response.info().remoteAddress().getPort()).isEqualTo(proxy.port());
      assertThat(response.info().timeToTls()).isGreaterThan(response.info().timeToConnect());
    }
  }

  @Test
  void aRefusedTunnelIsATypedError() throws Exception {
    try (TestProxy proxy = new TestProxy();
        Http2Client client =
            client().proxy(URI.create("http://127.0.0.1:" + proxy.port())).build()) {
      proxy.refuse = true;
      assertThatThrownBy(() -> client.send(ClientRequest.get(URI.create("https://localhost:1/"))))
          .isInstanceOfSatisfying(
              ProxyTunnelException.class, e -> assertThat(e.status()).isEqualTo(407));
    }
  }

  @Test
  void aProxyIsAnHttpUri() {
    assertThatThrownBy(() -> Http2Client.builder().proxy(URI.create("socks5://127.0.0.1:1080")))
        .isInstanceOf(IllegalArgumentException.class);
    Http2ClientBuilder builder = Http2Client.builder().proxy(URI.create("http://proxy.test"));
    try (Http2Client client = builder.build()) {
      assertThat(client.settings.proxy().port()).isEqualTo(1080);
    }
  }
}
