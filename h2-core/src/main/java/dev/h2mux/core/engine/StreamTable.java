package dev.h2mux.core.engine;

import dev.h2mux.core.frame.FrameType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The streams of a connection by id, and the ids themselves (RFC 9113 §5.1.1): which end opens
 * which ids, the next id we open, the last the peer opened, how many each side has open, and {@link
 * #stateOfLocked} — the §5.1 state of any id, open, idle or closed, which decides the answer to
 * every frame on a stream. Streams that closed lately are remembered in {@link ClosedStreams}.
 *
 * <p>Guarded by the connection's lock; {@link #slotFreed} is signalled when a stream may be opened
 * again.
 */
final class StreamTable {
  private final ReentrantLock lock;
  private final boolean client;

  /** Signalled when a stream ends, the peer's limit changes, or none may be opened any more. */
  final Condition slotFreed;

  private final Map<Integer, Http2Stream> streams = new HashMap<>();
  private final ClosedStreams closed = new ClosedStreams(1024);
  private int lastPeerStreamId;
  private int nextLocalStreamId;
  private int activeLocal;
  private int activePeer;

  /** Streams opened, counted so the idle clock sees streams that came and went between reads. */
  private int streamsOpened;

  StreamTable(ReentrantLock lock, Http2Connection.Role role) {
    this.lock = lock;
    this.client = role == Http2Connection.Role.CLIENT;
    this.slotFreed = lock.newCondition();
    this.nextLocalStreamId = client ? 1 : 2;
  }

  /** True for the ids we open: odd for a client, even for a server (§5.1.1). */
  boolean isLocal(int id) {
    return (id % 2 == 1) == client;
  }

  /**
   * The §5.1 state of stream {@code id}: the state of its stream while it has one; {@link
   * StreamState#IDLE} for an id not used yet; the closed state it ended in if it closed lately;
   * else {@link StreamState#CLOSED_UNTRACKED}.
   */
  StreamState stateOfLocked(int id) {
    assert lock.isHeldByCurrentThread();
    Http2Stream stream = streams.get(id);
    if (stream != null) return stream.state();
    if (isIdleLocked(id)) return StreamState.IDLE;
    StreamState state = closed.state(id);
    return state != null ? state : StreamState.CLOSED_UNTRACKED;
  }

  /** True if {@code id} was never used (§5.1 idle) by the side that opens it. */
  boolean isIdleLocked(int id) {
    assert lock.isHeldByCurrentThread();
    return isLocal(id) ? id >= nextLocalStreamId : id > lastPeerStreamId;
  }

  /** The open stream {@code id}, or null. */
  Http2Stream getLocked(int id) {
    assert lock.isHeldByCurrentThread();
    return streams.get(id);
  }

  /**
   * A frame of {@code frameType} was ignored on {@code id}, a closed stream in {@code state}: the
   * peer's END_STREAM or RST_STREAM after our reset changes how it closed ({@link
   * StreamState#ignored}).
   */
  void ignoredLocked(int id, StreamState state, int frameType, boolean endStream) {
    assert lock.isHeldByCurrentThread();
    StreamState next = state.ignored(frameType, endStream);
    if (next != state) closed.update(id, next);
  }

  /**
   * We answered a stream error on {@code id}, which has no stream, with RST_STREAM: frames that
   * crossed it are ignored from now on (§5.1), unless the id's closed state is remembered already.
   */
  void resetWithoutStreamLocked(int id) {
    assert lock.isHeldByCurrentThread();
    if (closed.state(id) == null) {
      StreamState state = stateOfLocked(id);
      // An idle id answered for a malformed PRIORITY stays idle until it is used (§5.1.1).
      closed.add(
          id,
          state == StreamState.IDLE
              ? StreamState.CLOSED_RESET_SENT
              : state.sent(FrameType.RST_STREAM, false));
    }
  }

  /** The peer opens stream {@code id}, which is idle: every lower id of its side is now closed. */
  void peerOpensLocked(int id) {
    assert lock.isHeldByCurrentThread();
    lastPeerStreamId = id;
    streamsOpened++;
  }

  /** The next id we open, now taken; negative once ids are exhausted (past 2^31-1). */
  int takeLocalIdLocked() {
    assert lock.isHeldByCurrentThread();
    int id = nextLocalStreamId;
    nextLocalStreamId += 2; // overflows to negative after 2^31-1: exhausted
    streamsOpened++;
    return id;
  }

  /** True while ids remain for the streams we open. */
  boolean hasLocalIdsLocked() {
    assert lock.isHeldByCurrentThread();
    return nextLocalStreamId > 0;
  }

  /** Adds a stream the peer opened. */
  void addPeerLocked(Http2Stream stream) {
    assert lock.isHeldByCurrentThread();
    streams.put(stream.id(), stream);
    activePeer++;
  }

  /** Adds a stream we opened. */
  void addLocalLocked(Http2Stream stream) {
    assert lock.isHeldByCurrentThread();
    streams.put(stream.id(), stream);
    activeLocal++;
  }

  /** Stream 1 of an h2c Upgrade, server side: the client opened it with its HTTP/1.1 request. */
  void addUpgradedPeerLocked(Http2Stream stream) {
    assert lock.isHeldByCurrentThread();
    lastPeerStreamId = 1;
    addPeerLocked(stream);
  }

  /** Stream 1 of an h2c Upgrade, client side: our HTTP/1.1 request opened it. */
  void addUpgradedLocalLocked(Http2Stream stream) {
    assert lock.isHeldByCurrentThread();
    nextLocalStreamId = 3;
    addLocalLocked(stream);
  }

  /**
   * Removes a stream that closed, remembering its closed state for the frames that may still come
   * (§5.1); a no-op for a stream no longer in the table.
   */
  void removeLocked(Http2Stream stream) {
    assert lock.isHeldByCurrentThread();
    if (streams.remove(stream.id()) == stream) {
      closed.add(stream.id(), stream.state());
      if (isLocal(stream.id())) activeLocal--;
      else activePeer--;
      slotFreed.signalAll();
    }
  }

  /**
   * Takes back a stream the peer opened whose opening failed (its request is refused as malformed):
   * its id answers as untracked, until the stream error's RST_STREAM is recorded.
   */
  void discardPeerLocked(Http2Stream stream) {
    assert lock.isHeldByCurrentThread();
    streams.remove(stream.id());
    activePeer--;
  }

  /** The connection ended: every stream, removed. */
  List<Http2Stream> clearLocked() {
    assert lock.isHeldByCurrentThread();
    List<Http2Stream> left = new ArrayList<>(streams.values());
    streams.clear();
    return left;
  }

  Collection<Http2Stream> streamsLocked() {
    assert lock.isHeldByCurrentThread();
    return streams.values();
  }

  boolean isEmptyLocked() {
    assert lock.isHeldByCurrentThread();
    return streams.isEmpty();
  }

  int sizeLocked() {
    assert lock.isHeldByCurrentThread();
    return streams.size();
  }

  int lastPeerStreamIdLocked() {
    assert lock.isHeldByCurrentThread();
    return lastPeerStreamId;
  }

  int activeLocalLocked() {
    assert lock.isHeldByCurrentThread();
    return activeLocal;
  }

  int activePeerLocked() {
    assert lock.isHeldByCurrentThread();
    return activePeer;
  }

  int streamsOpenedLocked() {
    assert lock.isHeldByCurrentThread();
    return streamsOpened;
  }
}
