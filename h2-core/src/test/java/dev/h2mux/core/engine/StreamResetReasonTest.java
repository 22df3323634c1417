package dev.h2mux.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.engine.StreamResetException.Reason;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.Http2Settings;
import dev.h2mux.testkit.EngineUnderTest;
import dev.h2mux.testkit.FramePeer;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowingConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every way a client stream ends abnormally carries its {@link Reason}, for callers to switch on.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class StreamResetReasonTest {
  private static final long WAIT = TimeUnit.SECONDS.toNanos(5);
  private EngineUnderTest client;
  private FramePeer peer;

  @AfterEach
  void tearDown() throws Exception {
    if (client != null) client.close();
  }

  private void start() throws IOException {
    client = EngineUnderTest.client(Http2Config.DEFAULTS);
    peer = client.peer();
    peer.handshake(Http2Settings.EMPTY);
  }

  private Http2Stream send(String path) throws IOException {
    HttpFields fields =
        HttpFields.of(
            ":method", "GET", ":scheme", "http", ":authority", "localhost", ":path", path);
    Http2Stream stream = client.engine().newStream(fields, true, WAIT);
    peer.expectHeaders(stream.id());
    return stream;
  }

  private static ThrowingConsumer<Throwable> ended(Reason reason, ErrorCode error) {
    return t -> {
      assertThat(t).isInstanceOf(StreamResetException.class);
      StreamResetException e = (StreamResetException) t;
      assertThat(e.reason()).as("reason of %s", e).isEqualTo(reason);
      assertThat(e.error()).as("error of %s", e).isEqualTo(error);
      assertThat(e.isRetryable()).as("retryable: %s", e).isEqualTo(reason == Reason.REFUSED);
    };
  }

  @Test
  void peerResetAndRefusalAreTold() throws IOException {
    start();
    Http2Stream cancelled = send("/1");
    Http2Stream refused = send("/3");
    peer.send(new Frame.RstStream(1, ErrorCode.CANCEL));
    peer.send(new Frame.RstStream(3, ErrorCode.REFUSED_STREAM));
    assertThatThrownBy(() -> cancelled.awaitResponse(WAIT))
        .satisfies(ended(Reason.PEER_RESET, ErrorCode.CANCEL));
    assertThatThrownBy(() -> refused.awaitResponse(WAIT))
        .satisfies(ended(Reason.REFUSED, ErrorCode.REFUSED_STREAM));
  }

  @Test
  void goAwayRefusesStreamsAboveItsLastIdAndAnErrorClosesTheRest() throws IOException {
    start();
    Http2Stream taken = send("/1");
    Http2Stream above = send("/3");
    peer.send(new Frame.GoAway(1, ErrorCode.INTERNAL_ERROR, "boom"));
    assertThatThrownBy(() -> above.awaitResponse(WAIT))
        .satisfies(ended(Reason.REFUSED, ErrorCode.REFUSED_STREAM));
    assertThatThrownBy(() -> taken.awaitResponse(WAIT))
        .satisfies(ended(Reason.CONNECTION_CLOSED, ErrorCode.CANCEL));
    assertThatThrownBy(() -> send("/5")).satisfies(ended(Reason.REFUSED, ErrorCode.REFUSED_STREAM));
    peer.expectClosed();
  }

  @Test
  void localResetsAreTold() throws IOException {
    start();
    Http2Stream cancelled = send("/1");
    Http2Stream malformed = send("/3");
    cancelled.reset(ErrorCode.CANCEL);
    peer.expectRstStream(1, ErrorCode.CANCEL);
    peer.headers(3, true, "content-type", "text/plain"); // no :status
    peer.expectRstStream(3, ErrorCode.PROTOCOL_ERROR);
    assertThatThrownBy(() -> cancelled.awaitResponse(WAIT))
        .satisfies(ended(Reason.LOCAL_RESET, ErrorCode.CANCEL));
    assertThatThrownBy(() -> malformed.awaitResponse(WAIT))
        .satisfies(ended(Reason.LOCAL_RESET, ErrorCode.PROTOCOL_ERROR));
  }

  @Test
  void theConnectionsEndIsTold() throws Exception {
    start();
    Http2Stream open = send("/1");
    peer.socket().close();
    assertThatThrownBy(() -> open.awaitResponse(WAIT))
        .satisfies(ended(Reason.CONNECTION_CLOSED, ErrorCode.CANCEL));
  }

  @Test
  void aSocketFailingUnderTheWriterEndsStreamsAndPingsToo() throws Exception {
    // The reader or the writer sees the reset first, as it happens: either way nothing may be
    // left waiting (the writer's close once left PINGs and streams pending for good).
    for (int i = 0; i < 20; i++) {
      start();
      Http2Stream open = send("/1");
      peer.socket().setSoLinger(true, 0);
      peer.socket().close(); // a reset
      CompletableFuture<Void> ping = client.engine().ping(); // something for the writer to write
      assertThatThrownBy(() -> open.awaitResponse(WAIT))
          .satisfies(ended(Reason.CONNECTION_CLOSED, ErrorCode.CANCEL));
      assertThatThrownBy(() -> ping.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class);
      client.close();
      client = null;
    }
  }

  @Test
  void aConnectionErrorWeFoundIsTold() throws Exception {
    start();
    Http2Stream open = send("/1");
    peer.send(new Frame.Data(2, new byte[] {1}, false)); // a stream the server never opened
    assertThatThrownBy(() -> open.awaitResponse(WAIT))
        .satisfies(ended(Reason.CONNECTION_CLOSED, ErrorCode.PROTOCOL_ERROR));
  }
}
