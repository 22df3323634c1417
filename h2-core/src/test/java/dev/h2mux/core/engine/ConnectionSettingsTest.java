package dev.h2mux.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.frame.Http2Exception;
import dev.h2mux.core.frame.Http2Settings;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Both ends' SETTINGS (RFC 9113 §6.5) and what applying the peer's does, with no socket. */
class ConnectionSettingsTest {
  private final Http2Connection client =
      new Http2Connection(
          Http2Connection.Role.CLIENT,
          Http2Config.DEFAULTS.withInitialWindowSize(16_384),
          new Socket(),
          InputStream.nullInputStream(),
          OutputStream.nullOutputStream(),
          new Http2Connection.Listener() {});
  private final ConnectionSettings settings = client.settings;

  @BeforeEach
  void lock() {
    client.lock.lock();
  }

  @AfterEach
  void unlock() {
    client.lock.unlock();
  }

  @Test
  void aClientsPrefaceDisablesPush() {
    Http2Settings ours = settings.ours();
    assertThat(ours.get(Http2Settings.ENABLE_PUSH, -1)).isZero();
    assertThat(ours.get(Http2Settings.INITIAL_WINDOW_SIZE, -1)).isEqualTo(16_384);
  }

  @Test
  void aSmallerReceiveWindowAppliesOnlyOnceOurSettingsAreAcknowledged() {
    // Until then the peer may assume 65,535 for a new stream (§6.9.2).
    assertThat(settings.localInitialWindowLocked()).isEqualTo(65_535);
    settings.acknowledgedLocked();
    assertThat(settings.localInitialWindowLocked()).isEqualTo(16_384);
  }

  @Test
  void untilThePeersSettingsComeAHundredStreamsAreAssumed() throws Http2Exception {
    assertThat(settings.peerMaxConcurrentStreamsLocked()).isEqualTo(100); // §6.5.2
    settings.receivedLocked(Http2Settings.EMPTY);
    assertThat(settings.peerMaxConcurrentStreamsLocked()).isEqualTo(Integer.MAX_VALUE);
    settings.receivedLocked(Http2Settings.EMPTY.with(Http2Settings.MAX_CONCURRENT_STREAMS, 7));
    assertThat(settings.peerMaxConcurrentStreamsLocked()).isEqualTo(7);
  }

  @Test
  void aNewInitialWindowMovesEveryStreamsSendWindow() throws Http2Exception {
    Http2Stream stream = new Http2Stream(client, 1, StreamState.OPEN, 65_535, 65_535);
    client.streams.addLocalLocked(stream);
    stream.sendWindow.take(60_000);
    settings.receivedLocked(Http2Settings.EMPTY.with(Http2Settings.INITIAL_WINDOW_SIZE, 1_000));
    assertThat(stream.sendWindow.window()).isEqualTo(5_535 - 64_535); // may go negative
    assertThat(settings.peerInitialWindowLocked()).isEqualTo(1_000);
    stream.sendWindow.add(59_000);
    stream.sendWindow.add(Integer.MAX_VALUE); // exactly 2^31-1
    assertThatThrownBy(
            () ->
                settings.receivedLocked(
                    Http2Settings.EMPTY.with(Http2Settings.INITIAL_WINDOW_SIZE, 1_001)))
        .isInstanceOfSatisfying(
            Http2Exception.class,
            e -> {
              assertThat(e.isConnectionError()).isTrue();
              assertThat(e.error()).isEqualTo(ErrorCode.FLOW_CONTROL_ERROR);
            });
  }

  @Test
  void onlyASettingsFrameChangesTheFrameSizeWeSend() throws Http2Exception {
    Http2Settings larger = Http2Settings.EMPTY.with(Http2Settings.MAX_FRAME_SIZE, 32_768);
    settings.fromUpgradeLocked(larger); // the writer learns frame sizes from frames only
    assertThat(settings.peerMaxFrameSize()).isEqualTo(FrameType.DEFAULT_MAX_FRAME_SIZE);
    assertThat(settings.peerSentLocked().maxFrameSize()).isEqualTo(32_768);
    settings.receivedLocked(larger);
    assertThat(settings.peerMaxFrameSize()).isEqualTo(32_768);
  }
}
