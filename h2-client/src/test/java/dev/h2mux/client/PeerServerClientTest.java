package dev.h2mux.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.frame.Http2Settings;
import dev.h2mux.testkit.FramePeer;
import dev.h2mux.testkit.PeerServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against scripted servers of the shared frame-trace peer (h2-core's test jar). */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PeerServerClientTest {
  private static Http2Client client() {
    return Http2Client.builder()
        .connectTimeout(Duration.ofSeconds(5))
        .responseTimeout(Duration.ofSeconds(10))
        .build();
  }

  @Test
  void aRequestAndItsResponseAreTracedFrameByFrame() throws Exception {
    try (PeerServer server =
            new PeerServer(
                (n, peer) -> {
                  peer.handshake();
                  FramePeer.Head request = peer.awaitRequest();
                  peer.respond(request.streamId(), "from the peer");
                  peer.drain();
                });
        Http2Client client = client()) {
      ClientResponse response = client.send(ClientRequest.builder(server.url("/x")).build());
      assertThat(response.string()).isEqualTo("from the peer");
      client.close();
      assertThat(server.failures()).isEmpty();
      assertThat(server.peers().get(0).trace())
          .anyMatch(l -> l.startsWith("<< HEADERS 1 END_STREAM|END_HEADERS :method=GET"))
          .contains(
              ">> HEADERS 1 END_HEADERS :status=200 content-length=13", ">> DATA 1 END_STREAM 13");
    }
  }

  @Test
  void theClientDisablesPushInItsPreface() throws Exception {
    try (PeerServer server =
            new PeerServer(
                (n, peer) -> {
                  peer.handshake();
                  peer.respond(peer.awaitRequest().streamId(), "");
                  peer.drain();
                });
        Http2Client client = client()) {
      client.send(ClientRequest.builder(server.url("/")).build()).close();
      client.close();
      // §8.4: a client that will not accept push says so, so the server never sends PUSH_PROMISE
      Http2Settings settings = server.peers().get(0).otherSettings();
      assertThat(settings.isSet(Http2Settings.ENABLE_PUSH)).isTrue();
      assertThat(settings.enablePush()).isFalse();
    }
  }
}
