package dev.h2mux.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.HttpFields;
import dev.h2mux.server.TlsConfig;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against the project's own server (h2-server), every way of connecting. */
class OwnServerTest {
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
        .responseTimeout(Duration.ofSeconds(30));
  }

  private static ClientRequest get(String url) {
    return ClientRequest.get(URI.create(url));
  }

  @Test
  void priorKnowledgeSpeaksHttp2() throws Exception {
    try (Http2Client client = client().build()) {
      ClientResponse response = client.send(get(server.url("/hello")));
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.protocol()).isEqualTo(Protocol.HTTP_2);
      assertThat(response.reason()).isEmpty(); // HTTP/2 has no reason phrase
      assertThat(response.string()).isEqualTo("hello HTTP/2");
      assertThat(client.send(get(server.url("/hello"))).string()).isEqualTo("hello HTTP/2");
      assertThat(client.connectionsOpened()).isEqualTo(1);
    }
  }

  @Test
  void interimResponsesReachTheListenerOverBothProtocols() throws Exception {
    for (ConnectionMode mode :
        new ConnectionMode[] {ConnectionMode.PRIOR_KNOWLEDGE, ConnectionMode.HTTP_1_1}) {
      try (Http2Client client = client().connectionMode(mode).build()) {
        List<String> interim = new CopyOnWriteArrayList<>();
        ClientResponse response =
            client.send(
                ClientRequest.builder(URI.create(server.url("/hints")))
                    .onInterimResponse(
                        (protocol, status, reason, headers) ->
                            interim.add(protocol + " " + status + " " + headers.get("link")))
                    .build());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.string()).isEqualTo("hinted");
        assertThat(interim).containsExactly(response.protocol() + " 103 </style.css>; rel=preload");
      }
    }
  }

  @Test
  void h2cUpgradeThenReusesTheConnection() throws Exception {
    try (Http2Client client = client().connectionMode(ConnectionMode.UPGRADE).build()) {
      ClientResponse first = client.send(get(server.url("/hello")));
      assertThat(first.protocol()).isEqualTo(Protocol.HTTP_2);
      assertThat(first.string()).isEqualTo("hello HTTP/2");
      ClientResponse second = client.send(get(server.url("/hello")));
      assertThat(second.protocol()).isEqualTo(Protocol.HTTP_2);
      assertThat(second.string()).isEqualTo("hello HTTP/2");
      assertThat(client.connectionsOpened()).isEqualTo(1);
    }
  }

  @Test
  void forcedHttp1ReusesKeepAliveConnectionsWithinTheBound() throws Exception {
    try (Http2Client client =
        client().connectionMode(ConnectionMode.HTTP_1_1).maxHttp1ConnectionsPerOrigin(4).build()) {
      for (int i = 0; i < 20; i++) {
        ClientResponse response = client.send(get(server.url("/hello")));
        assertThat(response.protocol()).isEqualTo(Protocol.HTTP_1_1);
        assertThat(response.string()).isEqualTo("hello HTTP/1.1");
      }
      assertThat(client.connectionsOpened()).isEqualTo(1);

      server.maxInSlow.set(0);
      server.slowGate = new CountDownLatch(1);
      server.slowArrived = new CountDownLatch(4);
      // Each body is read as its head arrives: an unread HTTP/1.1 response holds its pooled
      // connection, so waiting on the futures in order could wait on a slot it holds itself.
      List<CompletableFuture<String>> futures = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        futures.add(
            client
                .sendAsync(get(server.url("/slow")))
                .thenApply(
                    response -> {
                      try {
                        return response.string();
                      } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                      }
                    }));
      }
      assertThat(server.slowArrived.await(10, TimeUnit.SECONDS)).isTrue();
      server.slowGate.countDown();
      for (var f : futures) assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo("slow done");
      assertThat(server.maxInSlow.get()).isLessThanOrEqualTo(4);
      assertThat(client.connectionsOpened()).isLessThanOrEqualTo(4);
    }
  }

  @Test
  void tlsNegotiatesH2OrHttp11WithAlpn(@TempDir Path dir) throws Exception {
    TlsConfig tls = ServerFixture.selfSigned(dir);
    try (ServerFixture tlsServer = new ServerFixture(tls)) {
      try (Http2Client client = client().insecure(true).build()) {
        ClientResponse response = client.send(get(tlsServer.httpsUrl("/hello")));
        assertThat(response.protocol()).isEqualTo(Protocol.HTTP_2);
        assertThat(response.string()).isEqualTo("hello HTTP/2");
      }
      try (Http2Client client =
          client().insecure(true).connectionMode(ConnectionMode.HTTP_1_1).build()) {
        ClientResponse response = client.send(get(tlsServer.httpsUrl("/hello")));
        assertThat(response.protocol()).isEqualTo(Protocol.HTTP_1_1);
        assertThat(response.string()).isEqualTo("hello HTTP/1.1");
      }
      try (Http2Client client = client().build()) {
        assertThatThrownBy(() -> client.send(get(tlsServer.httpsUrl("/hello"))))
            .isInstanceOf(SSLHandshakeException.class);
      }
    }
  }

  @Test
  void uploads64MiBWithFlowControl() throws Exception {
    long size = 64L << 20;
    String expected = TestSupport.sha256(TestSupport.patternStream(size));
    try (Http2Client client = client().build()) {
      ClientResponse response =
          client.send(
              ClientRequest.builder(server.url("/upload"))
                  .method("PUT")
                  .body(() -> TestSupport.patternStream(size), size)
                  .build());
      assertThat(response.protocol()).isEqualTo(Protocol.HTTP_2);
      assertThat(response.string()).isEqualTo(size + " " + expected);
    }
  }

  @Test
  void trailersTravelBothWays() throws Exception {
    for (ConnectionMode mode : List.of(ConnectionMode.PRIOR_KNOWLEDGE, ConnectionMode.HTTP_1_1)) {
      try (Http2Client client = client().connectionMode(mode).build()) {
        ClientResponse response =
            client.send(
                ClientRequest.builder(server.url("/echo"))
                    .method("POST")
                    .body("with trailers")
                    .trailers(HttpFields.of("x-checksum", "abc123"))
                    .build());
        assertThat(response.string()).as(mode.name()).isEqualTo("with trailers");
        assertThat(response.trailers().get("echo-x-checksum")).as(mode.name()).isEqualTo("abc123");
      }
    }
  }

  @Test
  void slowConsumerKeepsTheServerWithinTheWindow() throws Exception {
    long size = 64L << 20;
    int window = 256 * 1024;
    try (Http2Client client = client().initialWindowSize(window).build()) {
      ClientResponse response = client.send(get(server.url("/big?n=" + size)));
      InputStream body = response.body();
      byte[] buffer = new byte[32 * 1024];
      long read = 0;
      for (int round = 0; round < 3; round++) {
        // wait until the server's writer is parked waiting for flow-control credit
        TestSupport.awaitCondition(
            "the server to block on flow control",
            Duration.ofSeconds(10),
            () -> {
              Thread t = server.bigWriter.get();
              return t != null
                  && Arrays.stream(t.getStackTrace())
                      .anyMatch(f -> f.getMethodName().equals("acquireCredit"));
            });
        long inFlight = server.bigWritten.get() - read;
        assertThat(inFlight)
            .as("bytes written by the server but not read by the client")
            .isLessThanOrEqualTo(window + 64 * 1024);
        for (int i = 0; i < 64; i++) {
          int n = body.read(buffer);
          assertThat(n).isPositive();
          read += n;
        }
      }
      for (int n; (n = body.read(buffer)) >= 0; ) read += n;
      assertThat(read).isEqualTo(size);
    }
  }

  @Test
  void gracefulServerShutdownLetsStreamsInFlightFinish() throws Exception {
    try (ServerFixture closing = new ServerFixture();
        Http2Client client = client().build()) {
      closing.slowGate = new CountDownLatch(1);
      closing.slowArrived = new CountDownLatch(3);
      List<CompletableFuture<ClientResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 3; i++) futures.add(client.sendAsync(get(closing.url("/slow"))));
      assertThat(closing.slowArrived.await(10, TimeUnit.SECONDS)).isTrue();
      Thread closer = Thread.ofVirtual().start(closing.server::close); // GOAWAY, then drains
      TestSupport.awaitCondition(
          "the GOAWAY to arrive",
          Duration.ofSeconds(10),
          () -> {
            try {
              client.send(get(closing.url("/hello")));
              return false;
            } catch (java.io.IOException e) {
              return true; // the listener is gone and the old connection takes no new streams
            }
          });
      closing.slowGate.countDown();
      for (var f : futures) assertThat(f.get(20, TimeUnit.SECONDS).string()).isEqualTo("slow done");
      closer.join();
    }
  }

  @Test
  void closeLeavesNoThreadsAndNoSockets() throws Exception {
    Http2Client client = client().connectionMode(ConnectionMode.PRIOR_KNOWLEDGE).build();
    try (Http2Client http1 = client().connectionMode(ConnectionMode.HTTP_1_1).build()) {
      assertThat(client.send(get(server.url("/hello"))).string()).isEqualTo("hello HTTP/2");
      assertThat(http1.send(get(server.url("/hello"))).string()).isEqualTo("hello HTTP/1.1");
      var async = client.sendAsync(get(server.url("/hello")));
      assertThat(async.get(10, TimeUnit.SECONDS).string()).isEqualTo("hello HTTP/2");
      assertThat(TestSupport.socketsTo(server.server.port())).isEqualTo(2);
      assertThat(TestSupport.threadsNamed(client.name)).isNotEmpty();
      // the engine's reader and writer are virtual threads: the dump must show them
      assertThat(TestSupport.threadsNamed("h2-client-" + server.server.port())).isNotEmpty();
      client.close();
      http1.close();
      assertThat(TestSupport.socketsTo(server.server.port())).isZero();
      assertThat(TestSupport.threadsNamed("h2-client")).isEmpty();
    }
  }
}
