package dev.h2mux.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.testkit.PeerServer;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Unused connections are closed after the idle timeout, HTTP/2 and pooled HTTP/1.1 alike. */
class IdleTimeoutTest {
  private static final Duration IDLE = Duration.ofMillis(300);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static Http2ClientBuilder client() {
    return Http2Client.builder()
        .connectTimeout(Duration.ofSeconds(5))
        .responseTimeout(Duration.ofSeconds(20))
        .idleTimeout(IDLE);
  }

  private static ClientRequest get(String url) {
    return ClientRequest.get(URI.create(url));
  }

  @Test
  void idleHttp2ConnectionGetsGoAwayThenCloses() throws Exception {
    CompletableFuture<Frame.GoAway> goAway = new CompletableFuture<>();
    CompletableFuture<Long> eof = new CompletableFuture<>();
    CompletableFuture<Long> responded = new CompletableFuture<>();
    try (PeerServer server =
            new PeerServer(
                (n, peer) -> {
                  peer.handshake();
                  peer.respond(peer.nextRequest().streamId(), "connection " + n);
                  if (n == 0) {
                    responded.complete(
                        System.nanoTime()); // the last frame: the connection idles from here
                    for (Frame f; (f = peer.next()) != null; ) {
                      if (f instanceof Frame.GoAway g) goAway.complete(g);
                    }
                    eof.complete(System.nanoTime());
                  } else {
                    peer.drain();
                  }
                });
        Http2Client client = client().build()) {
      assertThat(client.send(get(server.url("/a"))).string()).isEqualTo("connection 0");
      long idleFrom = responded.get(WAIT.toSeconds(), TimeUnit.SECONDS);

      Frame.GoAway g = goAway.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      long closedAt = eof.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(g.error()).isEqualTo(ErrorCode.NO_ERROR);
      assertThat(g.lastStreamId()).isZero(); // the server opened no streams
      // not before the idle timeout (slack for socket timeouts' millisecond granularity)
      assertThat(Duration.ofNanos(closedAt - idleFrom)).isGreaterThan(IDLE.minusMillis(20));

      assertThat(client.send(get(server.url("/b"))).string()).isEqualTo("connection 1");
      assertThat(client.connectionsOpened()).isEqualTo(2);
      assertThat(server.failures()).isEmpty();
    }
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aBodyThatStallsFailsAfterTheIdleTimeout() throws Exception {
    // The client's connections leave the body reads' idle timeout to the client's timer
    // (Http2Connection.timeReadsByOwner): the read must still end, and the stream with it.
    CompletableFuture<Frame.RstStream> reset = new CompletableFuture<>();
    try (PeerServer server =
            new PeerServer(
                (n, peer) -> {
                  peer.handshake();
                  int id = peer.nextRequest().streamId();
                  peer.headers(id, false, ":status", "200");
                  peer.data(id, false, "part"); // then nothing more
                  reset.complete(peer.awaitFrame(Frame.RstStream.class));
                  peer.drain();
                });
        Http2Client client = client().build()) {
      ClientResponse response = client.send(get(server.url("/stalls")));
      InputStream body = response.body();
      assertThat(body.readNBytes(4)).isEqualTo("part".getBytes(StandardCharsets.US_ASCII));
      long start = System.nanoTime();
      assertThatThrownBy(body::read)
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessageContaining("idle timeout");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(IDLE);
      response.close();
      assertThat(reset.get(WAIT.toSeconds(), TimeUnit.SECONDS).error()).isEqualTo(ErrorCode.CANCEL);
      assertThat(server.failures()).isEmpty();
    }
  }

  @Test
  void aConnectionInUseIsNotIdle() throws Exception {
    // A longer idle timeout than the other tests: the gaps below must stay under it even on
    // a loaded CI machine, where a thread can be descheduled for a few hundred milliseconds.
    Duration idle = Duration.ofSeconds(1);
    try (ServerFixture server = new ServerFixture();
        Http2Client client = client().idleTimeout(idle).build()) {
      // Short requests every 100 ms for three idle timeouts: each gap is far under the
      // timeout, so the connection is never idle for it. The gaps are what this test is
      // about, hence the sleep; the idle clock must restart at each stream's end, not at a
      // timer tick.
      long until = System.nanoTime() + 3 * idle.toNanos();
      while (System.nanoTime() < until) {
        assertThat(client.send(get(server.url("/hello"))).string()).isEqualTo("hello HTTP/2");
        Thread.sleep(100);
      }
      assertThat(client.connectionsOpened()).isEqualTo(1);
    }
  }

  @Test
  void ownServerSeesIdleConnectionsClosedForBothProtocols() throws Exception {
    for (ConnectionMode mode :
        new ConnectionMode[] {ConnectionMode.PRIOR_KNOWLEDGE, ConnectionMode.HTTP_1_1}) {
      try (ServerFixture server = new ServerFixture();
          Http2Client client = client().connectionMode(mode).build()) {
        int port = server.server.port();
        String expected = mode == ConnectionMode.HTTP_1_1 ? "hello HTTP/1.1" : "hello HTTP/2";
        assertThat(client.send(get(server.url("/hello"))).string()).isEqualTo(expected);
        assertThat(TestSupport.socketsTo(port)).as(mode.name()).isEqualTo(1);

        TestSupport.awaitCondition(
            mode + " connection to close", WAIT, () -> uncheckedSocketsTo(port) == 0);

        assertThat(client.send(get(server.url("/hello"))).string()).isEqualTo(expected);
        assertThat(client.connectionsOpened()).as(mode.name()).isEqualTo(2);
      }
    }
  }

  @Test
  void idlePooledHttp1ConnectionIsClosed() throws Exception {
    try (ScriptedHttp1Server server = new ScriptedHttp1Server();
        Http2Client client = client().connectionMode(ConnectionMode.HTTP_1_1).build()) {
      assertThat(client.send(get(server.url("/a"))).string()).isEqualTo("ok 1");
      // the timer closes the pooled connection: the server reads the end of the stream
      TestSupport.awaitCondition(
          "the server to see the close", WAIT, () -> server.closedByClient.get() == 1);
      assertThat(client.send(get(server.url("/b"))).string()).isEqualTo("ok 2");
      assertThat(client.connectionsOpened()).isEqualTo(2);
      assertThat(server.connections.get()).isEqualTo(2);
    }
  }

  private static int uncheckedSocketsTo(int port) {
    try {
      return TestSupport.socketsTo(port);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
