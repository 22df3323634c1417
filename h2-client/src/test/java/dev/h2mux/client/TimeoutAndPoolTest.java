package dev.h2mux.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.testkit.PeerServer;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The response timeout bounds every wait of a request (the head, a stream slot, a pooled HTTP/1.1
 * connection, another request's connect), and the pool gives back what a failed or timed-out
 * request held.
 */
class TimeoutAndPoolTest {
  private static final Duration SHORT = Duration.ofMillis(300);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static Http2ClientBuilder client() {
    return Http2Client.builder().connectTimeout(Duration.ofSeconds(5));
  }

  private static ClientRequest get(String url) {
    return ClientRequest.get(URI.create(url));
  }

  private static ClientRequest get(String url, Duration timeout) {
    return ClientRequest.builder(url).timeout(timeout).build();
  }

  /** Runs {@code call}, expecting a timeout; returns how long it took. */
  private static Duration timesOut(ThrowingCall call, String... messageParts) {
    long start = System.nanoTime();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    try {
      call.run();
    } catch (Throwable t) {
      thrown.set(t);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(thrown.get()).isInstanceOf(SocketTimeoutException.class);
    for (String part : messageParts) assertThat(thrown.get()).hasMessageContaining(part);
    return took;
  }

  @FunctionalInterface
  interface ThrowingCall {
    void run() throws Exception;
  }

  @Test
  void http2ResponseTimeoutResetsThatStreamOnly() throws Exception {
    CountDownLatch neverArrived = new CountDownLatch(1);
    CompletableFuture<Frame.RstStream> reset = new CompletableFuture<>();
    try (PeerServer server =
            new PeerServer(
                (n, peer) -> {
                  peer.handshake();
                  int never = peer.nextRequest().streamId();
                  neverArrived.countDown();
                  int ok = peer.nextRequest().streamId();
                  reset.complete(peer.awaitFrame(Frame.RstStream.class));
                  // the reset stream's neighbour is answered only now, on the same connection
                  peer.respond(ok, "ok");
                  peer.respond(peer.nextRequest().streamId(), "after " + never);
                  peer.drain();
                });
        Http2Client client = client().responseTimeout(Duration.ofSeconds(20)).build()) {
      long start = System.nanoTime();
      var never = client.sendAsync(get(server.url("/never"), SHORT));
      assertThat(neverArrived.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      var ok = client.sendAsync(get(server.url("/ok")));
      Duration took =
          timesOut(
              () -> {
                try {
                  never.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                  throw (Exception) e.getCause();
                }
              },
              "no response from",
              "within the response timeout of 300 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(SHORT);
      assertThat(took).isLessThan(WAIT);
      assertThat(ok.get(WAIT.toSeconds(), TimeUnit.SECONDS).string()).isEqualTo("ok");

      Frame.RstStream rst = reset.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(rst.streamId()).isEqualTo(1);
      assertThat(rst.error()).isEqualTo(ErrorCode.CANCEL);
      assertThat(client.send(get(server.url("/after"))).string()).isEqualTo("after 1");
      assertThat(client.connectionsOpened()).isEqualTo(1);
      assertThat(server.failures()).isEmpty();
    }
  }

  @Test
  void http1ResponseTimeoutClosesThatConnection() throws Exception {
    try (ScriptedHttp1Server server = new ScriptedHttp1Server();
        Http2Client client =
            client().connectionMode(ConnectionMode.HTTP_1_1).responseTimeout(SHORT).build()) {
      Duration took =
          timesOut(
              () -> client.send(get(server.url("/hang"))),
              "no response from",
              "within the response timeout of 300 ms");
      assertThat(took).isGreaterThanOrEqualTo(SHORT);
      // the exchange can't be finished later: its connection is closed, not pooled
      TestSupport.awaitCondition(
          "the server to see the close", WAIT, () -> server.closedByClient.get() == 1);
      assertThat(client.send(get(server.url("/next"))).string()).isEqualTo("ok 2");
      assertThat(client.connectionsOpened()).isEqualTo(2);
    }
  }

  @Test
  void waitingForAPooledHttp1ConnectionTimesOut() throws Exception {
    try (ScriptedHttp1Server server = new ScriptedHttp1Server();
        Http2Client client =
            client()
                .connectionMode(ConnectionMode.HTTP_1_1)
                .maxHttp1ConnectionsPerOrigin(1)
                .build()) {
      ClientResponse unread = client.send(get(server.url("/first"))); // holds the only slot
      Duration took =
          timesOut(
              () -> client.send(get(server.url("/second"), SHORT)),
              "HTTP/1.1 connections to",
              "became free within the response timeout of 300 ms");
      assertThat(took).isGreaterThanOrEqualTo(SHORT).isLessThan(WAIT);
      assertThat(server.requests.get()).isEqualTo(1); // the second was never sent

      // the timed-out waiter took nothing with it: the slot frees and is reused
      assertThat(unread.string()).isEqualTo("ok 1");
      assertThat(client.send(get(server.url("/third"), SHORT)).string()).isEqualTo("ok 1");
      assertThat(client.connectionsOpened()).isEqualTo(1);
    }
  }

  @Test
  void cancellingAWaitForAPooledHttp1ConnectionEndsIt() throws Exception {
    try (ScriptedHttp1Server server = new ScriptedHttp1Server();
        Http2Client client =
            client()
                .connectionMode(ConnectionMode.HTTP_1_1)
                .maxHttp1ConnectionsPerOrigin(1)
                .build()) {
      ClientResponse unread = client.send(get(server.url("/first")));
      var waiting = client.sendAsync(get(server.url("/second"))); // no timeout at all
      assertThat(waiting.cancel(true)).isTrue();
      TestSupport.awaitCondition(
          "the cancelled request's thread to end",
          WAIT,
          () -> uncheckedThreads(client.name + "-async").isEmpty());
      assertThat(unread.string()).isEqualTo("ok 1");
      assertThat(client.send(get(server.url("/third"), SHORT)).string()).isEqualTo("ok 1");
      assertThat(server.requests.get()).isEqualTo(2);
      assertThat(client.connectionsOpened()).isEqualTo(1);
    }
  }

  @Test
  void waitingForAnotherRequestsUpgradeTimesOut() throws Exception {
    try (ScriptedHttp1Server server = new ScriptedHttp1Server();
        Http2Client client = client().connectionMode(ConnectionMode.UPGRADE).build()) {
      // the first request connects and sends its Upgrade; its response never comes, and it
      // has no timeout of its own
      var first = client.sendAsync(get(server.url("/hang")));
      TestSupport.awaitCondition("the upgrade request", WAIT, () -> server.hanging.get() == 1);
      Duration took =
          timesOut(
              () -> client.send(get(server.url("/second"), SHORT)),
              "no connection to",
              "was ready within the response timeout of 300 ms");
      assertThat(took).isGreaterThanOrEqualTo(SHORT).isLessThan(WAIT);
      assertThat(first).isNotDone();
    }
  }

  @Test
  void closeEndsARequestWaitingOnAnUpgradeWithoutTimeout() throws Exception {
    try (ScriptedHttp1Server server = new ScriptedHttp1Server()) {
      Http2Client client = client().connectionMode(ConnectionMode.UPGRADE).build();
      CompletableFuture<Throwable> outcome = new CompletableFuture<>();
      // a plain thread, as a synchronous caller: close() interrupts only its own async threads
      Thread caller =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      client.send(get(server.url("/hang")));
                      outcome.complete(null);
                    } catch (Throwable t) {
                      outcome.complete(t);
                    }
                  });
      TestSupport.awaitCondition("the upgrade request", WAIT, () -> server.hanging.get() == 1);
      client.close();
      assertThat(outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(IOException.class);
      caller.join(WAIT);
    }
  }

  @Test
  void declinedUpgradeWithAMalformedResponseGivesItsSlotBack() throws Exception {
    try (ScriptedHttp1Server server = new ScriptedHttp1Server();
        Http2Client client =
            client()
                .connectionMode(ConnectionMode.UPGRADE)
                .maxHttp1ConnectionsPerOrigin(1)
                .responseTimeout(Duration.ofSeconds(5))
                .build()) {
      assertThatThrownBy(() -> client.send(get(server.url("/bad"))))
          .isInstanceOf(Http2ClientException.class)
          .hasMessageContaining("malformed");
      // with the slot leaked, this would wait for a connection that never frees
      assertThat(client.send(get(server.url("/next"), SHORT)).string()).isEqualTo("ok 2");
    }
  }

  @Test
  void tlsOriginThatNegotiatesHttp11UsesThatConnection(@TempDir Path dir) throws Exception {
    var tls = ServerFixture.selfSigned(dir).sslContext();
    try (ScriptedHttp1Server server = new ScriptedHttp1Server(tls);
        Http2Client client =
            client()
                .insecure(true)
                .maxHttp1ConnectionsPerOrigin(1)
                .responseTimeout(Duration.ofSeconds(5))
                .build()) {
      // ALPN picks http/1.1 on the first connection; with a pool of one, that connection must
      // carry the request, or the request waits for the slot it holds
      ClientResponse first = client.send(get(server.url("/a")));
      assertThat(first.protocol()).isEqualTo(Protocol.HTTP_1_1);
      assertThat(first.string()).isEqualTo("ok 1");
      assertThat(client.send(get(server.url("/b"))).string()).isEqualTo("ok 1");
      assertThat(client.connectionsOpened()).isEqualTo(1);
      assertThat(server.connections.get()).isEqualTo(1);
    }
  }

  private static java.util.List<String> uncheckedThreads(String prefix) {
    try {
      return TestSupport.threadsNamed(prefix);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
