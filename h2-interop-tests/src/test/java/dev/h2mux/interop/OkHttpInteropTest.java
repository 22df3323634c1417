package dev.h2mux.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The h2mux server against OkHttp 5: h2c with prior knowledge, and h2 over TLS by ALPN. */
class OkHttpInteropTest extends CleartextAndTlsServers {
  @Test
  void priorKnowledge() throws Exception {
    OkHttpClient client = base().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).build();
    try {
      exchange(client, "http://127.0.0.1:" + cleartext.port(), Protocol.H2_PRIOR_KNOWLEDGE);
    } finally {
      shutdown(client);
    }
  }

  @Test
  void tlsWithAlpn() throws Exception {
    TestCerts certs = TestCerts.get();
    OkHttpClient client =
        base()
            .protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1))
            .sslSocketFactory(certs.clientContext().getSocketFactory(), certs.trustManager())
            .build();
    try {
      exchange(client, "https://127.0.0.1:" + tls.port(), Protocol.HTTP_2);
    } finally {
      shutdown(client);
    }
  }

  /** GET /, a 1 MiB POST echoed with its trailers, a 16 MiB download. */
  private static void exchange(OkHttpClient client, String base, Protocol expected)
      throws Exception {
    try (Response get = client.newCall(new Request.Builder().url(base + "/").build()).execute()) {
      assertThat(get.code()).isEqualTo(200);
      assertThat(get.protocol()).isEqualTo(expected);
      assertThat(get.header("x-protocol")).isEqualTo("HTTP/2");
      assertThat(get.body().string()).isEqualTo(InteropHandler.WELCOME);
    }

    byte[] upload = Bodies.pattern(Bodies.MIB);
    Request post =
        new Request.Builder()
            .url(base + "/echo")
            .post(RequestBody.create(upload, MediaType.get("application/octet-stream")))
            .build();
    try (Response echo = client.newCall(post).execute()) {
      assertThat(echo.code()).isEqualTo(200);
      assertThat(echo.protocol()).isEqualTo(expected);
      assertThat(Bodies.sha256(echo.body().bytes())).isEqualTo(Bodies.sha256(upload));
      assertThat(echo.trailers().get("x-echo-bytes")).isEqualTo(Integer.toString(Bodies.MIB));
    }

    long length = 16L * Bodies.MIB;
    try (Response download =
            client.newCall(new Request.Builder().url(base + "/bytes/" + length).build()).execute();
        InputStream in = download.body().byteStream()) {
      assertThat(download.protocol()).isEqualTo(expected);
      assertThat(Bodies.sha256(in)).isEqualTo(Bodies.patternSha256(length));
    }
  }

  private static OkHttpClient.Builder base() {
    return new OkHttpClient.Builder()
        .callTimeout(Duration.ofSeconds(30))
        .readTimeout(Duration.ofSeconds(30));
  }

  private static void shutdown(OkHttpClient client) {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
