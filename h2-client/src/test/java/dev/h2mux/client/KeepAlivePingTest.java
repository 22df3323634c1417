package dev.h2mux.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.frame.Frame;
import dev.h2mux.testkit.FramePeer;
import dev.h2mux.testkit.PeerServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Keep-alive PINGs: sent at the interval, and a peer that stops answering loses the connection. */
class KeepAlivePingTest {
  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static ClientRequest get(String url) {
    return ClientRequest.get(URI.create(url));
  }

  @Test
  void pingsAreSentAtTheInterval() throws Exception {
    AtomicReference<FramePeer> peerRef = new AtomicReference<>();
    try (PeerServer server =
            new PeerServer(
                (n, peer) -> {
                  peerRef.set(peer);
                  peer.handshake();
                  // answers every PING meanwhile
                  for (FramePeer.Head r; (r = peer.nextRequest()) != null; ) {
                    peer.respond(r.streamId(), "ok");
                  }
                });
        Http2Client client =
            Http2Client.builder()
                .connectTimeout(Duration.ofSeconds(5))
                .pingInterval(INTERVAL)
                .build()) {
      assertThat(client.send(get(server.url("/"))).string()).isEqualTo("ok");
      List<Long> times = peerRef.get().pingTimes();
      // the first PING is the one that waits for the server's SETTINGS while connecting
      TestSupport.awaitCondition("four keep-alive PINGs", WAIT, () -> times.size() >= 5);

      // never faster than the interval: PINGs k and k+3 are at least three intervals apart,
      // less a little for delivery jitter
      long span = times.get(4) - times.get(1);
      assertThat(Duration.ofNanos(span)).isGreaterThan(INTERVAL.multipliedBy(3).minusMillis(30));
      // answered PINGs keep the connection
      assertThat(client.send(get(server.url("/"))).string()).isEqualTo("ok");
      assertThat(client.connectionsOpened()).isEqualTo(1);
      assertThat(server.failures()).isEmpty();
    }
  }

  @Test
  void unansweredPingClosesTheConnectionAndFailsPendingRequests() throws Exception {
    Duration pingTimeout = Duration.ofMillis(300);
    CountDownLatch requested = new CountDownLatch(1);
    CompletableFuture<Frame.GoAway> goAway = new CompletableFuture<>();
    CompletableFuture<Void> eof = new CompletableFuture<>();
    try (PeerServer server =
            new PeerServer(
                (n, peer) -> {
                  peer.handshake();
                  if (n == 0) {
                    peer.nextRequest();
                    peer.answerPings(false); // alive at the TCP level, silent at the HTTP/2 level
                    requested.countDown();
                    for (Frame f; (f = peer.next()) != null; ) {
                      if (f instanceof Frame.GoAway g) goAway.complete(g);
                    }
                    eof.complete(null);
                  } else {
                    peer.respond(peer.nextRequest().streamId(), "new connection");
                    peer.drain();
                  }
                });
        Http2Client client =
            Http2Client.builder()
                .connectTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(30))
                .pingInterval(INTERVAL)
                .pingTimeout(pingTimeout)
                .build()) {
      // GET is idempotent: the failure must still reach the caller rather than be retried
      var pending = client.sendAsync(get(server.url("/never")));
      assertThat(requested.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      long silentFrom = System.nanoTime();

      assertThatThrownBy(() -> pending.get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(Http2ClientException.class)
          .hasMessageContaining("no PING ACK within 300 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - silentFrom))
          .isGreaterThanOrEqualTo(pingTimeout.minusMillis(20));
      assertThat(goAway.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
      eof.get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertThat(client.send(get(server.url("/next"))).string()).isEqualTo("new connection");
      assertThat(client.connectionsOpened()).isEqualTo(2);
      assertThat(server.failures()).isEmpty();
    }
  }

  @Test
  void pingTimeoutDefaultsToTheIntervalButAtLeastOneSecond() {
    try (Http2Client fast = Http2Client.builder().pingInterval(INTERVAL).build();
        Http2Client slow = Http2Client.builder().pingInterval(Duration.ofSeconds(30)).build();
        Http2Client off = Http2Client.builder().build()) {
      assertThat(fast.settings.pingTimeout()).isEqualTo(Duration.ofSeconds(1));
      assertThat(slow.settings.pingTimeout()).isEqualTo(Duration.ofSeconds(30));
      assertThat(off.settings.pingTimeout()).isNull();
    }
  }
}
