package dev.h2mux.core.engine;

import static dev.h2mux.core.frame.ErrorCode.PROTOCOL_ERROR;
import static dev.h2mux.core.frame.ErrorCode.STREAM_CLOSED;

import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.frame.Http2Exception;

/**
 * The state of one stream (RFC 9113 §5.1) and the rules of its Figure 2 as a table: which frames
 * each state lets us send and receive, where each leads, and the error a frame received in the
 * wrong state earns ({@link #checkReceive}).
 *
 * <p>The RFC has one "closed" state, but what it requires of a frame received there depends on how
 * the stream closed, so closed is four constants here: {@link #CLOSED} (END_STREAM both ways),
 * {@link #CLOSED_RESET_SENT}, {@link #CLOSED_RESET_RECEIVED} and {@link #CLOSED_UNTRACKED}. {@link
 * #isClosed()} is true of all four.
 *
 * <p>The two "reserved" states are left out: only server push reaches them, and h2mux never enables
 * push. Our client sends SETTINGS_ENABLE_PUSH=0 in its preface, before any stream exists, and our
 * server never sends PUSH_PROMISE, so no stream is ever reserved, and a PUSH_PROMISE received in
 * any state is a connection error of type PROTOCOL_ERROR (§6.6, §8.4).
 *
 * <p>As Figure 2's notes say, CONTINUATION is part of the HEADERS it continues (the field block is
 * checked as a whole, as HEADERS), and END_STREAM is an event of its own after the frame that
 * carries it: HEADERS with END_STREAM takes an idle stream to half-closed in one step. Whether a
 * peer may open a given idle id at all (its parity, ids only increasing, §5.1.1) is a question of
 * stream ids, not of one stream's state, and is answered where the ids are kept.
 *
 * <p>Immutable. A stream's current state is a field guarded by the connection's lock, like the rest
 * of the stream.
 */
enum StreamState {
  /**
   * idle: the id was never used. Receive HEADERS: {@link #OPEN}, with END_STREAM {@link
   * #HALF_CLOSED_REMOTE}; send HEADERS: {@link #OPEN}, with END_STREAM {@link #HALF_CLOSED_LOCAL};
   * PRIORITY changes nothing. Receiving DATA, RST_STREAM or WINDOW_UPDATE is a connection
   * PROTOCOL_ERROR; we never send anything but HEADERS and PRIORITY here (§6.4: no RST_STREAM).
   */
  IDLE("idle"),

  /**
   * open: both sides may send. END_STREAM received (on HEADERS or DATA): {@link
   * #HALF_CLOSED_REMOTE}; sent: {@link #HALF_CLOSED_LOCAL}. RST_STREAM received: {@link
   * #CLOSED_RESET_RECEIVED}; sent: {@link #CLOSED_RESET_SENT}.
   */
  OPEN("open"),

  /**
   * half-closed (local): we sent END_STREAM; the peer may still send anything. END_STREAM received:
   * {@link #CLOSED}. RST_STREAM either way: {@link #CLOSED_RESET_RECEIVED} or {@link
   * #CLOSED_RESET_SENT}. We may send only WINDOW_UPDATE, PRIORITY and RST_STREAM.
   */
  HALF_CLOSED_LOCAL("half-closed (local)"),

  /**
   * half-closed (remote): the peer sent END_STREAM; we may still send anything. END_STREAM sent:
   * {@link #CLOSED}. RST_STREAM received: {@link #CLOSED_RESET_RECEIVED}; sent: {@link #CLOSED},
   * not {@link #CLOSED_RESET_SENT}, because the peer had ended its side before our reset: nothing
   * it may still send (WINDOW_UPDATE, PRIORITY, RST_STREAM) is an error in {@link #CLOSED}, and
   * HEADERS or DATA from it broke the rule of this state whenever they arrive, so they are errors
   * as they would have been a moment earlier, not frames in flight to ignore. Receiving HEADERS or
   * DATA is a stream error STREAM_CLOSED; WINDOW_UPDATE, PRIORITY and RST_STREAM are still allowed.
   */
  HALF_CLOSED_REMOTE("half-closed (remote)"),

