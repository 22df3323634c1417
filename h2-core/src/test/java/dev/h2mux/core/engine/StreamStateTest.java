package dev.h2mux.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.engine.StreamState.Verdict;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.frame.Http2Exception;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 9113 Figure 2 (§5.1) as a table: every state, every stream frame, sent and received, with and
 * without END_STREAM, and what follows — the next state, "ignore", the error §5.1 requires (code
 * and scope), or "forbidden" for what we may not send. END_STREAM "-" means the frame has no such
 * flag: the row holds for both values, and both are run.
 */
class StreamStateTest {
  private static final String FIGURE_2 =
      """
      # state                 dir   frame          END_STREAM  result
      IDLE                    recv  HEADERS        no          OPEN
      IDLE                    recv  HEADERS        yes         HALF_CLOSED_REMOTE
      IDLE                    recv  DATA           no          PROTOCOL_ERROR connection
      IDLE                    recv  DATA           yes         PROTOCOL_ERROR connection
      IDLE                    recv  PRIORITY       -           IDLE
      IDLE                    recv  RST_STREAM     -           PROTOCOL_ERROR connection
      IDLE                    recv  WINDOW_UPDATE  -           PROTOCOL_ERROR connection
      IDLE                    recv  PUSH_PROMISE   -           PROTOCOL_ERROR connection
      IDLE                    send  HEADERS        no          OPEN
      IDLE                    send  HEADERS        yes         HALF_CLOSED_LOCAL
      IDLE                    send  DATA           no          forbidden
      IDLE                    send  DATA           yes         forbidden
      IDLE                    send  PRIORITY       -           IDLE
      IDLE                    send  RST_STREAM     -           forbidden
      IDLE                    send  WINDOW_UPDATE  -           forbidden
      IDLE                    send  PUSH_PROMISE   -           forbidden

      OPEN                    recv  HEADERS        no          OPEN
      OPEN                    recv  HEADERS        yes         HALF_CLOSED_REMOTE
      OPEN                    recv  DATA           no          OPEN
      OPEN                    recv  DATA           yes         HALF_CLOSED_REMOTE
      OPEN                    recv  PRIORITY       -           OPEN
      OPEN                    recv  RST_STREAM     -           CLOSED_RESET_RECEIVED
      OPEN                    recv  WINDOW_UPDATE  -           OPEN
      OPEN                    recv  PUSH_PROMISE   -           PROTOCOL_ERROR connection
      OPEN                    send  HEADERS        no          OPEN
      OPEN                    send  HEADERS        yes         HALF_CLOSED_LOCAL
      OPEN                    send  DATA           no          OPEN
      OPEN                    send  DATA           yes         HALF_CLOSED_LOCAL
      OPEN                    send  PRIORITY       -           OPEN
      OPEN                    send  RST_STREAM     -           CLOSED_RESET_SENT
      OPEN                    send  WINDOW_UPDATE  -           OPEN
      OPEN                    send  PUSH_PROMISE   -           forbidden

      HALF_CLOSED_LOCAL       recv  HEADERS        no          HALF_CLOSED_LOCAL
      HALF_CLOSED_LOCAL       recv  HEADERS        yes         CLOSED
      HALF_CLOSED_LOCAL       recv  DATA           no          HALF_CLOSED_LOCAL
      HALF_CLOSED_LOCAL       recv  DATA           yes         CLOSED
      HALF_CLOSED_LOCAL       recv  PRIORITY       -           HALF_CLOSED_LOCAL
      HALF_CLOSED_LOCAL       recv  RST_STREAM     -           CLOSED_RESET_RECEIVED
      HALF_CLOSED_LOCAL       recv  WINDOW_UPDATE  -           HALF_CLOSED_LOCAL
      HALF_CLOSED_LOCAL       recv  PUSH_PROMISE   -           PROTOCOL_ERROR connection
      HALF_CLOSED_LOCAL       send  HEADERS        no          forbidden
      HALF_CLOSED_LOCAL       send  HEADERS        yes         forbidden
      HALF_CLOSED_LOCAL       send  DATA           no          forbidden
      HALF_CLOSED_LOCAL       send  DATA           yes         forbidden
      HALF_CLOSED_LOCAL       send  PRIORITY       -           HALF_CLOSED_LOCAL
      HALF_CLOSED_LOCAL       send  RST_STREAM     -           CLOSED_RESET_SENT
      HALF_CLOSED_LOCAL       send  WINDOW_UPDATE  -           HALF_CLOSED_LOCAL
      HALF_CLOSED_LOCAL       send  PUSH_PROMISE   -           forbidden

      HALF_CLOSED_REMOTE      recv  HEADERS        no          STREAM_CLOSED stream
      HALF_CLOSED_REMOTE      recv  HEADERS        yes         STREAM_CLOSED stream
      HALF_CLOSED_REMOTE      recv  DATA           no          STREAM_CLOSED stream
      HALF_CLOSED_REMOTE      recv  DATA           yes         STREAM_CLOSED stream
      HALF_CLOSED_REMOTE      recv  PRIORITY       -           HALF_CLOSED_REMOTE
      HALF_CLOSED_REMOTE      recv  RST_STREAM     -           CLOSED_RESET_RECEIVED
      HALF_CLOSED_REMOTE      recv  WINDOW_UPDATE  -           HALF_CLOSED_REMOTE
      HALF_CLOSED_REMOTE      recv  PUSH_PROMISE   -           PROTOCOL_ERROR connection
      HALF_CLOSED_REMOTE      send  HEADERS        no          HALF_CLOSED_REMOTE
      HALF_CLOSED_REMOTE      send  HEADERS        yes         CLOSED
      HALF_CLOSED_REMOTE      send  DATA           no          HALF_CLOSED_REMOTE
      HALF_CLOSED_REMOTE      send  DATA           yes         CLOSED
      HALF_CLOSED_REMOTE      send  PRIORITY       -           HALF_CLOSED_REMOTE
      HALF_CLOSED_REMOTE      send  RST_STREAM     -           CLOSED
      HALF_CLOSED_REMOTE      send  WINDOW_UPDATE  -           HALF_CLOSED_REMOTE
      HALF_CLOSED_REMOTE      send  PUSH_PROMISE   -           forbidden

      CLOSED                  recv  HEADERS        no          STREAM_CLOSED connection
      CLOSED                  recv  HEADERS        yes         STREAM_CLOSED connection
      CLOSED                  recv  DATA           no          STREAM_CLOSED connection
      CLOSED                  recv  DATA           yes         STREAM_CLOSED connection
      CLOSED                  recv  PRIORITY       -           CLOSED
      CLOSED                  recv  RST_STREAM     -           ignore
      CLOSED                  recv  WINDOW_UPDATE  -           ignore
      CLOSED                  recv  PUSH_PROMISE   -           PROTOCOL_ERROR connection
      CLOSED                  send  HEADERS        no          forbidden
      CLOSED                  send  HEADERS        yes         forbidden
      CLOSED                  send  DATA           no          forbidden
      CLOSED                  send  DATA           yes         forbidden
      CLOSED                  send  PRIORITY       -           CLOSED
      CLOSED                  send  RST_STREAM     -           CLOSED
      CLOSED                  send  WINDOW_UPDATE  -           forbidden
      CLOSED                  send  PUSH_PROMISE   -           forbidden

      CLOSED_RESET_SENT       recv  HEADERS        no          ignore
      CLOSED_RESET_SENT       recv  HEADERS        yes         ignore
      CLOSED_RESET_SENT       recv  DATA           no          ignore
      CLOSED_RESET_SENT       recv  DATA           yes         ignore
      CLOSED_RESET_SENT       recv  PRIORITY       -           ignore
      CLOSED_RESET_SENT       recv  RST_STREAM     -           ignore
      CLOSED_RESET_SENT       recv  WINDOW_UPDATE  -           ignore
      CLOSED_RESET_SENT       recv  PUSH_PROMISE   -           PROTOCOL_ERROR connection
      CLOSED_RESET_SENT       send  HEADERS        no          forbidden
      CLOSED_RESET_SENT       send  HEADERS        yes         forbidden
      CLOSED_RESET_SENT       send  DATA           no          forbidden
      CLOSED_RESET_SENT       send  DATA           yes         forbidden
      CLOSED_RESET_SENT       send  PRIORITY       -           CLOSED_RESET_SENT
      CLOSED_RESET_SENT       send  RST_STREAM     -           CLOSED_RESET_SENT
      CLOSED_RESET_SENT       send  WINDOW_UPDATE  -           forbidden
      CLOSED_RESET_SENT       send  PUSH_PROMISE   -           forbidden

      CLOSED_RESET_RECEIVED   recv  HEADERS        no          STREAM_CLOSED stream
      CLOSED_RESET_RECEIVED   recv  HEADERS        yes         STREAM_CLOSED stream
      CLOSED_RESET_RECEIVED   recv  DATA           no          STREAM_CLOSED stream
      CLOSED_RESET_RECEIVED   recv  DATA           yes         STREAM_CLOSED stream
      CLOSED_RESET_RECEIVED   recv  PRIORITY       -           CLOSED_RESET_RECEIVED
      CLOSED_RESET_RECEIVED   recv  RST_STREAM     -           ignore
      CLOSED_RESET_RECEIVED   recv  WINDOW_UPDATE  -           STREAM_CLOSED stream
      CLOSED_RESET_RECEIVED   recv  PUSH_PROMISE   -           PROTOCOL_ERROR connection
      CLOSED_RESET_RECEIVED   send  HEADERS        no          forbidden
      CLOSED_RESET_RECEIVED   send  HEADERS        yes         forbidden
      CLOSED_RESET_RECEIVED   send  DATA           no          forbidden
      CLOSED_RESET_RECEIVED   send  DATA           yes         forbidden
      CLOSED_RESET_RECEIVED   send  PRIORITY       -           CLOSED_RESET_RECEIVED
      CLOSED_RESET_RECEIVED   send  RST_STREAM     -           CLOSED_RESET_RECEIVED
      CLOSED_RESET_RECEIVED   send  WINDOW_UPDATE  -           forbidden
      CLOSED_RESET_RECEIVED   send  PUSH_PROMISE   -           forbidden

      CLOSED_UNTRACKED        recv  HEADERS        no          PROTOCOL_ERROR connection
      CLOSED_UNTRACKED        recv  HEADERS        yes         PROTOCOL_ERROR connection
      CLOSED_UNTRACKED        recv  DATA           no          STREAM_CLOSED stream
      CLOSED_UNTRACKED        recv  DATA           yes         STREAM_CLOSED stream
      CLOSED_UNTRACKED        recv  PRIORITY       -           CLOSED_UNTRACKED
      CLOSED_UNTRACKED        recv  RST_STREAM     -           ignore
      CLOSED_UNTRACKED        recv  WINDOW_UPDATE  -           ignore
      CLOSED_UNTRACKED        recv  PUSH_PROMISE   -           PROTOCOL_ERROR connection
      CLOSED_UNTRACKED        send  HEADERS        no          forbidden
      CLOSED_UNTRACKED        send  HEADERS        yes         forbidden
      CLOSED_UNTRACKED        send  DATA           no          forbidden
      CLOSED_UNTRACKED        send  DATA           yes         forbidden
      CLOSED_UNTRACKED        send  PRIORITY       -           CLOSED_UNTRACKED
      CLOSED_UNTRACKED        send  RST_STREAM     -           CLOSED_RESET_SENT
      CLOSED_UNTRACKED        send  WINDOW_UPDATE  -           forbidden
      CLOSED_UNTRACKED        send  PUSH_PROMISE   -           forbidden
      """;

