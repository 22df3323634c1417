package dev.h2mux.core.engine;

import static dev.h2mux.core.frame.ErrorCode.PROTOCOL_ERROR;
import static dev.h2mux.core.frame.Http2Exception.connectionError;
import static dev.h2mux.core.frame.Http2Exception.streamError;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.engine.StreamState.Verdict;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.hpack.HpackDecoder;
import dev.h2mux.core.http.Http2Messages;
import dev.h2mux.core.http.MalformedMessageException;
import dev.h2mux.core.http.RequestHead;
import dev.h2mux.core.http.ResponseHead;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a complete field block received does (RFC 9113 §8.1): it opens a stream with a request
 * (server), answers a request with a response head (client; 1xx heads queued on the stream before
 * it), or ends a stream with trailers (either side). Every block is decoded first, even on a stream
 * that is refused, reset or closed, so that the HPACK table stays in step with the peer's (§4.3);
 * then the stream's {@link StreamState} decides whether it is handled, ignored or an error.
 *
 * <p>Runs on the reader thread only.
 */
final class InboundHeaders {
  private final Http2Connection connection;
  private final ReentrantLock lock;
  private final ReadLoop readLoop;
  private final StreamTable streams;
  private final ConnectionSettings settings;
  private final StreamEnds ends;
  private final HpackDecoder decoder;
  private final RateBudget noOpBudget;
  private final boolean client;
  private final int maxConcurrentStreams;

  /**
   * The request last made from a block, and that block: the decoder hands back the same block for a
   * repeated one ({@link HpackDecoder#decode}), whose request is then the same immutable value.
   */
  private HpackDecoder.Block requestBlock;

  private RequestHead request;

  /**
   * @param noOpBudget the budget of frames that do nothing, which each stream the peer opens tops
   *     up by one
   */
  InboundHeaders(Http2Connection connection, ReadLoop readLoop, RateBudget noOpBudget) {
    this.connection = connection;
    this.lock = connection.lock;
    this.readLoop = readLoop;
    this.streams = connection.streams;
    this.settings = connection.settings;
    this.ends = connection.ends;
    this.noOpBudget = noOpBudget;
    this.client = connection.role() == Http2Connection.Role.CLIENT;
    this.decoder = new HpackDecoder(connection.config().maxHeaderListSize(), 4096);
    this.maxConcurrentStreams = connection.config().maxConcurrentStreams();
  }

  /** A complete field block: decode it (always, to keep HPACK in step), then act on it. */
  void onFieldBlock(Frame.Headers headers, byte[] block) throws IOException {
    assert readLoop.onReaderThread();
    HpackDecoder.Block decoded = decoder.decode(block);
    int id = headers.streamId();
    if (headers.priority() != null && headers.priority().dependency() == id) {
      throw streamError(id, PROTOCOL_ERROR, "stream depends on itself");
    }
    Http2Stream opened;
    lock.lock();
    try {
      Http2Stream stream = streams.getLocked(id);
      if (stream != null) {
        onStreamBlockLocked(stream, headers, decoded);
        return;
      }
      StreamState state = streams.stateOfLocked(id);
      if (state != StreamState.IDLE) {
        Verdict verdict = state.checkReceive(FrameType.HEADERS);
        if (verdict.isError()) throw verdict.exception(id, FrameType.HEADERS, state);
        streams.ignoredLocked(
            id, state, FrameType.HEADERS, headers.endStream()); // crossed our reset
        return;
      }
      // An idle id: only the peer's side of the ids may be opened by the peer (§5.1.1).
      if (streams.isLocal(id))
        throw connectionError(PROTOCOL_ERROR, "HEADERS on idle stream %d", id);
      opened = openPeerStreamLocked(headers, decoded);
    } finally {
      lock.unlock();
    }
    if (opened == null) return;
    if (decoded.tooLarge()) {
      // Answer 431 rather than a bare reset, so the client learns why (RFC 6585 §5).
      opened.sendHeaders(HttpFields.of(":status", "431", "content-length", "0"), true);
      if (!headers.endStream()) opened.reset(ErrorCode.NO_ERROR);
      return;
    }
    readLoop.dispatchLater(opened);
  }