  /**
   * closed after the peer's END_STREAM: END_STREAM both ways, or our RST_STREAM after the peer's
   * END_STREAM. HEADERS or DATA received: a connection error STREAM_CLOSED (the peer sent after its
   * own END_STREAM). WINDOW_UPDATE and RST_STREAM are ignored: when the two END_STREAMs cross, the
   * peer may send them before it sees ours. A final state; we send only PRIORITY, or RST_STREAM to
   * answer a stream error.
   */
  CLOSED("closed"),

  /**
   * closed because we sent RST_STREAM. Everything received is ignored (§5.1: the peer may have sent
   * frames before it saw our RST_STREAM), though field blocks are still decoded and DATA still
   * counts against the connection window, until the peer's own END_STREAM or RST_STREAM shows that
   * it has ended too ({@link #ignored}).
   */
  CLOSED_RESET_SENT("closed (RST_STREAM sent)"),

  /**
   * closed because the peer sent RST_STREAM; after that it may send only PRIORITY, and anything
   * else is a stream error STREAM_CLOSED (§5.1): HEADERS, DATA and WINDOW_UPDATE. A second
   * RST_STREAM is ignored, since a RST_STREAM is never answered with one (§5.4.2). A final state.
   */
  CLOSED_RESET_RECEIVED("closed (RST_STREAM received)"),

  /**
   * closed, but how is not known: an id below one the peer has opened that it skipped (closed
   * implicitly, §5.1.1), or one closed so long ago that it is no longer remembered. HEADERS is a
   * connection PROTOCOL_ERROR (an id that does not increase, §5.1.1); DATA a stream error
   * STREAM_CLOSED; WINDOW_UPDATE and RST_STREAM are ignored, since they may have crossed an end we
   * forgot. Once we answer a frame here with RST_STREAM the stream is {@link #CLOSED_RESET_SENT}:
   * what follows it may have crossed that RST_STREAM, and is ignored (§5.1), so a peer that keeps
   * sending gets one RST_STREAM, not one per frame.
   */
  CLOSED_UNTRACKED("closed (untracked)");

  /** What the receiver of a frame must do with it, by §5.1. */
  enum Verdict {
    /** Handle the frame; {@link StreamState#received} then gives the next state. */
    PROCESS(null, false),
    /**
     * Drop the frame: it crossed our RST_STREAM, or it is allowed but has nothing left to act on. A
     * field block is still decoded, and DATA still counts against the connection window.
     */
    IGNORE(null, false),
    /** Reset the stream with STREAM_CLOSED (§5.4.2); the connection goes on. */
    STREAM_ERROR_STREAM_CLOSED(STREAM_CLOSED, false),
    /** End the connection with GOAWAY(STREAM_CLOSED) (§5.4.1). */
    CONNECTION_ERROR_STREAM_CLOSED(STREAM_CLOSED, true),
    /** End the connection with GOAWAY(PROTOCOL_ERROR) (§5.4.1). */
    CONNECTION_ERROR_PROTOCOL_ERROR(PROTOCOL_ERROR, true);

    private final ErrorCode error;
    private final boolean connectionError;

    Verdict(ErrorCode error, boolean connectionError) {
      this.error = error;
      this.connectionError = connectionError;
    }

    /** True for the three errors. */
    boolean isError() {
      return error != null;
    }

    /** The code to send, or null if the verdict is not an error. */
    ErrorCode error() {
      return error;
    }

    /** True if the whole connection must end; false for a stream error or no error. */
    boolean isConnectionError() {
      return connectionError;
    }

    /** The scoped exception that carries this error for a frame received on {@code streamId}. */
    Http2Exception exception(int streamId, int frameType, StreamState state) {
      if (!isError()) throw new IllegalStateException(this + " is not an error");
      String format = "%s on %s stream %d";
      String type = FrameType.name(frameType);
      return connectionError
          ? Http2Exception.connectionError(error, format, type, state, streamId)
          : Http2Exception.streamError(streamId, error, format, type, state, streamId);
    }
  }

  private final String rfcName;

  StreamState(String rfcName) {
    this.rfcName = rfcName;
  }

  /** True for the four closed states. */
  boolean isClosed() {
    return ordinal() >= CLOSED.ordinal();
  }

  /** True if we may still send HEADERS (trailers) and DATA: open or half-closed (remote). */
  boolean localOpen() {
    return this == OPEN || this == HALF_CLOSED_REMOTE;
  }

