package dev.h2mux.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.testkit.FramePeer;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP/2 idle timeout, which the acceptor's sweep keeps while the reader waits for frames
 * without a socket timeout (SweptWaits in h2-core).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class Http2IdleTimeoutTest {
  private Http2Server server;

  @AfterEach
  void stop() {
    if (server != null) server.closeNow();
  }

  private FramePeer connect(Duration idleTimeout, Handler handler) throws IOException {
    server = Http2Server.builder().port(0).idleTimeout(idleTimeout).handler(handler).build();
    server.start();
    return FramePeer.connect(server.port()).handshake();
  }

  private static void hello(Response response) throws IOException {
    try (OutputStream body = response.body()) {
      body.write("hello".getBytes(UTF_8));
    }
  }

  @Test
  void aConnectionIdleAfterItsLastStreamIsClosedGracefully() throws Exception {
    try (FramePeer peer = connect(Duration.ofMillis(200), (request, response) -> hello(response))) {
      peer.get(1, "/");
      assertThat(peer.framesUntilEndStream(1)).hasSize(2);
      // Nothing more is sent: the reader waits without a timeout, and the sweep closes.
      peer.expectGracefulClose();
    }
  }

  @Test
  void aStreamOpenLongerThanTheIdleTimeoutKeepsItsConnection() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    Handler slow =
        (request, response) -> {
          try {
            // Open for several idle timeouts (and sweeps): the connection is not idle.
            assertThat(never.await(600, TimeUnit.MILLISECONDS)).isFalse();
          } catch (InterruptedException e) {
            throw new IOException(e);
          }
          hello(response);
        };
    try (FramePeer peer = connect(Duration.ofMillis(100), slow)) {
      peer.get(1, "/");
      assertThat(peer.framesUntilEndStream(1)).hasSize(2);
      peer.expectGracefulClose();
    }
  }
}
