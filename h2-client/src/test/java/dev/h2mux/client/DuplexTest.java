package dev.h2mux.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.testkit.PeerServer;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Full duplex: the request body goes out on its own thread while the response arrives, over HTTP/2
 * and HTTP/1.1 alike, and a failure of the body's source reaches the caller.
 */
class DuplexTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static ServerFixture server;

  @BeforeAll
  static void start() throws Exception {
    server = new ServerFixture();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Http2Client client(ConnectionMode mode) {
    return Http2Client.builder()
        .connectionMode(mode)
        .connectTimeout(Duration.ofSeconds(5))
        .responseTimeout(WAIT)
        .build();
  }

  /**
   * A body writer that writes {@code first}, then waits for {@code gate}, then runs {@code rest}.
   */
  private static ClientRequest.BodyWriter gated(String first, CountDownLatch gate, Rest rest) {
    return out -> {
      out.write(first.getBytes(StandardCharsets.UTF_8));
      out.flush();
      try {
        if (!gate.await(WAIT.toSeconds(), TimeUnit.SECONDS)) throw new IOException("gate timeout");
      } catch (InterruptedException e) {
        throw new InterruptedIOException();
      }
      rest.run(out);
    };
  }

  @FunctionalInterface
  interface Rest {
    void run(OutputStream out) throws IOException;
  }

  @ParameterizedTest
  @EnumSource(
      value = ConnectionMode.class,
      names = {"PRIOR_KNOWLEDGE", "HTTP_1_1"})
  void sendReturnsAtTheResponseHeadWhileTheUploadGoesOn(ConnectionMode mode) throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    try (Http2Client client = client(mode)) {
      ClientRequest request =
          ClientRequest.builder(server.url("/stream-echo"))
              .method("POST")
              .body(gated("first part, ", gate, out -> out.write("second part".getBytes())))
              .build();
      // The body is still being written (the writer waits on the gate) when the head comes.
      ClientResponse response = client.sendAsync(request).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(response.status()).isEqualTo(200);
      gate.countDown();
      assertThat(response.string()).isEqualTo("first part, second part");
      assertThat(response.info().bytesUploaded()).isEqualTo("first part, second part".length());
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = ConnectionMode.class,
      names = {"PRIOR_KNOWLEDGE", "HTTP_1_1"})
  void echoes64MiBStreamedWithoutHoldingTheBody(ConnectionMode mode) throws Exception {
    long size = 64L << 20;
    String expected = TestSupport.sha256(TestSupport.patternStream(size));
    AtomicLong sourceRead = new AtomicLong();
    try (Http2Client client = client(mode)) {
      ClientRequest request =
          ClientRequest.builder(server.url("/stream-echo"))
              .method("PUT")
              .body(() -> counting(TestSupport.patternStream(size), sourceRead), size)
              .build();
      try (ClientResponse response = client.send(request)) {
        InputStream body = response.body();
        byte[] first = body.readNBytes(64 * 1024);
        assertThat(first).hasSize(64 * 1024);
        // the first bytes came back long before the source was read to its end
        assertThat(sourceRead.get()).isLessThan(size);
        String sha =
            TestSupport.sha256(new SequenceInputStream(new ByteArrayInputStream(first), body));
        assertThat(sha).isEqualTo(expected);
        assertThat(response.info().bytesUploaded()).isEqualTo(size);
        assertThat(response.info().bytesDownloaded()).isEqualTo(size);
      }
    }
  }

  private static InputStream counting(InputStream in, AtomicLong count) {
    return new FilterInputStream(in) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) count.addAndGet(n);
        return n;
      }
    };
  }

  @ParameterizedTest
  @EnumSource(
      value = ConnectionMode.class,
      names = {"PRIOR_KNOWLEDGE", "HTTP_1_1"})
  void aSourceFailingAfterTheResponseBeganFailsTheBodyRead(ConnectionMode mode) throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    try (Http2Client client = client(mode)) {
      ClientRequest request =
          ClientRequest.builder(server.url("/stream-echo"))
              .method("POST")
              .body(
                  gated(
                      "some",
                      gate,
                      out -> {
                        throw new IOException("the source is gone");
                      }))
              .build();
      ClientResponse response = client.sendAsync(request).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(response.status()).isEqualTo(200);
      gate.countDown();
      assertThatThrownBy(response::bytes)
          .isInstanceOf(RequestBodyException.class)
          .hasRootCauseMessage("the source is gone");
      // the client goes on: the cut exchange took nothing else with it
      assertThat(client.send(ClientRequest.get(URI.create(server.url("/hello")))).status())
          .isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = ConnectionMode.class,
      names = {"PRIOR_KNOWLEDGE", "HTTP_1_1"})
  void aSourceFailingBeforeTheResponseFailsSend(ConnectionMode mode) throws Exception {
    try (Http2Client client = client(mode)) {
      // /upload answers only after the whole body: the failure comes first
      ClientRequest failing =
          ClientRequest.builder(server.url("/upload"))
              .method("POST")
              .body(
                  out -> {
                    out.write(new byte[100_000]);
                    throw new IOException("disk read error");
                  })
              .build();
      assertThatThrownBy(() -> client.send(failing))
          .isInstanceOf(RequestBodyException.class)
          .hasRootCauseMessage("disk read error");
      // a body shorter than it said is the source's failure too, not a complete request
      ClientRequest shorter =
          ClientRequest.builder(server.url("/upload"))
              .method("POST")
              .body(() -> new ByteArrayInputStream(new byte[5]), 10)
              .build();
      assertThatThrownBy(() -> client.send(shorter))
          .isInstanceOf(RequestBodyException.class)
          .hasMessageContaining("5 of its declared 10");
    }
  }

  @Test
  void anEarlyHttp11AnswerIsDeliveredAndItsConnectionNotReused() throws Exception {
    long size = 64L << 20;
    try (EarlyAnswerServer early = new EarlyAnswerServer();
        Http2Client client = client(ConnectionMode.HTTP_1_1)) {
      ClientRequest upload =
          ClientRequest.builder(early.url("/upload"))
              .method("PUT")
              .body(() -> TestSupport.patternStream(size), size)
              .build();
      // The server never reads the body: the client must read the 413 while its upload is stuck.
      ClientResponse response = client.sendAsync(upload).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(response.status()).isEqualTo(413);
      assertThat(response.string()).isEqualTo("too large");
      assertThat(response.info().bytesUploaded()).isLessThan(size);
      // that connection is closed, not pooled; the upload thread ends with it
      early.drain.countDown();
      TestSupport.awaitCondition("the client to close it", WAIT, () -> early.closed.get() == 1);
      TestSupport.awaitCondition(
          "the upload to end", WAIT, () -> threads(client.name + "-upload").isEmpty());
      ClientResponse next = client.send(ClientRequest.get(URI.create(early.url("/x"))));
      assertThat(next.status()).isEqualTo(413);
      next.close();
      assertThat(early.connections.get()).isEqualTo(2);
      assertThat(early.failures).isEmpty();
    }
  }

  @Test
  void anEarlyHttp2AnswerThatIsNoSuccessStopsTheUpload() throws Exception {
    long size = 64L << 20;
    CompletableFuture<Frame.RstStream> reset = new CompletableFuture<>();
    try (PeerServer h2 =
            new PeerServer(
                (n, peer) -> {
                  peer.replenishWindows(false).handshake();
                  int id = peer.nextRequest().streamId();
                  // a whole answer, no window for the body, no RST_STREAM(NO_ERROR) either
                  peer.headers(id, true, HttpFields.of(":status", "413", "content-length", "0"));
                  reset.complete(peer.awaitFrame(Frame.RstStream.class));
                  peer.drain();
                });
        Http2Client client = client(ConnectionMode.PRIOR_KNOWLEDGE)) {
      ClientRequest upload =
          ClientRequest.builder(h2.url("/upload"))
              .method("PUT")
              .body(() -> TestSupport.patternStream(size), size)
              .build();
      ClientResponse response = client.sendAsync(upload).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(response.status()).isEqualTo(413);
      // the body's end does not wait for an upload the server will never take
      assertThat(response.bytes()).isEmpty();
      assertThat(reset.get(WAIT.toSeconds(), TimeUnit.SECONDS).error()).isEqualTo(ErrorCode.CANCEL);
      TestSupport.awaitCondition(
          "the upload to end", WAIT, () -> threads(client.name + "-upload").isEmpty());
    }
  }

  private static List<String> threads(String prefix) {
    try {
      return TestSupport.threadsNamed(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An HTTP/1.1 server that answers every request at once with 413 and reads nothing of its body,
   * keeping the connection until the client closes it.
   */
  static final class EarlyAnswerServer implements AutoCloseable {
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final CountDownLatch drain = new CountDownLatch(1);
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    EarlyAnswerServer() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      while (true) {
                        Socket socket = server.accept();
                        sockets.add(socket);
                        connections.incrementAndGet();
                        Thread.ofVirtual().start(() -> serve(socket));
                      }
                    } catch (IOException e) {
                      // closed
                    }
                  });
    }

    private void serve(Socket socket) {
      try (socket) {
        InputStream in = socket.getInputStream();
        // the head only: up to the empty line
        int matched = 0;
        for (int b; matched < 4 && (b = in.read()) >= 0; ) {
          matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        OutputStream out = socket.getOutputStream();
        out.write(
            "HTTP/1.1 413 Content Too Large\r\ncontent-length: 9\r\n\r\ntoo large"
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        // Reads nothing more until the test has the answer; then drains to the client's close
        // (an end of stream, or a reset if the client closed with bytes we had not read).
        if (!drain.await(WAIT.toSeconds(), TimeUnit.SECONDS)) throw new IOException("no drain");
        try {
          while (in.skip(1 << 20) > 0 || in.read() >= 0) {
            // discarded
          }
        } catch (IOException e) {
          // reset by the client's close
        }
        closed.incrementAndGet();
      } catch (IOException | InterruptedException e) {
        failures.add(e);
      }
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    @Override
    public void close() throws Exception {
      server.close();
      for (Socket s : sockets) s.close();
      acceptor.join();
    }
  }
}