  /** True if the peer may still send HEADERS and DATA: open or half-closed (local). */
  boolean remoteOpen() {
    return this == OPEN || this == HALF_CLOSED_LOCAL;
  }

  /**
   * What §5.1 requires of a frame received in this state. END_STREAM never changes the answer, so
   * it is not asked for; it matters only to {@link #received}.
   *
   * @param frameType HEADERS, DATA, PRIORITY, RST_STREAM, WINDOW_UPDATE or PUSH_PROMISE
   * @throws IllegalArgumentException for CONTINUATION (answered as the HEADERS it continues), for
   *     the connection's own frames (SETTINGS, PING, GOAWAY) and for unknown types (ignored in
   *     every state, §5.5)
   */
  Verdict checkReceive(int frameType) {
    return switch (frameType) {
      case FrameType.HEADERS ->
          switch (this) {
            case IDLE, OPEN, HALF_CLOSED_LOCAL -> Verdict.PROCESS;
            case HALF_CLOSED_REMOTE -> Verdict.STREAM_ERROR_STREAM_CLOSED;
            case CLOSED -> Verdict.CONNECTION_ERROR_STREAM_CLOSED;
            case CLOSED_RESET_RECEIVED -> Verdict.STREAM_ERROR_STREAM_CLOSED;
            case CLOSED_RESET_SENT -> Verdict.IGNORE;
            case CLOSED_UNTRACKED -> Verdict.CONNECTION_ERROR_PROTOCOL_ERROR;
          };
      case FrameType.DATA ->
          switch (this) {
            case IDLE -> Verdict.CONNECTION_ERROR_PROTOCOL_ERROR;
            case OPEN, HALF_CLOSED_LOCAL -> Verdict.PROCESS;
            case HALF_CLOSED_REMOTE, CLOSED_RESET_RECEIVED, CLOSED_UNTRACKED ->
                Verdict.STREAM_ERROR_STREAM_CLOSED;
            case CLOSED -> Verdict.CONNECTION_ERROR_STREAM_CLOSED;
            case CLOSED_RESET_SENT -> Verdict.IGNORE;
          };
      case FrameType.PRIORITY -> this == CLOSED_RESET_SENT ? Verdict.IGNORE : Verdict.PROCESS;
      case FrameType.RST_STREAM ->
          switch (this) {
            case IDLE -> Verdict.CONNECTION_ERROR_PROTOCOL_ERROR;
            case OPEN, HALF_CLOSED_LOCAL, HALF_CLOSED_REMOTE -> Verdict.PROCESS;
            case CLOSED, CLOSED_RESET_SENT, CLOSED_RESET_RECEIVED, CLOSED_UNTRACKED ->
                Verdict.IGNORE;
          };
      case FrameType.WINDOW_UPDATE ->
          switch (this) {
            case IDLE -> Verdict.CONNECTION_ERROR_PROTOCOL_ERROR;
            case OPEN, HALF_CLOSED_LOCAL, HALF_CLOSED_REMOTE -> Verdict.PROCESS;
            case CLOSED, CLOSED_RESET_SENT, CLOSED_UNTRACKED -> Verdict.IGNORE;
            case CLOSED_RESET_RECEIVED -> Verdict.STREAM_ERROR_STREAM_CLOSED;
          };
      case FrameType.PUSH_PROMISE -> Verdict.CONNECTION_ERROR_PROTOCOL_ERROR; // never enabled
      default -> throw notAStreamStateFrame(frameType);
    };
  }

  /**
   * The state after receiving a frame that {@link #checkReceive} answered with {@link
   * Verdict#PROCESS}.
   *
   * @param endStream the frame's END_STREAM flag; ignored for frames other than HEADERS and DATA
   * @throws IllegalStateException if the frame may not be processed in this state
   */
  StreamState received(int frameType, boolean endStream) {
    Verdict verdict = checkReceive(frameType);
    if (verdict != Verdict.PROCESS) {
      throw new IllegalStateException(
          FrameType.name(frameType) + " received on a " + this + " stream is " + verdict);
    }
    return switch (frameType) {
      case FrameType.HEADERS, FrameType.DATA ->
          switch (this) {
            case IDLE, OPEN -> endStream ? HALF_CLOSED_REMOTE : OPEN;
            case HALF_CLOSED_LOCAL -> endStream ? CLOSED : HALF_CLOSED_LOCAL;
            default -> throw new AssertionError(this); // checkReceive refused these
          };
      case FrameType.RST_STREAM -> CLOSED_RESET_RECEIVED;
      default -> this; // PRIORITY, WINDOW_UPDATE
    };
  }