  /**
   * The peer opens stream {@code headers.streamId()} with a request (server role). Returns the new
   * stream, or null if it is ignored because our GOAWAY excluded it.
   */
  private Http2Stream openPeerStreamLocked(Frame.Headers headers, HpackDecoder.Block decoded)
      throws IOException {
    assert lock.isHeldByCurrentThread();
    int id = headers.streamId();
    if (client) throw connectionError(PROTOCOL_ERROR, "server opened stream %d without push", id);
    streams.peerOpensLocked(id);
    // Each stream may bring a frame or two that do nothing for us (a PRIORITY_UPDATE of a
    // browser reprioritizing it): a stream opened gives one back.
    noOpBudget.earn();
    if (connection.shutdown.ignoresPeerStreamLocked(id) || connection.isClosedLocked()) {
      return null; // after our GOAWAY, new streams are ignored; the peer retries them elsewhere
    }
    if (streams.activePeerLocked() >= maxConcurrentStreams) {
      throw streamError(
          id, ErrorCode.REFUSED_STREAM, "more than %d concurrent streams", maxConcurrentStreams);
    }
    if (decoded.malformed() != null) throw streamError(id, PROTOCOL_ERROR, decoded.malformed());
    // The request's HEADERS take the idle stream to open; its END_STREAM, once the body is known
    // to match its content-length, to half-closed (remote).
    Http2Stream stream =
        new Http2Stream(
            connection,
            id,
            StreamState.IDLE.received(FrameType.HEADERS, false),
            settings.peerInitialWindowLocked(),
            settings.localInitialWindowLocked());
    if (decoded.tooLarge()) {
      streams.addPeerLocked(stream);
      if (headers.endStream()) stream.endRemoteLocked(FrameType.HEADERS);
      return stream;
    }
    stream.requestLocked(requestOf(id, decoded));
    streams.addPeerLocked(stream);
    if (headers.endStream() && !stream.endRemoteLocked(FrameType.HEADERS)) {
      streams.discardPeerLocked(stream);
      throw streamError(id, PROTOCOL_ERROR, "content-length without a body");
    }
    return stream;
  }

  /** The request of a block; a malformed one is a stream error (RFC 9113 §8.1.1). */
  private RequestHead requestOf(int id, HpackDecoder.Block decoded) throws IOException {
    if (decoded == requestBlock) return request;
    RequestHead made;
    try {
      made = Http2Messages.request(decoded.fields());
    } catch (MalformedMessageException e) {
      throw streamError(id, PROTOCOL_ERROR, "malformed request: %s", e.getMessage());
    }
    requestBlock = decoded;
    request = made;
    return made;
  }

  /** A field block on a stream we know: a response (client), or trailers (either side). */
  private void onStreamBlockLocked(
      Http2Stream stream, Frame.Headers headers, HpackDecoder.Block decoded) throws IOException {
    assert lock.isHeldByCurrentThread();
    int id = stream.id();
    StreamState state = stream.state();
    Verdict verdict = state.checkReceive(FrameType.HEADERS);
    if (verdict.isError()) throw verdict.exception(id, FrameType.HEADERS, state);
    if (decoded.tooLarge()) throw streamError(id, PROTOCOL_ERROR, "header list too large");
    if (decoded.malformed() != null) throw streamError(id, PROTOCOL_ERROR, decoded.malformed());
    try {
      if (client && !stream.hasResponseLocked()) {
        ResponseHead response = Http2Messages.response(decoded.fields());
        if (response.isInformational()) {
          if (headers.endStream()) throw streamError(id, PROTOCOL_ERROR, "1xx with END_STREAM");
          stream.interimLocked(response);
          return;
        }
        stream.responseLocked(response);
        if (headers.endStream()) {
          if (!stream.endRemoteLocked(FrameType.HEADERS)) {
            throw streamError(id, PROTOCOL_ERROR, "content-length without a body");
          }
          ends.peerEndedLocked(stream);
        }
        return;
      }
      // trailers: the last HEADERS, which must end the stream (RFC 9113 §8.1)
      if (!headers.endStream()) {
        throw streamError(id, PROTOCOL_ERROR, "trailers without END_STREAM");
      }
      stream.trailersLocked(Http2Messages.trailers(decoded.fields()));
      if (!stream.endRemoteLocked(FrameType.HEADERS)) {
        throw streamError(id, PROTOCOL_ERROR, "body length does not match content-length");
      }
      ends.peerEndedLocked(stream);
    } catch (MalformedMessageException e) {
      throw streamError(id, PROTOCOL_ERROR, "malformed message: %s", e.getMessage());
    }
  }
}