  /** The stream frames whose handling depends on the state. */
  private static final List<String> FRAMES =
      List.of("HEADERS", "DATA", "PRIORITY", "RST_STREAM", "WINDOW_UPDATE", "PUSH_PROMISE");

  /** One cell of the table, END_STREAM expanded. */
  record Cell(StreamState state, boolean send, String frame, boolean endStream, String result) {
    @Override
    public String toString() {
      return state.name()
          + (send ? " send " : " recv ")
          + frame
          + (endStream ? " +END_STREAM" : "")
          + " -> "
          + result;
    }
  }

  static List<Cell> cells() {
    List<Cell> cells = new ArrayList<>();
    for (String line : FIGURE_2.lines().toList()) {
      if (line.isBlank() || line.startsWith("#")) continue;
      String[] c = line.trim().split("\\s+", 5);
      StreamState state = StreamState.valueOf(c[0]);
      boolean send =
          switch (c[1]) {
            case "send" -> true;
            case "recv" -> false;
            default -> throw new IllegalArgumentException(line);
          };
      List<Boolean> flags =
          switch (c[3]) {
            case "yes" -> List.of(true);
            case "no" -> List.of(false);
            case "-" -> List.of(false, true);
            default -> throw new IllegalArgumentException(line);
          };
      for (boolean endStream : flags) cells.add(new Cell(state, send, c[2], endStream, c[4]));
    }
    return cells;
  }

