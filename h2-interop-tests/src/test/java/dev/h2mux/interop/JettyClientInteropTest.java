package dev.h2mux.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;

/**
 * The h2mux server against Jetty 12's HTTP/2 client: h2c (prior knowledge) and h2 over TLS by ALPN.
 */
class JettyClientInteropTest extends CleartextAndTlsServers {
  @Test
  void h2cPriorKnowledge() throws Exception {
    HttpClient client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
    client.start();
    try {
      exchange(client, "http://127.0.0.1:" + cleartext.port());
    } finally {
      client.stop();
    }
  }

  @Test
  void tlsWithAlpn() throws Exception {
    SslContextFactory.Client ssl = new SslContextFactory.Client();
    ssl.setSslContext(TestCerts.get().clientContext());
    ClientConnector connector = new ClientConnector();
    connector.setSslContextFactory(ssl);
    HttpClient client =
        new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(connector)));
    client.start();
    try {
      exchange(client, "https://127.0.0.1:" + tls.port());
    } finally {
      client.stop();
    }
  }

  /** GET /, a 1 MiB POST echoed with its trailers, a 16 MiB download; all HTTP/2. */
  private static void exchange(HttpClient client, String base) throws Exception {
    ContentResponse get = client.newRequest(base + "/").timeout(30, TimeUnit.SECONDS).send();
    assertThat(get.getStatus()).isEqualTo(200);
    assertThat(get.getVersion()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(get.getHeaders().get("x-protocol")).isEqualTo("HTTP/2");
    assertThat(get.getContentAsString()).isEqualTo(InteropHandler.WELCOME);

    byte[] upload = Bodies.pattern(Bodies.MIB);
    ContentResponse post =
        client
            .newRequest(base + "/echo")
            .method("POST")
            .body(new BytesRequestContent("application/octet-stream", upload))
            .timeout(30, TimeUnit.SECONDS)
            .send();
    assertThat(post.getStatus()).isEqualTo(200);
    assertThat(post.getVersion()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(Bodies.sha256(post.getContent())).isEqualTo(Bodies.sha256(upload));
    assertThat(post.getTrailers()).isNotNull();
    assertThat(post.getTrailers().get("x-echo-bytes")).isEqualTo(Integer.toString(Bodies.MIB));

    long length = 16L * Bodies.MIB;
    InputStreamResponseListener listener = new InputStreamResponseListener();
    client.newRequest(base + "/bytes/" + length).timeout(30, TimeUnit.SECONDS).send(listener);
    Response download = listener.get(30, TimeUnit.SECONDS);
    assertThat(download.getVersion()).isEqualTo(HttpVersion.HTTP_2);
    try (InputStream in = listener.getInputStream()) {
      assertThat(Bodies.sha256(in)).isEqualTo(Bodies.patternSha256(length));
    }
  }
}
