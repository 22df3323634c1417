package dev.h2mux.server;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.engine.Http2Stream;
import dev.h2mux.core.engine.StreamResetException;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.http1.Http1ResponseHead;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The handler controls of the public API, over both protocols: {@link Response#sendInformational},
 * {@link Response#reset}, and the {@link Request#connection()} handle (ping, goAway, peer settings,
 * what the connection is).
 */
@Timeout(30)
class HandlerControlsApiTest {
  private Http2Server server;
  private final CompletableFuture<Object> seen = new CompletableFuture<>();

  @BeforeEach
  void start() throws IOException {
    server = Http2Server.builder().port(0).handler(this::handle).build().start();
  }

  @AfterEach
  void stop() {
    server.closeNow();
  }

  private void handle(Request request, Response response) throws Exception {
    Connection connection = request.connection();
    switch (request.path()) {
      case "/early-hints" -> {
        response.sendInformational(103, HttpFields.of("link", "</a.css>; rel=preload"));
        response.body().write("final".getBytes(ISO_8859_1));
      }
      case "/continue" -> {
        response.sendInformational(100, HttpFields.empty());
        byte[] body = request.body().readAllBytes();
        response.body().write(body);
      }
      case "/bad-informational" -> {
        String thrown =
            attempt(() -> response.sendInformational(101, HttpFields.empty()))
                + attempt(() -> response.sendInformational(200, HttpFields.empty()))
                + attempt(() -> response.sendInformational(99, HttpFields.empty()))
                + attempt(
                    () -> response.sendInformational(103, HttpFields.of("content-length", "0")));
        response.body().write("x".getBytes(ISO_8859_1)); // commits
        thrown += attempt(() -> response.sendInformational(103, HttpFields.empty()));
        seen.complete(thrown);
      }
      case "/reset-after-100" -> {
        response.body().write(new byte[100]);
        response.reset(Http2ErrorCode.CANCEL);
        try {
          response.body().write(1);
          seen.complete("write after reset succeeded");
        } catch (IOException e) {
          seen.complete(e);
        }
        response.reset(Http2ErrorCode.CANCEL); // a no-op
      }
      case "/reset-at-once" -> response.reset(Http2ErrorCode.REFUSED_STREAM);
      case "/goaway-after-1" -> {
        // NO_ERROR: the h2mux client drops even accepted streams on a GOAWAY with an error
        connection.goAway(Http2ErrorCode.NO_ERROR, 1);
        response.body().write("bye soon".getBytes(ISO_8859_1));
      }
      case "/ping" -> {
        Duration rtt = connection.ping().get(10, TimeUnit.SECONDS);
        String thread = connection.ping().thenApply(d -> Thread.currentThread().getName()).get();
        seen.complete(List.of(rtt, thread));
      }
      case "/describe" ->
          seen.complete(
              List.of(
                  connection.protocol(),
                  connection.isSecure(),
                  String.valueOf(connection.applicationProtocol()),
                  connection.isUpgraded(),
                  connection.peerSettings(),
                  request.headersAsReceived(),
                  connection.localAddress().getPort(),
                  connection.remoteAddress().equals(request.remoteAddress())));
      case "/ping-http1" -> seen.complete(connection.ping());
      case "/headers-after-commit" -> {
        HttpFields before = response.headers();
        before.set("x-set", "before");
        response.body().write("x".getBytes(ISO_8859_1)); // commits
        HttpFields after = response.headers();
        seen.complete(
            List.of(
                after == before,
                after.isFrozen(),
                after.get("x-set"),
                attempt(() -> before.set("x-late", "1")),
                attempt(() -> after.add("x-late", "1")),
                attempt(() -> response.status(404)),
                attempt(() -> response.trailers(HttpFields.of("x-trailer", "t")))));
      }
      default -> response.body().write("plain".getBytes(ISO_8859_1));
    }
  }

  /** What {@code action} threw, by class name and a newline; {@code none} if nothing. */
  private static String attempt(ThrowingRunnable action) {
    try {
      action.run();
      return "none\n";
    } catch (Exception e) {
      return e.getClass().getSimpleName() + "\n";
    }
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private Object seen() throws Exception {
    return seen.get(10, TimeUnit.SECONDS);
  }

  /**
   * The one {@link Response#headers()} rule after commit, which both protocols share: the same
   * object, frozen, showing what was committed; a change through it (or through the reference taken
   * before) throws, the status cannot change, and trailers still can.
   */
  private static final List<Object> HEADERS_AFTER_COMMIT =
      List.of(
          true,
          true,
          "before",
          "UnsupportedOperationException\n",
          "UnsupportedOperationException\n",
          "IllegalStateException\n",
          "none\n");

  @Test
  void http11HeadersAreFrozenInPlaceAtCommit() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.send("GET /headers-after-commit HTTP/1.1\r\nHost: a\r\n\r\n");
      RawConnection.Reply reply = raw.read();
      assertThat(reply.header("x-set")).isEqualTo("before");
      assertThat(reply.header("x-late")).isNull();
      assertThat(reply.body()).isEqualTo("x");
      assertThat(reply.trailers().get("x-trailer")).isEqualTo("t");
    }
    assertThat(seen()).isEqualTo(HEADERS_AFTER_COMMIT);
  }

  @Test
  void http2HeadersAreFrozenInPlaceAtCommit() throws Exception {
    try (H2TestClient client = new H2TestClient(server.port())) {
      H2TestClient.Result result = client.get("/headers-after-commit");
      assertThat(result.head().headers().get("x-set")).isEqualTo("before");
      assertThat(result.head().headers().get("x-late")).isNull();
      assertThat(result.text()).isEqualTo("x");
      assertThat(result.trailers().get("x-trailer")).isEqualTo("t");
    }
    assertThat(seen()).isEqualTo(HEADERS_AFTER_COMMIT);
  }

  // ---------------------------------------------------------------- HTTP/1.1

  @Test
  void http11InterimResponseGoesOutBeforeTheFinalOne() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.send("GET /early-hints HTTP/1.1\r\nHost: a\r\n\r\n");
      Http1ResponseHead interim = raw.readHead();
      assertThat(interim.status()).isEqualTo(103);
      assertThat(interim.headers().get("link")).isEqualTo("</a.css>; rel=preload");
      RawConnection.Reply reply = raw.read();
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.body()).isEqualTo("final");
    }
  }

  @Test
  void http10ClientsGetNoInterimResponse() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.send("GET /early-hints HTTP/1.0\r\n\r\n");
      assertThat(raw.readHead().status()).isEqualTo(200);
    }
  }

  @Test
  void aHandlersOwn100ContinueSparesTheServersOne() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.send(
          "POST /continue HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
      assertThat(raw.readHead().status()).isEqualTo(100);
      raw.send("body");
      Http1ResponseHead next = raw.readHead();
      assertThat(next.status()).as("no second 100").isEqualTo(200);
    }
  }

  @Test
  void informationalStatusesAreCheckedOverBothProtocols() throws Exception {
    String expected =
        "IllegalArgumentException\nIllegalArgumentException\nIllegalArgumentException\n"
            + "IllegalArgumentException\nIllegalStateException\n";
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.send("GET /bad-informational HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(raw.read().body()).isEqualTo("x");
    }
    assertThat(seen()).isEqualTo(expected);
  }

  @Test
  void informationalStatusesAreCheckedOverHttp2() throws Exception {
    try (H2TestClient client = new H2TestClient(server.port())) {
      assertThat(client.get("/bad-informational").text()).isEqualTo("x");
    }
    assertThat(seen())
        .isEqualTo(
            "IllegalArgumentException\nIllegalArgumentException\nIllegalArgumentException\n"
                + "IllegalArgumentException\nIllegalStateException\n");
  }

  @Test
  void http11ResetClosesTheConnectionCuttingTheBodyShort() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.send("GET /reset-after-100 HTTP/1.1\r\nHost: a\r\n\r\n");
      Http1ResponseHead head = raw.readHead();
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.headers().get("transfer-encoding")).isEqualTo("chunked");
      String rest = new String(readToEnd(raw.in), ISO_8859_1);
      assertThat(rest).startsWith("64\r\n").hasSize(4 + 100 + 2).doesNotContain("0\r\n\r\n");
    }
    assertThat(seen()).isInstanceOf(IOException.class);
  }

  @Test
  void http11ResetBeforeCommitAnswersNothing() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.send("GET /reset-at-once HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(readToEnd(raw.in)).isEmpty();
    }
  }

  @Test
  void http11GoAwayClosesAfterTheNextRequest() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.send("GET /goaway-after-1 HTTP/1.1\r\nHost: a\r\n\r\n");
      RawConnection.Reply first = raw.read();
      assertThat(first.body()).isEqualTo("bye soon");
      assertThat(first.header("connection")).isNull();
      raw.send("GET /other HTTP/1.1\r\nHost: a\r\n\r\n");
      RawConnection.Reply second = raw.read();
      assertThat(second.body()).isEqualTo("plain");
      assertThat(second.header("connection")).isEqualTo("close");
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void http11ConnectionDescribesItselfAndHasNoPing() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.send("GET /describe HTTP/1.1\r\nHost: a\r\nX-B: 1\r\n\r\n");
      raw.read();
    }
    @SuppressWarnings("unchecked")
    List<Object> described = (List<Object>) seen();
    assertThat(described.subList(0, 5)).containsExactly("HTTP/1.1", false, "null", false, Map.of());
    assertThat(described.get(5)).isEqualTo(HttpFields.of("host", "a", "x-b", "1"));
    assertThat(described.get(6)).isEqualTo(server.port());
    assertThat(described.get(7)).isEqualTo(true);
  }

  @Test
  void http11PingFails() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.send("GET /ping-http1 HTTP/1.1\r\nHost: a\r\n\r\n");
      raw.read();
    }
    CompletableFuture<?> ping = (CompletableFuture<?>) seen();
    assertThatThrownBy(ping::join).hasCauseInstanceOf(UnsupportedOperationException.class);
  }

  // ---------------------------------------------------------------- HTTP/2

  @Test
  void http2ResetEndsTheStreamWithItsCodeAndOtherStreamsGoOn() throws Exception {
    // The frames' order (HEADERS, 100 bytes of DATA, RST_STREAM) is the engine's, proven in
    // h2-core's HandlerControlsTest and against nghttp; this client drops unread DATA on a reset.
    try (H2TestClient client = new H2TestClient(server.port())) {
      Http2Stream stream = client.open("GET", "/reset-after-100", true);
      assertThat(stream.awaitResponse(H2TestClient.TIMEOUT_NANOS).status()).isEqualTo(200);
      assertThatThrownBy(() -> stream.input().readAllBytes())
          .isInstanceOfSatisfying(
              StreamResetException.class, e -> assertThat(e.error()).isEqualTo(ErrorCode.CANCEL));
      assertThat(client.get("/other").text()).isEqualTo("plain");
    }
    assertThat(seen()).isInstanceOf(IOException.class);
  }

  @Test
  void http2ResetBeforeCommitIsTheOnlyAnswer() throws Exception {
    try (H2TestClient client = new H2TestClient(server.port())) {
      Http2Stream stream = client.open("GET", "/reset-at-once", true);
      assertThatThrownBy(() -> stream.awaitResponse(H2TestClient.TIMEOUT_NANOS))
          .isInstanceOfSatisfying(
              StreamResetException.class,
              e -> assertThat(e.error()).isEqualTo(ErrorCode.REFUSED_STREAM));
    }
  }

  @Test
  void http2InterimResponseIsFollowedByTheFinalOne() throws Exception {
    try (H2TestClient client = new H2TestClient(server.port())) {
      H2TestClient.Result result = client.get("/early-hints");
      assertThat(result.head().status()).isEqualTo(200);
      assertThat(result.text()).isEqualTo("final");
    }
  }

  @Test
  void http2GoAwayNamesTheNextStreamLastAndThenCloses() throws Exception {
    try (H2TestClient client = new H2TestClient(server.port())) {
      assertThat(client.get("/goaway-after-1").text()).isEqualTo("bye soon");
      assertThat(client.connection.isShutdown()).as("no GOAWAY yet").isFalse();
      H2TestClient.Result next = client.get("/other"); // stream 3: accepted, then GOAWAY
      assertThat(next.text()).isEqualTo("plain");
      // The GOAWAY left ahead of stream 3's response (control frames first).
      assertThat(client.connection.isShutdown()).isTrue();
      assertThat(client.connection.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void http2PingMeasuresARoundTripAndRunsCallbacksOffTheReader() throws Exception {
    try (H2TestClient client = new H2TestClient(server.port())) {
      assertThat(client.get("/ping").head().status()).isEqualTo(200);
    }
    List<?> result = (List<?>) seen();
    assertThat((Duration) result.get(0)).isPositive();
    assertThat((String) result.get(1)).doesNotContain("reader");
  }

  @Test
  void http2ConnectionDescribesItselfWithThePeersSettingsAndPseudoHeaderOrder() throws Exception {
    try (H2TestClient client = new H2TestClient(server.port())) {
      HttpFields fields =
          HttpFields.of(
              ":path",
              "/describe",
              ":authority",
              "a",
              ":method",
              "GET",
              ":scheme",
              "http",
              "x-b",
              "1");
      Http2Stream stream = client.connection.newStream(fields, true, H2TestClient.TIMEOUT_NANOS);
      H2TestClient.finish(stream);
    }
    @SuppressWarnings("unchecked")
    List<Object> described = (List<Object>) seen();
    assertThat(described.subList(0, 4)).containsExactly("HTTP/2", false, "null", false);
    @SuppressWarnings("unchecked")
    Map<Integer, Long> settings = (Map<Integer, Long>) described.get(4);
    assertThat(settings)
        .containsEntry(Connection.SETTINGS_ENABLE_PUSH, 0L)
        .containsEntry(Connection.SETTINGS_MAX_HEADER_LIST_SIZE, 16384L);
    assertThat(described.get(5))
        .isEqualTo(
            HttpFields.of(
                ":path",
                "/describe",
                ":authority",
                "a",
                ":method",
                "GET",
                ":scheme",
                "http",
                "x-b",
                "1"));
  }

  private static byte[] readToEnd(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (java.net.SocketException e) {
      // a reset after the bytes that came: the end as well
    }
    return out.toByteArray();
  }
}
