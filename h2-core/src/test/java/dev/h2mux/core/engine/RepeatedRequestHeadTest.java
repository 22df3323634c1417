package dev.h2mux.core.engine;

import static dev.h2mux.testkit.FramePeer.request;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Http2Settings;
import dev.h2mux.core.http.RequestHead;
import dev.h2mux.testkit.EngineUnderTest;
import dev.h2mux.testkit.FramePeer;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A request whose field block repeats the last one is made once and reused (InboundHeaders): each
 * stream still gets the request its own block says, and a repeated malformed block is refused each
 * time.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RepeatedRequestHeadTest {
  /** Answers with the request's method, path and {@code x-v} field. */
  private static final EngineUnderTest.StreamHandler DESCRIBE =
      stream -> {
        RequestHead head = stream.request();
        stream.sendHeaders(HttpFields.of(":status", "200"), false);
        String text = head.method() + " " + head.path() + " " + head.headers().get("x-v");
        stream.output().write(text.getBytes(ISO_8859_1));
        stream.output().close();
      };

  private EngineUnderTest server;

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) server.close();
  }

  private static String answer(FramePeer peer, int id, String path, String value)
      throws IOException {
    peer.headers(id, true, request("GET", path, "x-v", value));
    return peer.readResponse(id).text();
  }

  @Test
  void repeatedAndChangedHeadsEachGetTheirOwnRequest() throws Exception {
    server = EngineUnderTest.server(Http2Config.DEFAULTS, DESCRIBE);
    FramePeer peer = server.peer().handshake(Http2Settings.EMPTY);
    // The first block fills the peer's HPACK table; the next ones are indexed, byte for byte the
    // same: the decoder returns its kept block, and the request made from it is reused.
    assertThat(answer(peer, 1, "/a", "1")).isEqualTo("GET /a 1");
    assertThat(answer(peer, 3, "/a", "1")).isEqualTo("GET /a 1");
    assertThat(answer(peer, 5, "/a", "1")).isEqualTo("GET /a 1");
    assertThat(answer(peer, 7, "/b", "2")).isEqualTo("GET /b 2");
    assertThat(answer(peer, 9, "/b", "2")).isEqualTo("GET /b 2");
    assertThat(answer(peer, 11, "/a", "1")).isEqualTo("GET /a 1");
    assertThat(answer(peer, 13, "/a", "1")).isEqualTo("GET /a 1");
  }

  @Test
  void aRepeatedMalformedHeadIsRefusedEachTime() throws Exception {
    server = EngineUnderTest.server(Http2Config.DEFAULTS, DESCRIBE);
    FramePeer peer = server.peer().handshake(Http2Settings.EMPTY);
    assertThat(answer(peer, 1, "/a", "1")).isEqualTo("GET /a 1");
    assertThat(answer(peer, 3, "/a", "1")).isEqualTo("GET /a 1");
    // No :scheme (RFC 9113 §8.3.1): malformed, a stream error, however often it comes.
    for (int id = 5; id <= 9; id += 2) {
      peer.headers(id, true, ":method", "GET", ":authority", "localhost", ":path", "/c");
      peer.expectRstStream(id, ErrorCode.PROTOCOL_ERROR);
    }
    assertThat(answer(peer, 11, "/a", "1")).isEqualTo("GET /a 1");
  }
}
