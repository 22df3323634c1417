package dev.h2mux.server;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.engine.Http2Config;
import dev.h2mux.core.engine.Http2Connection;
import dev.h2mux.core.engine.Http2Stream;
import dev.h2mux.testkit.FramePeer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link Http2Server#close()}: nothing in flight lost, nothing sent destroyed, one log line. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GracefulServerShutdownTest {
  private static final byte[] BIG = new byte[500_000];

  static {
    for (int i = 0; i < BIG.length; i++) BIG[i] = (byte) ('a' + i % 26);
  }

  /** Reads to the end of the stream, which must be a FIN: a reset throws. */
  private static void assertCleanEnd(InputStream in) throws IOException {
    assertThat(in.read()).isEqualTo(-1);
  }

  private static void awaitRefused(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
        Thread.onSpinWait();
      } catch (ConnectException e) {
        return;
      } catch (IOException e) {
        return;
      }
    }
    throw new AssertionError("the listener did not close");
  }

  /**
   * An HTTP/1.1 response whose keep-alive head was sent before the shutdown: the client already
   * sent its next request. The server finishes the response, then must not close with that request
   * unread (a reset would destroy the response's end, still in the socket buffers).
   */
  @Test
  void aPipelinedRequestUnreadAtTheCloseDoesNotCutTheResponseBeforeIt() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Http2Server server =
        Http2Server.builder()
            .handler(
                (request, response) -> {
                  if (!request.path().equals("/big")) return;
                  response.headers().set("content-length", Integer.toString(BIG.length));
                  response.body().write(BIG, 0, 1000);
                  response.body().flush(); // the head is out, without Connection: close
                  entered.countDown();
                  release.await();
                  response.body().write(BIG, 1000, BIG.length - 1000);
                })
            .build()
            .start();
    Socket socket = new Socket();
    socket.setReceiveBufferSize(8 * 1024); // the response's end waits in the server's buffers
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
    try (RawConnection c = new RawConnection(socket)) {
      c.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
      awaitRefused(server.port());
      c.send("GET /next HTTP/1.1\r\nHost: a\r\n\r\n"); // pipelined
      release.countDown();
      RawConnection.Reply reply = c.read();
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.header("connection")).isNull(); // committed before the shutdown
      assertThat(reply.body().getBytes(ISO_8859_1)).isEqualTo(BIG);
      // The shutdown reaches the connection just before or just after this response ends: the
      // pipelined request is then dropped, or served as the last one. Either way, a clean end.
      if (c.in.peek(0) != -1) {
        assertThat(c.read().status()).isEqualTo(200);
      }
      assertCleanEnd(c.in);
      c.close(); // the server waited for this
      closing.get(20, TimeUnit.SECONDS);
    }
  }

  /** A client that connected just before the listener closed gets its request served. */
  @Test
  void aConnectionAcceptedAsTheServerClosesIsServedNotReset() throws Exception {
    Http2Server server =
        Http2Server.builder()
            .handler((request, response) -> response.body().write("served".getBytes(ISO_8859_1)))
            .build()
            .start();
    try (RawConnection c = new RawConnection(server.port())) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (server.connectionCount() == 0 && System.nanoTime() < deadline) Thread.onSpinWait();
      assertThat(server.connectionCount()).isOne();
      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
      awaitRefused(server.port());
      c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      RawConnection.Reply reply = c.read();
      assertThat(reply.body()).isEqualTo("served");
      // close() reaches the connection after the listener is closed and the acceptor has ended,
      // so the request may be answered before (keep-alive, then a FIN while idle) or after the
      // shutdown reached it (Connection: close). Either way it is served and ends cleanly.
      assertThat(reply.header("connection")).isIn(null, "close");
      assertCleanEnd(c.in);
      c.close(); // the server waited for this
      closing.get(20, TimeUnit.SECONDS);
    }
  }

  /**
   * Past the graceful timeout the busy connections are closed: the HTTP/2 client (raw frames, so
   * what reaches the wire is what is checked) still gets the final GOAWAY before the end of the
   * connection, with its stream cut, and the server logs one line counting what it cut.
   */
  @Test
  void whatIsStillBusyAtTheTimeoutIsCutAndCounted() throws Exception {
    CountDownLatch entered = new CountDownLatch(2);
    Http2Server server =
        Http2Server.builder()
            .handler(
                (request, response) -> {
                  entered.countDown();
                  new CountDownLatch(1).await(); // never finishes by itself
                })
            .gracefulShutdownTimeout(Duration.ofMillis(300))
            .build()
            .start();
    PrintStream stderr = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (FramePeer h2 = FramePeer.connect(server.port());
        RawConnection http1 = new RawConnection(server.port())) {
      // Nothing is read during the shutdown, so the server's PING goes unanswered, as by a client
      // busy elsewhere; nor afterwards, when the connection is gone.
      h2.handshake().answerPings(false).replenishWindows(false).readTimeout(10_000);
      h2.headers(1, true, FramePeer.request("GET", "/stuck"));
      http1.send("GET /stuck HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      System.setErr(new PrintStream(log, true, ISO_8859_1));
      try {
        server.close();
      } finally {
        System.setErr(stderr);
      }
      while (h2.next() != null) {
        // to the end of the connection
      }
      // Both GOAWAYs of the graceful shutdown (RFC 9113 §6.8), the second naming stream 1, and
      // no response: the stream was cut.
      assertThat(h2.trace())
          .filteredOn(line -> line.startsWith("<< GOAWAY") || line.startsWith("<< HEADERS"))
          .containsExactly(
              "<< GOAWAY 0 last_stream=2147483647 NO_ERROR", "<< GOAWAY 0 last_stream=1 NO_ERROR");
      assertThat(http1.closedByServer()).isTrue();
    }
    String lines = log.toString(ISO_8859_1);
    assertThat(lines.lines().filter(l -> l.contains("requests/streams cut")))
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .contains("WARN")
                    .contains("0 of 2 connections drained")
                    .contains("2 still busy after the 300 ms graceful timeout")
                    .contains("2 requests/streams cut"));
  }

  /**
   * Over TLS the half-close is a close_notify: the response in flight arrives whole through small
   * socket buffers, and both ends then see a clean end.
   */
  @Test
  void overTlsTheResponseInFlightArrivesWholeAndBothEndsCloseCleanly(@TempDir Path dir)
      throws Exception {
    TestCertificates certs = TestCertificates.create(dir, "EC");
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Http2Server server =
        Http2Server.builder()
            .handler(
                (request, response) -> {
                  entered.countDown();
                  release.await();
                  response.body().write(BIG);
                })
            .tls(TlsConfig.fromPkcs12(certs.pkcs12, TestCertificates.PASSWORD))
            .build()
            .start();
    Socket raw = new Socket();
    raw.setReceiveBufferSize(8 * 1024);
    raw.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
    SSLSocket tls =
        (SSLSocket)
            certs
                .clientContext()
                .getSocketFactory()
                .createSocket(raw, "localhost", server.port(), true);
    SSLParameters parameters = tls.getSSLParameters();
    parameters.setApplicationProtocols(new String[] {"h2"});
    tls.setSSLParameters(parameters);
    tls.startHandshake();
    assertThat(tls.getApplicationProtocol()).isEqualTo("h2");
    Http2Connection client =
        new Http2Connection(
            Http2Connection.Role.CLIENT,
            Http2Config.DEFAULTS,
            tls,
            tls.getInputStream(),
            tls.getOutputStream(),
            new Http2Connection.Listener() {});
    client.start();
    try {
      Http2Stream stream =
          client.newStream(
              dev.h2mux.core.HttpFields.of(
                  ":method", "GET", ":scheme", "https", ":authority", "localhost", ":path", "/"),
              true,
              H2TestClient.TIMEOUT_NANOS);
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
      awaitRefused(server.port());
      release.countDown();
      assertThat(Arrays.equals(H2TestClient.finish(stream).body(), BIG)).isTrue();
      closing.get(20, TimeUnit.SECONDS);
      assertThat(client.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      client.close();
    }
  }

  /** Responses in flight on HTTP/2 finish; the connection then closes cleanly. */
  @Test
  void http2StreamsInFlightFinishAndTheConnectionEndsCleanly() throws Exception {
    CountDownLatch entered = new CountDownLatch(3);
    CountDownLatch release = new CountDownLatch(1);
    Http2Server server =
        Http2Server.builder()
            .handler(
                (request, response) -> {
                  entered.countDown();
                  release.await();
                  response.body().write(BIG);
                })
            .build()
            .start();
    try (H2TestClient client = new H2TestClient(server.port())) {
      Http2Stream[] streams = new Http2Stream[3];
      for (int i = 0; i < 3; i++) streams[i] = client.open("GET", "/" + i, true);
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!client.connection.isShutdown() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(client.connection.isShutdown()).as("GOAWAY received").isTrue();
      release.countDown();
      for (Http2Stream stream : streams) {
        assertThat(Arrays.equals(H2TestClient.finish(stream).body(), BIG)).isTrue();
      }
      closing.get(20, TimeUnit.SECONDS);
      assertThat(client.connection.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
