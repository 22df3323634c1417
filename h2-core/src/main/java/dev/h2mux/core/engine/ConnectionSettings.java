package dev.h2mux.core.engine;

import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.frame.Http2Exception;
import dev.h2mux.core.frame.Http2Settings;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The SETTINGS of both ends (RFC 9113 §6.5): ours, as the config has them, and whether the peer
 * acknowledged them; the peer's, as they apply to what we send. Applying the peer's moves every
 * stream's send window when its initial window size changes (§6.9.2).
 *
 * <p>Guarded by the connection's lock, except the peer's maximum frame size, which the streams read
 * for every DATA frame they size.
 */
final class ConnectionSettings {
  /**
   * The streams we open before the peer's SETTINGS say how many it takes: the RFC's recommended
   * minimum (§6.5.2), rather than streams it would refuse.
   */
  private static final int ASSUMED_MAX_CONCURRENT_STREAMS = 100;

  private final ReentrantLock lock;
  private final Http2Config config;
  private final boolean client;
  private final StreamTable streams;
  private final FlowControl flow;

  // Guarded by the lock.
  private Http2Settings peer = Http2Settings.DEFAULTS;

  /** Only what the peer sent (its SETTINGS and an h2c Upgrade's HTTP2-Settings), no defaults. */
  private Http2Settings peerSent = Http2Settings.EMPTY;

  private boolean oursAcknowledged;
  private boolean peerReceived;

  /** The peer's SETTINGS_MAX_FRAME_SIZE: streams size their DATA writes by it. */
  private volatile int peerMaxFrameSize = FrameType.DEFAULT_MAX_FRAME_SIZE;

  ConnectionSettings(Http2Connection connection) {
    this.lock = connection.lock;
    this.config = connection.config();
    this.client = connection.role() == Http2Connection.Role.CLIENT;
    this.streams = connection.streams;
    this.flow = connection.flow;
  }

  /** The SETTINGS of our preface. */
  Http2Settings ours() {
    Http2Settings ours =
        Http2Settings.EMPTY
            .with(Http2Settings.MAX_CONCURRENT_STREAMS, config.maxConcurrentStreams())
            .with(Http2Settings.INITIAL_WINDOW_SIZE, config.initialWindowSize())
            .with(Http2Settings.MAX_FRAME_SIZE, config.maxFrameSize())
            .with(Http2Settings.MAX_HEADER_LIST_SIZE, config.maxHeaderListSize());
    return client ? ours.with(Http2Settings.ENABLE_PUSH, 0) : ours;
  }

  /** The peer acknowledged our SETTINGS. */
  void acknowledgedLocked() {
    assert lock.isHeldByCurrentThread();
    oursAcknowledged = true;
  }

  /**
   * Applies a SETTINGS frame from the peer.
   *
   * @throws Http2Exception FLOW_CONTROL_ERROR if a stream's window would pass 2^31-1 (§6.9.2)
   */
  void receivedLocked(Http2Settings values) throws Http2Exception {
    assert lock.isHeldByCurrentThread();
    if (values.isSet(Http2Settings.MAX_FRAME_SIZE)) peerMaxFrameSize = values.maxFrameSize();
    applyLocked(values);
    peerReceived = true;
    streams.slotFreed.signalAll();
  }

  /**
   * Applies the HTTP2-Settings of an h2c Upgrade, which count as the client's first SETTINGS (RFC
   * 7540 §3.2.1). Its frame size is not applied: the writer learns frame sizes from SETTINGS frames
   * only.
   */
  void fromUpgradeLocked(Http2Settings values) throws Http2Exception {
    assert lock.isHeldByCurrentThread();
    applyLocked(values);
  }

  private void applyLocked(Http2Settings values) throws Http2Exception {
    assert lock.isHeldByCurrentThread();
    Http2Settings before = peer;
    peer = values.mergeInto(peer);
    peerSent = values.mergeInto(peerSent);
    if (values.isSet(Http2Settings.INITIAL_WINDOW_SIZE)) {
      // §6.9.2: every stream's window moves by the difference, and may go negative.
      int delta = peer.initialWindowSize() - before.initialWindowSize();
      flow.initialWindowChangedLocked(delta, streams.streamsLocked());
    }
    if (values.isSet(Http2Settings.MAX_CONCURRENT_STREAMS)) streams.slotFreed.signalAll();
  }

  /**
   * The receive window of a stream opened now. Until the peer acknowledges our SETTINGS it may
   * assume the RFC's default window (§6.9.2), so a smaller one applies only once acknowledged.
   */
  int localInitialWindowLocked() {
    assert lock.isHeldByCurrentThread();
    return oursAcknowledged
        ? config.initialWindowSize()
        : Math.max(config.initialWindowSize(), FlowControl.DEFAULT_WINDOW);
  }

  /** The send window of a stream opened now: the peer's SETTINGS_INITIAL_WINDOW_SIZE. */
  int peerInitialWindowLocked() {
    assert lock.isHeldByCurrentThread();
    return peer.initialWindowSize();
  }

  /**
   * The streams we may open. Until the peer's SETTINGS arrive its limit is unknown (unlimited by
   * the RFC's default), so we assume {@value #ASSUMED_MAX_CONCURRENT_STREAMS}.
   */
  int peerMaxConcurrentStreamsLocked() {
    assert lock.isHeldByCurrentThread();
    int max = peer.maxConcurrentStreams();
    return peerReceived ? max : Math.min(max, ASSUMED_MAX_CONCURRENT_STREAMS);
  }

  /** Only the settings the peer sent. */
  Http2Settings peerSentLocked() {
    assert lock.isHeldByCurrentThread();
    return peerSent;
  }

  /** The largest DATA frame the peer accepts. */
  int peerMaxFrameSize() {
    return peerMaxFrameSize;
  }
}
