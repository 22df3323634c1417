package dev.h2mux.server;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.HttpFields;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Http1ServerTest {
  private final List<Http2Server> servers = new ArrayList<>();

  @AfterEach
  void closeServers() {
    servers.forEach(Http2Server::closeNow);
  }

  private int start(Handler handler) throws IOException {
    return start(b -> b, handler);
  }

  private int start(UnaryOperator<Http2Server.Builder> configure, Handler handler)
      throws IOException {
    Http2Server server = configure.apply(Http2Server.builder().handler(handler)).build().start();
    servers.add(server);
    return server.port();
  }

  /** Answers with method, path and the request body. */
  private static final Handler ECHO_INFO =
      (request, response) -> {
        byte[] body = request.body().readAllBytes();
        response.headers().set("x-method", request.method());
        response.headers().set("x-path", request.path());
        response.headers().set("x-protocol", request.protocol());
        response.headers().set("x-authority", request.authority());
        HttpFields trailers = request.trailers();
        if (!trailers.isEmpty()) {
          response.headers().set("x-trailer-names", String.join(",", trailers.all("x-checksum")));
        }
        response.body().write(body);
      };

  @Test
  void keepAliveServesTwoRequestsOnOneSocket() throws IOException {
    int port = start(ECHO_INFO);
    try (RawConnection c = new RawConnection(port)) {
      c.send("GET /one HTTP/1.1\r\nHost: localhost\r\n\r\n");
      RawConnection.Reply first = c.read();
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.header("x-path")).isEqualTo("/one");
      assertThat(first.header("x-authority")).isEqualTo("localhost");
      assertThat(first.header("content-length")).isEqualTo("0");
      assertThat(first.header("date"))
          .matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
      c.send("GET /two?q=1 HTTP/1.1\r\nHost: localhost\r\n\r\n");
      assertThat(c.read().header("x-path")).isEqualTo("/two?q=1");
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws IOException {
    int port = start(ECHO_INFO);
    try (RawConnection c = new RawConnection(port)) {
      c.send(
          "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
              + "POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
              + "GET /3 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      assertThat(c.read().header("x-path")).isEqualTo("/1");
      RawConnection.Reply second = c.read();
      assertThat(second.header("x-path")).isEqualTo("/2");
      assertThat(second.body()).isEqualTo("hello");
      RawConnection.Reply third = c.read();
      assertThat(third.header("x-path")).isEqualTo("/3");
      assertThat(third.header("connection")).isEqualTo("close");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void chunkedRequestWithTrailersAndChunkedResponse() throws IOException {
    int port =
        start(
            (request, response) -> {
              byte[] body = request.body().readAllBytes();
              response.headers().set("x-got", String.valueOf(request.trailers().get("x-checksum")));
              OutputStream out = response.body();
              out.write(body);
              out.flush();
              out.write(body);
              response.trailers(HttpFields.of("x-done", "yes"));
            });
    try (RawConnection c = new RawConnection(port)) {
      c.send(
          "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Checksum: 42\r\n\r\n");
      RawConnection.Reply reply = c.read();
      assertThat(reply.header("transfer-encoding")).isEqualTo("chunked");
      assertThat(reply.header("content-length")).isNull();
      assertThat(reply.header("x-got")).isEqualTo("42");
      assertThat(reply.body()).isEqualTo("abcdeabcde");
      assertThat(reply.trailers().get("x-done")).isEqualTo("yes");
      // still usable
      c.send(
          "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n");
      assertThat(c.read().body()).isEqualTo("zz");
    }
  }

  @Test
  void trailersAreDroppedWithContentLength() throws IOException {
    int port =
        start(
            (request, response) -> {
              response.headers().set("content-length", "2");
              response.trailers(HttpFields.of("x-t", "1"));
              response.body().write("ok".getBytes(UTF_8));
            });
    try (RawConnection c = new RawConnection(port)) {
      c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      RawConnection.Reply reply = c.read();
      assertThat(reply.body()).isEqualTo("ok");
      assertThat(reply.header("transfer-encoding")).isNull();
    }
  }

  @Test
  void expectContinueIsAnsweredWhenTheHandlerReads() throws IOException {
    int port = start(ECHO_INFO);
    try (RawConnection c = new RawConnection(port)) {
      c.send("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
      assertThat(c.readHead().status()).isEqualTo(100);
      c.send("data");
      RawConnection.Reply reply = c.read();
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.body()).isEqualTo("data");
    }
  }

  @Test
  void expectContinueWithoutReadingSendsNo100AndCloses() throws IOException {
    int port = start((request, response) -> response.status(403));
    try (RawConnection c = new RawConnection(port)) {
      c.send("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
      RawConnection.Reply reply = c.read();
      assertThat(reply.status()).isEqualTo(403);
      assertThat(reply.header("connection")).isEqualTo("close");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void unknownExpectationIs417() throws IOException {
    int port = start(ECHO_INFO);
    try (RawConnection c = new RawConnection(port)) {
      c.send("GET / HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(417);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void headSendsNoBodyButKeepsContentLength() throws IOException {
    int port =
        start(
            (request, response) -> {
              response.headers().set("content-length", "5");
              response.body().write("hello".getBytes(UTF_8));
            });
    try (RawConnection c = new RawConnection(port)) {
      c.send("HEAD / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
      RawConnection.Reply head = c.read("HEAD");
      assertThat(head.header("content-length")).isEqualTo("5");
      assertThat(head.body()).isEmpty();
      // the next response starts right away: no body bytes were written for HEAD
      assertThat(c.read().body()).isEqualTo("hello");
    }
  }

  @Test
  void noContentAndNotModifiedHaveNoBody() throws IOException {
    int port =
        start((request, response) -> response.status(request.path().equals("/204") ? 204 : 304));
    try (RawConnection c = new RawConnection(port)) {
      c.send("GET /204 HTTP/1.1\r\nHost: a\r\n\r\nGET /304 HTTP/1.1\r\nHost: a\r\n\r\n");
      RawConnection.Reply noContent = c.read();
      assertThat(noContent.status()).isEqualTo(204);
      assertThat(noContent.header("content-length")).isNull();
      assertThat(c.read().status()).isEqualTo(304);
    }
  }

  @Test
  void connectionCloseFromTheClientIsHonoured() throws IOException {
    int port = start(ECHO_INFO);
    try (RawConnection c = new RawConnection(port)) {
      c.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      assertThat(c.read().header("connection")).isEqualTo("close");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void connectionCloseFromTheHandlerIsHonoured() throws IOException {
    int port = start((request, response) -> response.headers().set("Connection", "close"));
    try (RawConnection c = new RawConnection(port)) {
      c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(c.read().header("connection")).isEqualTo("close");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void http10ClosesUnlessKeepAliveAndUsesCloseDelimitedBodies() throws IOException {
    int port =
        start(
            (request, response) -> {
              response.headers().set("x-protocol", request.protocol());
              if (request.path().equals("/stream")) {
                response.body().write("streamed".getBytes(UTF_8));
              }
            });
    try (RawConnection c = new RawConnection(port)) {
      c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      RawConnection.Reply reply = c.read();
      assertThat(reply.head().status()).isEqualTo(200);
      assertThat(reply.header("connection")).isEqualTo("keep-alive");
      assertThat(reply.header("x-protocol")).isEqualTo("HTTP/1.0");
      c.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      RawConnection.Reply streamed = c.read();
      assertThat(streamed.header("transfer-encoding")).isNull();
      assertThat(streamed.header("connection")).isEqualTo("close");
      assertThat(streamed.body()).isEqualTo("streamed"); // read until close
    }
    try (RawConnection c = new RawConnection(port)) {
      c.send("GET / HTTP/1.0\r\n\r\n");
      assertThat(c.read().header("connection")).isEqualTo("close");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GET / HTTP/1.1\r\n\r\n", // no Host
        "GET / HTTP/1.1\r\nHost: a\r\nX-Folded: a\r\n b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n",
        "GET /\u0001 HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET nopath HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET * HTTP/1.1\r\nHost: a\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 2\r\n\r\nab",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      })
  void malformedAndSmugglingRequestsGet400AndClose(String raw) throws IOException {
    AtomicInteger handled = new AtomicInteger();
    int port = start((request, response) -> handled.incrementAndGet());
    try (RawConnection c = new RawConnection(port)) {
      c.send(raw + "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n");
      RawConnection.Reply reply = c.read();
      assertThat(reply.status()).isEqualTo(400);
      assertThat(reply.header("connection")).isEqualTo("close");
      assertThat(c.closedByServer()).isTrue();
    }
    assertThat(handled).hasValue(0);
  }

  @Test
  void malformedChunkedBodyGets400() throws IOException {
    int port = start(ECHO_INFO);
    try (RawConnection c = new RawConnection(port)) {
      c.send(
          "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n");
      assertThat(c.read().status()).isEqualTo(400);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void unknownTransferCodingIs501AndUnknownVersion505() throws IOException {
    int port = start(ECHO_INFO);
    try (RawConnection c = new RawConnection(port)) {
      c.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(501);
      assertThat(c.closedByServer()).isTrue();
    }
    try (RawConnection c = new RawConnection(port)) {
      c.send("GET / HTTP/1.2\r\nHost: a\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(505);
    }
  }

  @Test
  void tooLargeHeadIs431() throws IOException {
    int port = start(b -> b.maxHeaderListSize(2048), ECHO_INFO);
    try (RawConnection c = new RawConnection(port)) {
      c.send("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(4000) + "\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(431);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void aRequestTargetLongerThanTheHeadLimitIs414() throws IOException {
    int port = start(b -> b.maxHeaderListSize(2048), ECHO_INFO);
    try (RawConnection c = new RawConnection(port)) {
      c.send("GET /" + "a".repeat(4000) + " HTTP/1.1\r\nHost: a\r\n\r\n");
      RawConnection.Reply reply = c.read();
      assertThat(reply.status()).isEqualTo(414);
      assertThat(reply.body()).isEqualTo("414 URI Too Long\n");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void absoluteFormTargetGivesPathAndAuthority() throws IOException {
    int port = start(ECHO_INFO);
    try (RawConnection c = new RawConnection(port)) {
      c.send("GET http://example.com:81?x=1 HTTP/1.1\r\nHost: other\r\n\r\n");
      RawConnection.Reply reply = c.read();
      assertThat(reply.header("x-path")).isEqualTo("/?x=1");
      assertThat(reply.header("x-authority")).isEqualTo("example.com:81");
    }
  }

  @Test
  void slowHeaderSenderIsDisconnected() throws IOException {
    int port = start(b -> b.headerReadTimeout(Duration.ofMillis(300)), ECHO_INFO);
    try (RawConnection c = new RawConnection(port)) {
      long start = System.nanoTime();
      c.send("GET / HTTP/1.1\r\nHost: a\r\n");
      assertThat(c.closedByServer()).isTrue();
      assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
    }
  }

  @Test
  void tricklingHeaderSenderIsDisconnectedAtTheDeadline() throws IOException {
    int port = start(b -> b.headerReadTimeout(Duration.ofMillis(300)), ECHO_INFO);
    ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    try (RawConnection c = new RawConnection(port)) {
      c.send("GET / HTTP/1.1\r\n");
      // one byte every 50 ms: each read is quick, but the head never completes
      trickle.scheduleAtFixedRate(
          () -> {
            try {
              c.send("X");
            } catch (IOException e) {
              throw new IllegalStateException(e); // stops the schedule once the server closed
            }
          },
          0,
          50,
          TimeUnit.MILLISECONDS);
      long start = System.nanoTime();
      assertThat(c.closedByServer()).isTrue();
      assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
    } finally {
      trickle.shutdownNow();
    }
  }

  @Test
  void idleConnectionIsClosedAfterTheIdleTimeout() throws IOException {
    int port = start(b -> b.idleTimeout(Duration.ofMillis(300)), ECHO_INFO);
    try (RawConnection c = new RawConnection(port)) {
      c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void aRequestInFlightIsNotIdleWhateverItsHandlerTakes() throws IOException {
    CountDownLatch never = new CountDownLatch(1);
    int port =
        start(
            b -> b.idleTimeout(Duration.ofMillis(100)),
            (request, response) -> {
              try {
                // Busy for several idle timeouts (and sweeps): the connection is not idle.
                assertThat(never.await(600, TimeUnit.MILLISECONDS)).isFalse();
              } catch (InterruptedException e) {
                throw new IOException(e);
              }
              response.headers().set("content-length", "0");
            });
    try (RawConnection c = new RawConnection(port)) {
      c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
      c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
      assertThat(c.closedByServer()).isTrue(); // then idle, and closed
    }
  }

  @Test
  void handlerThrowingBeforeCommitGives500() throws IOException {
    int port =
        start(
            (request, response) -> {
              response.headers().set("x-lost", "yes");
              throw new IllegalStateException("boom");
            });
    try (RawConnection c = new RawConnection(port)) {
      c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      RawConnection.Reply reply = c.read();
      assertThat(reply.status()).isEqualTo(500);
      assertThat(reply.header("x-lost")).isNull();
      assertThat(c.closedByServer()).isTrue();
    }
    // other connections are unaffected
    try (RawConnection c = new RawConnection(port)) {
      c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(500);
    }
  }

  @Test
  void handlerThrowingAfterCommitClosesTheConnection() throws IOException {
    int port =
        start(
            (request, response) -> {
              response.body().write("partial".getBytes(UTF_8));
              response.body().flush();
              throw new IllegalStateException("boom");
            });
    try (RawConnection c = new RawConnection(port)) {
      c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThatThrownBy(c::read).isInstanceOf(IOException.class); // the chunked body never ends
    }
  }

  @Test
  void shortContentLengthBodyClosesTheConnection() throws IOException {
    int port =
        start(
            (request, response) -> {
              response.headers().set("content-length", "10");
              response.body().write("abc".getBytes(UTF_8));
            });
    try (RawConnection c = new RawConnection(port)) {
      c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThatThrownBy(c::read).isInstanceOf(IOException.class);
    }
  }

  @Test
  void unreadSmallBodyIsDrainedAndTheConnectionKept() throws IOException {
    int port = start((request, response) -> response.headers().set("x-path", request.path()));
    try (RawConnection c = new RawConnection(port)) {
      c.send(
          "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET /b HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(c.read().header("x-path")).isEqualTo("/a");
      assertThat(c.read().header("x-path")).isEqualTo("/b");
    }
  }

  @Test
  void unreadLargeBodyClosesTheConnection() throws IOException {
    int port = start((request, response) -> {});
    try (RawConnection c = new RawConnection(port)) {
      long length = Http1ServerConnection.DRAIN_LIMIT * 4L;
      c.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + length + "\r\n\r\n");
      Thread writer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      byte[] chunk = new byte[8192];
                      for (long sent = 0; sent < length; sent += chunk.length) {
                        c.out.write(chunk);
                      }
                    } catch (IOException expected) {
                      // the server closed
                    }
                  });
      assertThat(c.read().status()).isEqualTo(200);
      assertThat(c.closedByServer()).isTrue();
      c.socket.close(); // unblocks the writer
      writer.interrupt();
    }
  }

  @Test
  void javaHttpClientOverHttp11() throws Exception {
    int port = start(ECHO_INFO);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
                  .POST(HttpRequest.BodyPublishers.ofString("payload"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(response.body()).isEqualTo("payload");
      assertThat(response.headers().firstValue("x-method")).hasValue("POST");
      assertThat(response.headers().firstValue("x-protocol")).hasValue("HTTP/1.1");
    } finally {
      client.close();
    }
  }

  @Test
  void curlChunkedUploadWithExpectContinue() throws Exception {
    int port = start(ECHO_INFO);
    Process curl =
        new ProcessBuilder(
                "/usr/bin/curl",
                "-sS",
                "--http1.1",
                "-H",
                "Transfer-Encoding: chunked",
                "-H",
                "Expect: 100-continue",
                "--data-binary",
                "@-",
                "http://127.0.0.1:" + port + "/up")
            .redirectErrorStream(true)
            .start();
    try (OutputStream stdin = curl.getOutputStream()) {
      stdin.write("uploaded through curl".getBytes(UTF_8));
    }
    assertThat(curl.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(curl.getInputStream().readAllBytes(), ISO_8859_1))
        .isEqualTo("uploaded through curl");
    assertThat(curl.exitValue()).isZero();
  }

  @Test
  void h2cUpgradeAnswers101AndHandsOver() throws IOException {
    int port = start(ECHO_INFO);
    try (RawConnection c = new RawConnection(port)) {
      c.send(
          "GET /up HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
              + "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n");
      var head = c.readHead();
      assertThat(head.status()).isEqualTo(101);
      assertThat(head.headers().get("upgrade")).isEqualTo("h2c");
      assertThat(head.headers().get("connection")).isEqualTo("Upgrade");
    }
  }

  /**
   * HTTP2-Settings must be a SETTINGS payload in base64url (RFC 7540 §3.2.1) that RFC 9113 §6.5
   * accepts; anything else is answered with 400 before any switch: not base64url, a length that is
   * no multiple of 6, SETTINGS_ENABLE_PUSH 2, SETTINGS_INITIAL_WINDOW_SIZE 2^31,
   * SETTINGS_MAX_FRAME_SIZE 16383.
   */
  @ParameterizedTest
  @ValueSource(strings = {"!!!", "AAMAAA", "AAIAAAAC", "AASAAAAA", "AAUAAD__"})
  void h2cUpgradeWithBadSettingsIs400(String settings) throws IOException {
    int port = start(ECHO_INFO);
    try (RawConnection c = new RawConnection(port)) {
      c.send(
          "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
              + "HTTP2-Settings: "
              + settings
              + "\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(400);
    }
  }

  @Test
  void h2cUpgradeWithTooLargeBodyIsServedAsHttp11() throws IOException {
    int port = start(b -> b.maxRequestBodyBuffered(4), ECHO_INFO);
    try (RawConnection c = new RawConnection(port)) {
      c.send(
          "POST /up HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
              + "HTTP2-Settings: AAMAAABk\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n");
      RawConnection.Reply reply = c.read();
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.body()).isEqualTo("abcdefg");
    }
  }

  @Test
  void upgradeFieldsForHttp2DropConnectionSpecificOnes() {
    HttpFields fields =
        HttpFields.of(
            "host",
            "a",
            "connection",
            "Upgrade, HTTP2-Settings, X-Hop",
            "upgrade",
            "h2c",
            "http2-settings",
            "AAMAAABk",
            "x-hop",
            "1",
            "te",
            "gzip",
            "accept",
            "*/*");
    assertThat(ServerUpgrade.fieldsForHttp2(fields)).isEqualTo(HttpFields.of("accept", "*/*"));
    assertThat(ServerUpgrade.fieldsForHttp2(HttpFields.of("te", "trailers")).get("te"))
        .isEqualTo("trailers");
  }
}
