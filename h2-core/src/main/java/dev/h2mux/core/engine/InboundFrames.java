package dev.h2mux.core.engine;

import static dev.h2mux.core.frame.ErrorCode.FLOW_CONTROL_ERROR;
import static dev.h2mux.core.frame.ErrorCode.PROTOCOL_ERROR;
import static dev.h2mux.core.frame.Http2Exception.connectionError;
import static dev.h2mux.core.frame.Http2Exception.streamError;

import dev.h2mux.core.engine.StreamState.Verdict;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.frame.Http2Exception;
import dev.h2mux.core.frame.Http2Settings;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each frame received does (RFC 9113 §6), one method per type: the answer to a frame on a
 * stream comes from the stream's {@link StreamState} ({@link StreamTable#stateOfLocked} for any
 * id), the accounting from {@link FlowControl}, and the abuse budgets are spent here (docs/
 * SECURITY.md). Complete field blocks go to {@link InboundHeaders}. A stream error resets its
 * stream; a connection error is thrown to the {@link ReadLoop}, which ends the connection.
 *
 * <p>Runs on the reader thread only, and never blocks: it takes the connection's lock for short
 * sections, and writes only by queueing for the writer.
 */
final class InboundFrames {
  private static final Logger log = LoggerFactory.getLogger(InboundFrames.class);

  /** Made once: a peer may reset streams by the thousand (CVE-2023-44487). */
  private static final String[] PEER_RESET_MESSAGES =
      Arrays.stream(ErrorCode.values())
          .map(e -> "stream reset by peer: " + e)
          .toArray(String[]::new);

  private final Http2Connection connection;
  private final ReentrantLock lock;
  private final ReadLoop readLoop;
  private final StreamTable streams;
  private final FlowControl flow;
  private final ConnectionSettings settings;
  private final ConnectionWriter writer;
  private final StreamEnds ends;
  private final FieldBlockAssembler blocks;
  private final InboundHeaders headers;

  /** Streams the peer reset before their response was complete (CVE-2023-44487). */
  private final RateBudget resetBudget;

  /** Frames that do nothing, and stream errors the peer provokes (CVE-2019-9518). */
  private final RateBudget noOpBudget;

  InboundFrames(Http2Connection connection, ReadLoop readLoop) {
    this.connection = connection;
    this.lock = connection.lock;
    this.readLoop = readLoop;
    this.streams = connection.streams;
    this.flow = connection.flow;
    this.settings = connection.settings;
    this.writer = connection.writer;
    this.ends = connection.ends;
    AbuseLimits limits = connection.config().abuseLimits();
    this.resetBudget = new RateBudget(limits.resetBurst(), limits.resetsPerSecond());
    this.noOpBudget = new RateBudget(limits.noOpFrameBurst(), limits.noOpFramesPerSecond());
    this.blocks = new FieldBlockAssembler(connection.config().maxHeaderBlockBytes());
    this.headers = new InboundHeaders(connection, readLoop, noOpBudget);
  }

  /** Handles one frame; a stream error it causes resets the stream. */
  void handle(Frame frame) throws IOException {
    assert readLoop.onReaderThread();
    blocks.check(frame);
    if (NoOpFrames.isNoOp(frame)) spendNoOp(frame);
    try {
      switch (frame) {
        case Frame.Data d -> onData(d);
        case Frame.Headers h -> onHeaders(h);
        case Frame.Continuation c -> onContinuation(c);
        case Frame.PriorityFrame p -> {} // RFC 9113 §5.3.2 lets us ignore the signal itself
        case Frame.RstStream r -> onRstStream(r);
        case Frame.Settings s -> onSettings(s);
        case Frame.PushPromise p ->
            // We never enable push: as a client we send ENABLE_PUSH=0, and a server can't
            // receive it (§6.6, §8.4).
            throw connectionError(PROTOCOL_ERROR, "PUSH_PROMISE received but push is disabled");
        case Frame.Ping p -> onPing(p);
        case Frame.GoAway g -> onGoAway(g);
        case Frame.WindowUpdate w -> onWindowUpdate(w);
        case Frame.Unknown u -> {} // ignored (§5.5)
      }
    } catch (Http2Exception e) {
      if (e.isConnectionError()) throw e;
      onStreamError(e);
    }
    // The peer's END_STREAM may have closed the last stream after a GOAWAY.
    if (frame instanceof Frame.Data
        || frame instanceof Frame.Headers
        || frame instanceof Frame.Continuation) {
      connection.shutdown.closeIfDrained();
    }
  }

