package dev.h2mux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.engine.Http2Stream;
import dev.h2mux.core.engine.StreamResetException;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameReader;
import dev.h2mux.core.frame.FrameWriter;
import dev.h2mux.core.frame.Http2Settings;
import dev.h2mux.core.http1.Http1Parser;
import dev.h2mux.core.io.PeekableInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server's HTTP/2 side through its public API: h2c, Upgrade, failures, graceful close. */
@Timeout(30)
class Http2ServerTest {
  private Http2Server server;

  private Http2Server start(Handler handler) throws IOException {
    server = Http2Server.builder().port(0).handler(handler).build().start();
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) server.closeNow();
  }

  private static final Handler ECHO =
      (request, response) -> {
        response.headers().set("x-method", request.method());
        response.headers().set("x-path", request.path());
        response.headers().set("x-protocol", request.protocol());
        try (InputStream in = request.body();
            OutputStream out = response.body()) {
          in.transferTo(out);
          if (!request.trailers().isEmpty()) response.trailers(request.trailers());
        }
      };

  @Test
  void servesPriorKnowledgeRequests() throws Exception {
    start(ECHO);
    try (H2TestClient client = new H2TestClient(server.port())) {
      H2TestClient.Result result = client.get("/hello?x=1");
      assertThat(result.head().status()).isEqualTo(200);
      assertThat(result.head().headers().get("x-path")).isEqualTo("/hello?x=1");
      assertThat(result.head().headers().get("x-protocol")).isEqualTo("HTTP/2");
      assertThat(result.body()).isEmpty();
    }
  }

  @Test
  void responsesCarryADateUnlessTheHandlerSetOne() throws Exception {
    start(
        (request, response) -> {
          if (request.path().equals("/own")) {
            response.headers().set("date", "Sun, 06 Nov 1994 08:49:37 GMT");
          }
          response.status(request.path().equals("/missing") ? 404 : 200);
        });
    try (H2TestClient client = new H2TestClient(server.port())) {
      // RFC 9110 §6.6.1: an origin server with a clock MUST send Date in 2xx, 3xx and 4xx.
      for (String path : new String[] {"/", "/missing"}) {
        String date = client.get(path).head().headers().get("date");
        assertThat(date)
            .as(path)
            .matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
        assertThat(DateTimeFormatter.RFC_1123_DATE_TIME.parse(date)).isNotNull();
      }
      assertThat(client.get("/own").head().headers().all("date"))
          .containsExactly("Sun, 06 Nov 1994 08:49:37 GMT");
    }
  }

  @Test
  void trailersLeaveOutConnectionSpecificFieldsAndRefusePseudoHeaders() throws Exception {
    CompletableFuture<Throwable> refused = new CompletableFuture<>();
    start(
        (request, response) -> {
          try {
            response.trailers(HttpFields.of(":status", "200"));
            refused.complete(null);
          } catch (IllegalArgumentException e) {
            refused.complete(e);
          }
          response.body().write('x');
          response.trailers(HttpFields.of("x-checksum", "1", "connection", "close"));
        });
    try (H2TestClient client = new H2TestClient(server.port())) {
      H2TestClient.Result result = client.get("/");
      assertThat(result.text()).isEqualTo("x");
      // RFC 9113 §8.2.2: no connection-specific fields in any field section.
      assertThat(result.trailers()).isEqualTo(HttpFields.of("x-checksum", "1"));
    }
    assertThat(refused.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void streamsRequestBodiesBothWaysAndEchoesTrailers() throws Exception {
    start(ECHO);
    byte[] body = new byte[3 << 20];
    new Random(7).nextBytes(body);
    try (H2TestClient client = new H2TestClient(server.port())) {
      Http2Stream stream = client.open("POST", "/echo", false);
      // Upload and download at once: the echo answers while the body still arrives, and
      // flow control would stop both sides if the client only read after writing it all.
      Thread uploader =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      stream.output().write(body);
                      stream.output().closeWithTrailers(HttpFields.of("x-checksum", "abc"));
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  });
      H2TestClient.Result result = H2TestClient.finish(stream);
      uploader.join();
      assertThat(result.body()).isEqualTo(body);
      assertThat(result.trailers().get("x-checksum")).isEqualTo("abc");
    }
  }

  @Test
  void manyConcurrentStreamsOnOneConnectionStayApart() throws Exception {
    start(ECHO);
    try (H2TestClient client = new H2TestClient(server.port())) {
      int n = 200;
      Thread[] threads = new Thread[n];
      Throwable[] failures = new Throwable[n];
      for (int i = 0; i < n; i++) {
        int index = i;
        threads[i] =
            Thread.ofVirtual()
                .start(
                    () -> {
                      try {
                        byte[] body =
                            ("stream-" + index + "-")
                                .repeat(index + 1)
                                .getBytes(StandardCharsets.UTF_8);
                        H2TestClient.Result result = client.send("PUT", "/s/" + index, body);
                        assertThat(result.body()).isEqualTo(body);
                        assertThat(result.head().headers().get("x-path")).isEqualTo("/s/" + index);
                      } catch (Throwable e) {
                        failures[index] = e;
                      }
                    });
      }
      for (Thread t : threads) t.join();
      for (Throwable failure : failures) assertThat(failure).isNull();
    }
  }

  @Test
  void upgradesFromHttp11ForTheJdkClient() throws Exception {
    start(ECHO);
    HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    try (jdk) {
      HttpResponse<String> first =
          jdk.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/up"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(first.headers().firstValue("x-path")).contains("/up");
      // the next request reuses the upgraded connection as plain HTTP/2
      HttpResponse<String> second =
          jdk.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/echo"))
                  .POST(HttpRequest.BodyPublishers.ofString("ping"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(second.body()).isEqualTo("ping");
    }
  }

  @Test
  void headResponsesCarryNoBody() throws Exception {
    start(
        (request, response) -> {
          response.headers().set("content-length", "5");
          response.body().write("hello".getBytes(StandardCharsets.UTF_8));
        });
    try (H2TestClient client = new H2TestClient(server.port())) {
      H2TestClient.Result result = H2TestClient.finish(client.open("HEAD", "/", true));
      assertThat(result.head().headers().get("content-length")).isEqualTo("5");
      assertThat(result.body()).isEmpty();
    }
  }

  @Test
  void handlerFailureBeforeCommitIs500AndAfterIsAResetOfThatStreamOnly() throws Exception {
    start(
        (request, response) -> {
          switch (request.path()) {
            case "/before" -> throw new IllegalStateException("boom before");
            case "/after" -> {
              response.body().write(new byte[10]);
              response.body().flush();
              throw new IllegalStateException("boom after");
            }
            default -> response.body().write("fine".getBytes(StandardCharsets.UTF_8));
          }
        });
    try (H2TestClient client = new H2TestClient(server.port())) {
      assertThat(client.get("/before").head().status()).isEqualTo(500);
      Http2Stream after = client.open("GET", "/after", true);
      // The RST_STREAM may overtake the queued head and data (control frames go first), so
      // the failure shows either while waiting for the head or while reading the body.
      assertThatThrownBy(() -> H2TestClient.finish(after))
          .isInstanceOf(StreamResetException.class)
          .satisfies(
              e ->
                  assertThat(((StreamResetException) e).error())
                      .isEqualTo(ErrorCode.INTERNAL_ERROR));
      assertThat(client.get("/other").text()).isEqualTo("fine");
    }
  }

  @Test
  void gracefulCloseLetsStreamsInFlightFinishAndRefusesNewOnes() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    start(
        (request, response) -> {
          entered.countDown();
          release.await();
          response.body().write("done".getBytes(StandardCharsets.UTF_8));
        });
    try (H2TestClient client = new H2TestClient(server.port())) {
      Http2Stream inFlight = client.open("GET", "/slow", true);
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      Thread closer = Thread.ofVirtual().start(server::close);
      // GOAWAY arrives: the connection takes no new streams, the open one goes on
      waitUntil(() -> client.connection.isShutdown());
      assertThatThrownBy(() -> client.open("GET", "/late", true))
          .isInstanceOf(StreamResetException.class)
          .satisfies(e -> assertThat(((StreamResetException) e).isRetryable()).isTrue());
      release.countDown();
      assertThat(H2TestClient.finish(inFlight).text()).isEqualTo("done");
      closer.join(Duration.ofSeconds(10));
      assertThat(closer.isAlive()).isFalse();
    }
  }

  @Test
  void aHandlerCannotSetAnInformationalStatus() throws Exception {
    start((request, response) -> response.status(103)); // 1xx is not a final status
    try (H2TestClient client = new H2TestClient(server.port())) {
      assertThat(client.get("/").head().status()).isEqualTo(500);
    }
  }

  /**
   * After the 101 the server sends its SETTINGS (and connection window) and waits for the client
   * preface before it answers stream 1. Read with a bare {@link FrameReader} behind the HTTP/1.1
   * parser's buffer: a {@link dev.h2mux.testkit.FramePeer} acknowledges SETTINGS as it reads them,
   * and an acknowledgement before the preface would break it.
   */
  @Test
  void afterAnUpgradeOnlySettingsComeBeforeTheClientPreface() throws Exception {
    start(ECHO);
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(10_000);
      PeekableInputStream in = new PeekableInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      byte[] body = new byte[100_000]; // a response this big would overflow curl 7.88's buffer
      out.write(
          ("POST /echo HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                  + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n"
                  + "Content-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      assertThat(Http1Parser.readResponseHead(in, 16384).status()).isEqualTo(101);
      FrameReader frames = new FrameReader(in, 1 << 20);
      assertThat(frames.readFrame()).isInstanceOf(Frame.Settings.class);
      assertThat(frames.readFrame()).isInstanceOf(Frame.WindowUpdate.class);
      // Nothing else until the client's preface: the response waits for it.
      socket.setSoTimeout(300);
      assertThatThrownBy(frames::readFrame).isInstanceOf(SocketTimeoutException.class);
      socket.setSoTimeout(10_000);
      FrameWriter writer = new FrameWriter(out);
      writer.writePreface();
      writer.settings(new Frame.Settings(false, Http2Settings.EMPTY));
      out.flush();
      Frame next;
      do {
        next = frames.readFrame();
      } while (!(next instanceof Frame.Headers));
      assertThat(next.streamId()).isEqualTo(1);
    }
  }

  @Test
  void tooLargeHeaderListGets431() throws Exception {
    server = Http2Server.builder().port(0).maxHeaderListSize(4096).handler(ECHO).build().start();
    try (H2TestClient client = new H2TestClient(server.port())) {
      Http2Stream stream = client.open("GET", "/", true, "x-big", "a".repeat(8000));
      assertThat(stream.awaitResponse(H2TestClient.TIMEOUT_NANOS).status()).isEqualTo(431);
      assertThat(client.get("/ok").head().status()).isEqualTo(200);
    }
  }

  private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met in 10 s");
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
