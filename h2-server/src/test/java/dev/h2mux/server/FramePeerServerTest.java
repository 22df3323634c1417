package dev.h2mux.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.testkit.FramePeer;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The whole server against the shared frame-trace peer (h2-core's test jar). */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FramePeerServerTest {
  private Http2Server server;

  @AfterEach
  void stop() {
    if (server != null) server.closeNow();
  }

  private FramePeer connect() throws Exception {
    server =
        Http2Server.builder()
            .port(0)
            .handler(
                (request, response) -> {
                  response.headers().set("content-type", "text/plain");
                  try (OutputStream body = response.body()) {
                    body.write("hello".getBytes(UTF_8));
                  }
                })
            .build()
            .start();
    return FramePeer.connect(server.port()).handshake();
  }

  @Test
  void aPriorKnowledgeGetIsAnsweredWithHeadersThenData() throws Exception {
    try (FramePeer peer = connect()) {
      peer.get(1, "/");
      List<String> frames = peer.framesUntilEndStream(1);
      assertThat(frames).hasSize(2);
      assertThat(frames.get(0))
          .startsWith("<< HEADERS 1 END_HEADERS :status=200 ")
          .contains(" content-type=text/plain");
      assertThat(frames.get(1)).isEqualTo("<< DATA 1 END_STREAM 5");
    }
  }

  @Test
  void aStreamIdAClientMayNotUseEndsTheConnection() throws Exception {
    try (FramePeer peer = connect()) {
      peer.get(2, "/"); // even: a server's id (§5.1.1)
      assertThat(peer.expectConnectionError(ErrorCode.PROTOCOL_ERROR).lastStreamId()).isZero();
    }
  }
}