  private void onData(Frame.Data data) throws IOException {
    int id = data.streamId();
    int flowLength = data.flowLength();
    int credit = 0;
    boolean lengthBroken = false;
    lock.lock();
    try {
      flow.receivedLocked(flowLength);
      Http2Stream stream = streams.getLocked(id);
      StreamState state = stream != null ? stream.state() : streams.stateOfLocked(id);
      Verdict verdict = state.checkReceive(FrameType.DATA);
      if (verdict != Verdict.PROCESS) {
        // The bytes still count against the connection window: credit them back at once.
        credit = flow.consumedLocked(flowLength);
        if (verdict.isError()) throw verdict.exception(id, FrameType.DATA, state);
        streams.ignoredLocked(id, state, FrameType.DATA, data.endStream()); // crossed our reset
        return;
      }
      if (!flow.receivedLocked(stream, flowLength)) {
        credit = flow.consumedLocked(flowLength);
        throw streamError(id, FLOW_CONTROL_ERROR, "DATA beyond the stream window");
      }
      InboundBody body = stream.inbound();
      lengthBroken = !body.receiveLocked(data);
      // Padding never reaches the application, nor do bytes for an input already closed.
      int unread = body.isClosedLocked() ? flowLength : flowLength - data.length();
      if (unread > 0) credit = flow.consumedLocked(unread);
      ends.peerEndedLocked(stream);
    } finally {
      lock.unlock();
      if (credit > 0) flow.sendWindowUpdate(0, credit);
    }
    if (lengthBroken) {
      throw streamError(id, PROTOCOL_ERROR, "body length does not match content-length");
    }
  }

  private void onHeaders(Frame.Headers frame) throws IOException {
    if (frame.endHeaders()) {
      headers.onFieldBlock(frame, frame.block());
    } else {
      blocks.begin(frame);
    }
  }

  private void onContinuation(Frame.Continuation continuation) throws IOException {
    if (blocks.add(continuation)) {
      Frame.Headers first = blocks.headers();
      headers.onFieldBlock(first, blocks.takeBlock());
    }
  }

  private void onRstStream(Frame.RstStream rst) throws IOException {
    int id = rst.streamId();
    Http2Stream stream;
    boolean answered;
    lock.lock();
    try {
      stream = streams.getLocked(id);
      StreamState state = stream != null ? stream.state() : streams.stateOfLocked(id);
      Verdict verdict = state.checkReceive(FrameType.RST_STREAM);
      if (verdict.isError()) throw verdict.exception(id, FrameType.RST_STREAM, state);
      if (verdict == Verdict.IGNORE) {
        streams.ignoredLocked(id, state, FrameType.RST_STREAM, false);
        return;
      }
      answered = state == StreamState.HALF_CLOSED_LOCAL;
    } finally {
      lock.unlock();
    }
    // Only streams reset before their response was complete cost us work (a handler, maybe
    // never run): those count (CVE-2023-44487).
    if (!answered && !resetBudget.take()) {
      throw connectionError(ErrorCode.ENHANCE_YOUR_CALM, "too many streams reset by the peer");
    }
    ends.reset(
        stream, rst.error(), PEER_RESET_MESSAGES[rst.error().ordinal()], StreamEnds.Origin.PEER);
  }