  /**
   * The state after receiving a frame that {@link #checkReceive} answered with {@link
   * Verdict#IGNORE}. Only {@link #CLOSED_RESET_SENT} changes: frames that crossed our RST_STREAM
   * are ignored until the peer's own END_STREAM (to {@link #CLOSED}) or RST_STREAM (to {@link
   * #CLOSED_RESET_RECEIVED}) shows that it knows the stream is over; from then on what it sends is
   * answered as in those states, so the answer depends on what the peer knew, never on how soon we
   * reset.
   *
   * @param endStream the frame's END_STREAM flag; ignored for frames other than HEADERS and DATA
   * @throws IllegalStateException if the frame is not ignored in this state
   */
  StreamState ignored(int frameType, boolean endStream) {
    Verdict verdict = checkReceive(frameType);
    if (verdict != Verdict.IGNORE) {
      throw new IllegalStateException(
          FrameType.name(frameType) + " received on a " + this + " stream is " + verdict);
    }
    if (this != CLOSED_RESET_SENT) return this;
    return switch (frameType) {
      case FrameType.HEADERS, FrameType.DATA -> endStream ? CLOSED : this;
      case FrameType.RST_STREAM -> CLOSED_RESET_RECEIVED;
      default -> this;
    };
  }

  /**
   * The state after we send a frame.
   *
   * @param frameType HEADERS, DATA, PRIORITY, RST_STREAM, WINDOW_UPDATE or PUSH_PROMISE
   * @param endStream the frame's END_STREAM flag; ignored for frames other than HEADERS and DATA
   * @throws IllegalStateException if §5.1 forbids sending it in this state (HEADERS or DATA after
   *     our END_STREAM or on a closed stream, DATA or RST_STREAM on an idle one), or for
   *     PUSH_PROMISE, which we never send
   * @throws IllegalArgumentException for CONTINUATION (part of its HEADERS) and for frames that are
   *     not a stream's
   */
  StreamState sent(int frameType, boolean endStream) {
    StreamState next =
        switch (frameType) {
          case FrameType.HEADERS ->
              switch (this) {
                case IDLE, OPEN -> endStream ? HALF_CLOSED_LOCAL : OPEN;
                case HALF_CLOSED_REMOTE -> endStream ? CLOSED : HALF_CLOSED_REMOTE;
                default -> null;
              };
          case FrameType.DATA ->
              switch (this) {
                case OPEN -> endStream ? HALF_CLOSED_LOCAL : OPEN;
                case HALF_CLOSED_REMOTE -> endStream ? CLOSED : HALF_CLOSED_REMOTE;
                default -> null;
              };
          case FrameType.PRIORITY -> this;
          case FrameType.RST_STREAM ->
              switch (this) {
                case IDLE -> null;
                case OPEN, HALF_CLOSED_LOCAL, CLOSED_UNTRACKED -> CLOSED_RESET_SENT;
                case HALF_CLOSED_REMOTE -> CLOSED; // the peer had ended: see HALF_CLOSED_REMOTE
                default -> this; // answers a stream error on a closed stream (§5.4.2)
              };
          case FrameType.WINDOW_UPDATE ->
              this == OPEN || this == HALF_CLOSED_LOCAL || this == HALF_CLOSED_REMOTE ? this : null;
          case FrameType.PUSH_PROMISE -> null;
          default -> throw notAStreamStateFrame(frameType);
        };
    if (next == null) {
      throw new IllegalStateException(
          "may not send " + FrameType.name(frameType) + " on a " + this + " stream");
    }
    return next;
  }

  private static IllegalArgumentException notAStreamStateFrame(int frameType) {
    return new IllegalArgumentException(
        FrameType.name(frameType)
            + (frameType == FrameType.CONTINUATION
                ? " is part of the HEADERS it continues"
                : " is not governed by a stream's state"));
  }

  /** The state as RFC 9113 names it, for messages: {@code half-closed (remote)}. */
  @Override
  public String toString() {
    return rfcName;
  }
}