  static Stream<Arguments> figure2() {
    return cells().stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("figure2")
  void figure2Cell(Cell cell) {
    int type = type(cell.frame());
    if (cell.send()) {
      if (cell.result().equals("forbidden")) {
        assertThatThrownBy(() -> cell.state().sent(type, cell.endStream()))
            .isInstanceOf(IllegalStateException.class);
      } else {
        assertThat(cell.state().sent(type, cell.endStream()))
            .isEqualTo(StreamState.valueOf(cell.result()));
      }
      return;
    }
    Verdict verdict = cell.state().checkReceive(type);
    switch (cell.result()) {
      case "ignore" -> assertThat(verdict).isEqualTo(Verdict.IGNORE);
      case "STREAM_CLOSED stream" ->
          assertThat(verdict).isEqualTo(Verdict.STREAM_ERROR_STREAM_CLOSED);
      case "STREAM_CLOSED connection" ->
          assertThat(verdict).isEqualTo(Verdict.CONNECTION_ERROR_STREAM_CLOSED);
      case "PROTOCOL_ERROR connection" ->
          assertThat(verdict).isEqualTo(Verdict.CONNECTION_ERROR_PROTOCOL_ERROR);
      default -> {
        assertThat(verdict).isEqualTo(Verdict.PROCESS);
        assertThat(cell.state().received(type, cell.endStream()))
            .isEqualTo(StreamState.valueOf(cell.result()));
        return;
      }
    }
    // A frame that is not processed has no next state.
    assertThatThrownBy(() -> cell.state().received(type, cell.endStream()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theTableHasEveryCellExactlyOnce() {
    Set<String> seen = new HashSet<>();
    for (Cell cell : cells()) {
      String key = cell.state() + "/" + cell.send() + "/" + cell.frame() + "/" + cell.endStream();
      assertThat(seen.add(key)).as("duplicate cell %s", cell).isTrue();
    }
    assertThat(seen).hasSize(StreamState.values().length * 2 * FRAMES.size() * 2);
    for (Cell cell : cells()) assertThat(FRAMES).contains(cell.frame());
  }

  @Test
  void errorsCarryTheirCodeAndScope() {
    Http2Exception stream =
        Verdict.STREAM_ERROR_STREAM_CLOSED.exception(
            3, FrameType.DATA, StreamState.HALF_CLOSED_REMOTE);
    assertThat(stream.isConnectionError()).isFalse();
    assertThat(stream.streamId()).isEqualTo(3);
    assertThat(stream.error()).isEqualTo(ErrorCode.STREAM_CLOSED);
    assertThat(stream.getMessage())
        .isEqualTo("stream 3 error STREAM_CLOSED: DATA on half-closed (remote) stream 3");

    Http2Exception connection =
        StreamState.IDLE
            .checkReceive(FrameType.WINDOW_UPDATE)
            .exception(5, FrameType.WINDOW_UPDATE, StreamState.IDLE);
    assertThat(connection.isConnectionError()).isTrue();
    assertThat(connection.error()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
    assertThat(connection.getMessage())
        .isEqualTo("connection error PROTOCOL_ERROR: WINDOW_UPDATE on idle stream 5");

    assertThat(Verdict.CONNECTION_ERROR_STREAM_CLOSED.error()).isEqualTo(ErrorCode.STREAM_CLOSED);
    assertThat(Verdict.PROCESS.isError()).isFalse();
    assertThat(Verdict.IGNORE.error()).isNull();
    assertThatThrownBy(() -> Verdict.IGNORE.exception(1, FrameType.DATA, StreamState.CLOSED))
        .isInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest
  @ValueSource(
      ints = {
        FrameType.CONTINUATION,
        FrameType.SETTINGS,
        FrameType.PING,
        FrameType.GOAWAY,
        0x0a,
        0xff
      })
  void framesOutsideTheStreamStateMachineAreRefused(int type) {
    for (StreamState state : StreamState.values()) {
      assertThatThrownBy(() -> state.checkReceive(type))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> state.received(type, false))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> state.sent(type, false))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void whoMaySendWhat() {
    // state                        closed  localOpen  remoteOpen
    assertFlags(StreamState.IDLE, false, false, false);
    assertFlags(StreamState.OPEN, false, true, true);
    assertFlags(StreamState.HALF_CLOSED_LOCAL, false, false, true);
    assertFlags(StreamState.HALF_CLOSED_REMOTE, false, true, false);
    assertFlags(StreamState.CLOSED, true, false, false);
    assertFlags(StreamState.CLOSED_RESET_SENT, true, false, false);
    assertFlags(StreamState.CLOSED_RESET_RECEIVED, true, false, false);
    assertFlags(StreamState.CLOSED_UNTRACKED, true, false, false);
  }

  @Test
  void aServerExchangeWalksFigure2() {
    StreamState state = StreamState.IDLE;
    state = state.received(FrameType.HEADERS, false); // request head, a body follows
    assertThat(state).isEqualTo(StreamState.OPEN);
    state = state.received(FrameType.DATA, true); // the body's last frame
    assertThat(state).isEqualTo(StreamState.HALF_CLOSED_REMOTE);
    state = state.sent(FrameType.HEADERS, false); // response head
    state = state.sent(FrameType.DATA, false);
    assertThat(state).isEqualTo(StreamState.HALF_CLOSED_REMOTE);
    state = state.sent(FrameType.HEADERS, true); // trailers
    assertThat(state).isEqualTo(StreamState.CLOSED);
    // the client's WINDOW_UPDATE for our last DATA may still arrive
    assertThat(state.checkReceive(FrameType.WINDOW_UPDATE)).isEqualTo(Verdict.IGNORE);
  }

  @Test
  void thePeerEndingAStreamWeResetMakesItsLaterFramesErrors() {
    // Frames that crossed our RST_STREAM are ignored (§5.1) ...
    StreamState reset = StreamState.CLOSED_RESET_SENT;
    assertThat(reset.ignored(FrameType.DATA, false)).isEqualTo(reset);
    assertThat(reset.ignored(FrameType.WINDOW_UPDATE, false)).isEqualTo(reset);
    assertThat(reset.ignored(FrameType.PRIORITY, false)).isEqualTo(reset);
    // ... until the peer's own end shows it knows the stream is over.
    assertThat(reset.ignored(FrameType.DATA, true)).isEqualTo(StreamState.CLOSED);
    assertThat(reset.ignored(FrameType.HEADERS, true)).isEqualTo(StreamState.CLOSED);
    assertThat(reset.ignored(FrameType.HEADERS, false)).isEqualTo(reset);
    assertThat(reset.ignored(FrameType.RST_STREAM, false))
        .isEqualTo(StreamState.CLOSED_RESET_RECEIVED);
    // Then DATA is the error of the state it led to.
    assertThat(reset.ignored(FrameType.DATA, true).checkReceive(FrameType.DATA))
        .isEqualTo(Verdict.CONNECTION_ERROR_STREAM_CLOSED);
    assertThat(reset.ignored(FrameType.RST_STREAM, false).checkReceive(FrameType.DATA))
        .isEqualTo(Verdict.STREAM_ERROR_STREAM_CLOSED);
  }

  @Test
  void anIgnoredFrameChangesNoOtherState() {
    assertThat(StreamState.CLOSED.ignored(FrameType.RST_STREAM, false))
        .isEqualTo(StreamState.CLOSED);
    assertThat(StreamState.CLOSED_UNTRACKED.ignored(FrameType.WINDOW_UPDATE, false))
        .isEqualTo(StreamState.CLOSED_UNTRACKED);
    assertThatThrownBy(() -> StreamState.OPEN.ignored(FrameType.DATA, true))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> StreamState.CLOSED.ignored(FrameType.DATA, true))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void stateNamesAreTheRfcs() {
    assertThat(StreamState.HALF_CLOSED_LOCAL).hasToString("half-closed (local)");
    assertThat(StreamState.CLOSED_RESET_SENT).hasToString("closed (RST_STREAM sent)");
  }

  private static void assertFlags(
      StreamState state, boolean closed, boolean localOpen, boolean remoteOpen) {
    assertThat(state.isClosed()).as("%s closed", state.name()).isEqualTo(closed);
    assertThat(state.localOpen()).as("%s localOpen", state.name()).isEqualTo(localOpen);
    assertThat(state.remoteOpen()).as("%s remoteOpen", state.name()).isEqualTo(remoteOpen);
  }

  private static int type(String name) {
    return switch (name) {
      case "HEADERS" -> FrameType.HEADERS;
      case "DATA" -> FrameType.DATA;
      case "PRIORITY" -> FrameType.PRIORITY;
      case "RST_STREAM" -> FrameType.RST_STREAM;
      case "WINDOW_UPDATE" -> FrameType.WINDOW_UPDATE;
      case "PUSH_PROMISE" -> FrameType.PUSH_PROMISE;
      default -> throw new IllegalArgumentException(name);
    };
  }
}