  private void onSettings(Frame.Settings frame) throws IOException {
    lock.lock();
    try {
      if (frame.ack()) {
        settings.acknowledgedLocked();
        return;
      }
      settings.receivedLocked(frame.settings());
    } finally {
      lock.unlock();
    }
    Http2Settings values = frame.settings();
    // The ACK goes in order behind the frames already queued, which were sized, encoded and
    // credited under the old values (§6.5.3); the writer applies the frame size and table size
    // just before it, so every block and frame after the ACK obeys the new values.
    writer.controlInOrder(
        (w, encoder) -> {
          if (values.isSet(Http2Settings.MAX_FRAME_SIZE)) w.maxFrameSize(values.maxFrameSize());
          if (values.isSet(Http2Settings.HEADER_TABLE_SIZE)) {
            encoder.peerHeaderTableSize(values.headerTableSize());
          }
          w.settings(Frame.Settings.ACK);
        });
  }

  private void onPing(Frame.Ping ping) throws IOException {
    if (ping.ack()) {
      connection.pings.acknowledged(ping.payload());
      return;
    }
    long payload = ping.payload();
    writer.control((w, e) -> w.ping(true, payload));
  }

  private void onGoAway(Frame.GoAway goAway) {
    List<Http2Stream> refused;
    lock.lock();
    try {
      refused = connection.shutdown.peerGoAwayLocked(goAway.lastStreamId());
    } finally {
      lock.unlock();
    }
    log.debug("{}: received {}", connection, goAway);
    for (Http2Stream stream : refused) {
      ends.reset(
          stream,
          ErrorCode.REFUSED_STREAM,
          "not processed: the peer sent GOAWAY with last stream " + goAway.lastStreamId(),
          StreamEnds.Origin.PEER);
    }
    if (goAway.error() != ErrorCode.NO_ERROR) {
      // The peer is ending the connection for an error: nothing more will be answered.
      connection.terminate(GracefulShutdown.Ending.LOST);
    } else {
      connection.shutdown.closeIfDrained();
    }
  }

  private void onWindowUpdate(Frame.WindowUpdate update) throws IOException {
    int id = update.streamId();
    lock.lock();
    try {
      if (id == 0) {
        flow.creditedLocked(update.increment());
        return;
      }
      Http2Stream stream = streams.getLocked(id);
      StreamState state = stream != null ? stream.state() : streams.stateOfLocked(id);
      Verdict verdict = state.checkReceive(FrameType.WINDOW_UPDATE);
      if (verdict.isError()) throw verdict.exception(id, FrameType.WINDOW_UPDATE, state);
      if (verdict == Verdict.PROCESS) {
        flow.creditedLocked(stream, update.increment());
      } else if (state == StreamState.CLOSED_UNTRACKED) {
        // Closed lately: one in flight is fine, and common; for a stream we don't know it does
        // nothing.
        spendNoOp(update);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Counts a frame that does nothing (see {@link NoOpFrames}); a peer that sends more than the
   * budget allows is flooding us (CVE-2019-9518) and is cut off.
   */
  private void spendNoOp(Frame frame) throws Http2Exception {
    if (!noOpBudget.take()) {
      throw connectionError(
          ErrorCode.ENHANCE_YOUR_CALM,
          "too many frames that do nothing (last: %s)",
          FrameType.name(frame.type()));
    }
  }

  /** A stream error detected while reading: reset the stream, keep the connection (§5.4.2). */
  void onStreamError(Http2Exception e) throws IOException {
    assert readLoop.onReaderThread();
    log.debug("{}: {}", connection, e.getMessage());
    // Refusing a stream over the limit is how a client learns it (§5.1.2); other stream errors
    // are the peer's doing, and a peer that keeps making them makes us keep answering.
    if (e.error() != ErrorCode.REFUSED_STREAM && !noOpBudget.take()) {
      throw connectionError(ErrorCode.ENHANCE_YOUR_CALM, "too many stream errors");
    }
    int id = e.streamId();
    Http2Stream stream;
    lock.lock();
    try {
      stream = streams.getLocked(id);
      if (stream == null) streams.resetWithoutStreamLocked(id);
    } finally {
      lock.unlock();
    }
    // The stream may have closed since the frame was found in error (its response ended on the
    // handler's thread meanwhile): the error is answered all the same (§5.4.2).
    if (stream == null || !ends.reset(stream, e.error(), e.getMessage(), StreamEnds.Origin.LOCAL)) {
      writer.control((w, enc) -> w.rstStream(id, e.error().code()));
    }
  }
}
