package dev.h2mux.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.client.ClientRequest;
import dev.h2mux.client.ClientResponse;
import dev.h2mux.client.ConnectionMode;
import dev.h2mux.client.Http2Client;
import dev.h2mux.client.Protocol;
import dev.h2mux.server.Http2Server;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The h2mux client's full duplex against servers that echo the body as it arrives: Jetty 12 with
 * its default flow-control windows, and the h2mux server. Before duplex, a client that read no
 * response until its upload was done filled its receive window while its upload waited for the
 * server's, and both stalled (an 8 MiB upload to Jetty's echo hung until Jetty's idle timeout).
 */
class ClientFullDuplexTest {
  private static final long SIXTY_FOUR_MIB = 64L * Bodies.MIB;
  private static JettyPeerServer jetty;
  private static Http2Server h2mux;
  private static Http2Server h2muxTls;

  @BeforeAll
  static void start() throws Exception {
    jetty = JettyPeerServer.start();
    InteropHandler handler = new InteropHandler();
    h2mux = H2muxServers.cleartext(handler);
    h2muxTls = H2muxServers.tls(handler);
  }

  @AfterAll
  static void stop() throws Exception {
    if (jetty != null) jetty.close();
    if (h2mux != null) h2mux.close();
    if (h2muxTls != null) h2muxTls.close();
  }

  /** {@code length} pattern bytes from a stream generated as it is read: never held whole. */
  private static ClientRequest streamedUpload(String url, long length) {
    return ClientRequest.builder(url)
        .method("PUT")
        .header("content-type", "application/octet-stream")
        .body(() -> patternStream(length), length)
        .build();
  }

  private static void echoes(ConnectionMode mode, String url, Protocol protocol, long length)
      throws Exception {
    try (Http2Client client = ClientChecks.client(mode);
        ClientResponse response = client.send(streamedUpload(url, length))) {
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.protocol()).isEqualTo(protocol);
      try (InputStream in = response.body()) {
        assertThat(Bodies.sha256(in)).isEqualTo(Bodies.patternSha256(length));
      }
      assertThat(response.info().bytesUploaded()).isEqualTo(length);
    }
  }

  @Test
  void eightMebibytesToJettysEchoDoNotStall() throws Exception {
    // The reproduction from the issue: a body in memory, as the CLI's --data-binary @file.
    byte[] body = Bodies.pattern(8 * Bodies.MIB);
    try (Http2Client client = ClientChecks.client(ConnectionMode.PRIOR_KNOWLEDGE);
        ClientResponse response =
            client.send(
                ClientRequest.builder(jetty.cleartextBase() + "/stream-echo")
                    .method("POST")
                    .body(body)
                    .build())) {
      assertThat(response.status()).isEqualTo(200);
      assertThat(Bodies.sha256(response.bytes())).isEqualTo(Bodies.sha256(body));
    }
  }

  @Test
  void jettyH2cPriorKnowledge() throws Exception {
    echoes(
        ConnectionMode.PRIOR_KNOWLEDGE,
        jetty.cleartextBase() + "/stream-echo",
        Protocol.HTTP_2,
        SIXTY_FOUR_MIB);
  }

  @Test
  void jettyTlsWithAlpn() throws Exception {
    echoes(
        ConnectionMode.PRIOR_KNOWLEDGE,
        jetty.tlsBase() + "/stream-echo",
        Protocol.HTTP_2,
        SIXTY_FOUR_MIB);
  }

  @Test
  void jettyHttp11() throws Exception {
    echoes(
        ConnectionMode.HTTP_1_1,
        jetty.cleartextBase() + "/stream-echo",
        Protocol.HTTP_1_1,
        SIXTY_FOUR_MIB);
  }

  @Test
  void h2muxH2cPriorKnowledge() throws Exception {
    echoes(
        ConnectionMode.PRIOR_KNOWLEDGE,
        "http://127.0.0.1:" + h2mux.port() + "/echo",
        Protocol.HTTP_2,
        SIXTY_FOUR_MIB);
  }

  @Test
  void h2muxTlsWithAlpn() throws Exception {
    echoes(
        ConnectionMode.PRIOR_KNOWLEDGE,
        "https://127.0.0.1:" + h2muxTls.port() + "/echo",
        Protocol.HTTP_2,
        SIXTY_FOUR_MIB);
  }

  @Test
  void theResponseHeadArrivesWhileTheBodyIsStillBeingWritten() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    ClientRequest request =
        ClientRequest.builder(jetty.cleartextBase() + "/stream-echo")
            .method("POST")
            .body(
                out -> {
                  out.write(Bodies.pattern(64 * Bodies.KIB));
                  out.flush();
                  try {
                    if (!gate.await(30, TimeUnit.SECONDS)) throw new IOException("gate timeout");
                  } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                  }
                })
            .build();
    try (Http2Client client = ClientChecks.client(ConnectionMode.PRIOR_KNOWLEDGE)) {
      ClientResponse response = client.sendAsync(request).get(30, TimeUnit.SECONDS);
      assertThat(response.status()).isEqualTo(200);
      // the first echoed bytes arrive while the writer still waits
      byte[] first = response.body().readNBytes(64 * Bodies.KIB);
      assertThat(Bodies.sha256(first)).isEqualTo(Bodies.patternSha256(64 * Bodies.KIB));
      gate.countDown();
      assertThat(response.body().read()).isEqualTo(-1);
      response.close();
    }
  }

  private static InputStream patternStream(long length) {
    return new InputStream() {
      private long position;

      @Override
      public int read() {
        return position < length ? Bodies.at(position++) & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (position >= length) return -1;
        int n = (int) Math.min(len, length - position);
        for (int i = 0; i < n; i++) b[off + i] = Bodies.at(position++);
        return n;
      }
    };
  }
}
