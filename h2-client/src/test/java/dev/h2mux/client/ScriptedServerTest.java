package dev.h2mux.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.testkit.FramePeer;
import dev.h2mux.testkit.PeerServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Server behaviour provoked frame by frame: refusals, GOAWAY, violations, cancellation. */
class ScriptedServerTest {

  private static Http2Client client() {
    return Http2Client.builder()
        .connectTimeout(Duration.ofSeconds(5))
        .responseTimeout(Duration.ofSeconds(20))
        .build();
  }

  @Test
  void refusedStreamIsRetriedOnANewConnection() throws Exception {
    try (PeerServer server =
            new PeerServer(
                (n, peer) -> {
                  peer.handshake();
                  int id = peer.nextRequest().streamId();
                  if (n == 0) {
                    peer.rstStream(id, ErrorCode.REFUSED_STREAM);
                    peer.drain();
                  } else {
                    peer.respond(id, "second connection");
                    peer.drain();
                  }
                });
        Http2Client client = client()) {
      // POST with a replayable body: not idempotent, yet safe to retry since it was refused
      ClientResponse response =
          client.send(
              ClientRequest.builder(server.url("/r")).method("POST").body("payload").build());
      assertThat(response.string()).isEqualTo("second connection");
      assertThat(server.connections()).isEqualTo(2);
      assertThat(server.failures()).isEmpty();
    }
  }

  @Test
  void streamsAboveGoAwayLastStreamIdAreRetried() throws Exception {
    try (PeerServer server =
            new PeerServer(
                (n, peer) -> {
                  peer.handshake();
                  if (n == 0) {
                    int first = peer.nextRequest().streamId();
                    peer.nextRequest();
                    peer.nextRequest();
                    peer.goAway(first, ErrorCode.NO_ERROR, "");
                    peer.respond(first, "first");
                    peer.drain();
                  } else {
                    for (int i = 0; i < 2; i++)
                      peer.respond(peer.nextRequest().streamId(), "retried");
                    peer.drain();
                  }
                });
        Http2Client client = client()) {
      List<CompletableFuture<ClientResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        futures.add(
            client.sendAsync(
                ClientRequest.builder(server.url("/" + i)).method("POST").body("x").build()));
      }
      List<String> bodies = new ArrayList<>();
      for (var f : futures) bodies.add(f.get(20, TimeUnit.SECONDS).string());
      assertThat(bodies).containsExactlyInAnyOrder("first", "retried", "retried");
      assertThat(client.connectionsOpened()).isEqualTo(2);
    }
  }

  @Test
  void protocolViolationIsAnsweredWithGoAwayAndFailsPendingRequests() throws Exception {
    CompletableFuture<Frame.GoAway> goAway = new CompletableFuture<>();
    try (PeerServer server =
            new PeerServer(
                (n, peer) -> {
                  peer.handshake();
                  peer.nextRequest();
                  peer.nextRequest();
                  // DATA on stream 2, which no one opened: a connection error (RFC 9113 §5.1)
                  peer.data(2, false, new byte[] {1, 2, 3});
                  goAway.complete(peer.awaitFrame(Frame.GoAway.class));
                  peer.drain();
                });
        Http2Client client = client()) {
      var a = client.sendAsync(ClientRequest.get(URI.create(server.url("/a"))));
      var b = client.sendAsync(ClientRequest.get(URI.create(server.url("/b"))));
      assertThat(goAway.get(10, TimeUnit.SECONDS).error()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
      for (var f : List.of(a, b)) {
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
            .hasCauseInstanceOf(Http2ClientException.class);
      }
    }
  }

  @Test
  void malformedResponseIsRejected() throws Exception {
    CompletableFuture<Frame.RstStream> reset = new CompletableFuture<>();
    try (PeerServer server =
            new PeerServer(
                (n, peer) -> {
                  peer.handshake();
                  int id = peer.nextRequest().streamId();
                  peer.headers(id, true, HttpFields.of("content-type", "text/plain")); // no :status
                  reset.complete(peer.awaitFrame(Frame.RstStream.class));
                  peer.drain();
                });
        Http2Client client = client()) {
      assertThatThrownBy(() -> client.send(ClientRequest.get(URI.create(server.url("/")))))
          .isInstanceOf(Http2ClientException.class)
          .hasMessageContaining("status");
      assertThat(reset.get(10, TimeUnit.SECONDS).error()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
    }
  }

  @Test
  void serverClosingMidResponseFailsOnlyThatResponse() throws Exception {
    try (PeerServer server =
            new PeerServer(
                (n, peer) -> {
                  peer.handshake();
                  FramePeer.Head first = peer.nextRequest();
                  boolean aIsPartial = first.fields().get(":path").equals("/partial");
                  int a = first.streamId();
                  int b = peer.nextRequest().streamId();
                  int partial = aIsPartial ? a : b;
                  int whole = aIsPartial ? b : a;
                  peer.headers(
                      partial, false, HttpFields.of(":status", "200", "content-length", "100"));
                  peer.data(partial, false, new byte[10]);
                  peer.respond(whole, "complete");
                  peer.socket().close();
                });
        Http2Client client = client()) {
      var firstFuture = client.sendAsync(ClientRequest.get(URI.create(server.url("/partial"))));
      var secondFuture = client.sendAsync(ClientRequest.get(URI.create(server.url("/whole"))));
      ClientResponse first = firstFuture.get(10, TimeUnit.SECONDS);
      ClientResponse second = secondFuture.get(10, TimeUnit.SECONDS);
      assertThat(second.string()).isEqualTo("complete");
      assertThatThrownBy(first::bytes)
          .isInstanceOf(Http2ClientException.class)
          .hasMessageContaining("closed");
    }
  }

  @Test
  void cancellingAFutureResetsTheStream() throws Exception {
    CountDownLatch requested = new CountDownLatch(1);
    CompletableFuture<Frame.RstStream> reset = new CompletableFuture<>();
    try (PeerServer server =
            new PeerServer(
                (n, peer) -> {
                  peer.handshake();
                  peer.nextRequest();
                  requested.countDown();
                  reset.complete(peer.awaitFrame(Frame.RstStream.class));
                  peer.drain();
                });
        Http2Client client = client()) {
      var future = client.sendAsync(ClientRequest.get(URI.create(server.url("/slow"))));
      assertThat(requested.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(future.cancel(true)).isTrue();
      Frame.RstStream rst = reset.get(10, TimeUnit.SECONDS);
      assertThat(rst.error()).isEqualTo(ErrorCode.CANCEL);
      assertThat(rst.streamId()).isEqualTo(1);
    }
  }
}
