package dev.h2mux.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Which ACK completes which PING, with no socket (the writer's queue just holds the PINGs). */
class PingsTest {
  private final Http2Connection connection =
      new Http2Connection(
          Http2Connection.Role.CLIENT,
          Http2Config.DEFAULTS,
          new Socket(),
          InputStream.nullInputStream(),
          OutputStream.nullOutputStream(),
          new Http2Connection.Listener() {});
  private final Pings pings = connection.pings;

  @Test
  void eachAckCompletesItsOwnPingOnly() {
    CompletableFuture<Void> first = pings.send();
    CompletableFuture<Void> second = pings.sendAfterQueued();
    pings.acknowledged(2); // payloads count from 1
    assertThat(second).isCompleted();
    assertThat(first).isNotDone();
    pings.acknowledged(2); // a second ACK of it, or one of a PING never sent: ignored
    pings.acknowledged(42);
    assertThat(first).isNotDone();
    pings.acknowledged(1);
    assertThat(first).isCompleted();
  }

  @Test
  void theConnectionsEndHandsOverThePingsNotAnswered() {
    CompletableFuture<Void> pending = pings.send();
    List<CompletableFuture<Void>> unanswered;
    connection.lock.lock();
    try {
      unanswered = pings.takeAllLocked();
    } finally {
      connection.lock.unlock();
    }
    assertThat(unanswered).containsExactly(pending);
    connection.closeNow();
    assertThat(pings.send()).isCompletedExceptionally();
  }
}
