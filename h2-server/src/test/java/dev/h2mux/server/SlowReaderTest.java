package dev.h2mux.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that stops reading a response (a slow-read attack) must not hold its connection and the
 * handler's thread forever: Java has no timeout for a blocking socket write, so the server's {@link
 * WriteStallWatch} closes a connection whose write made no progress for the idle timeout.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SlowReaderTest {
  /** Far more than the socket buffers of both sides can hold, so the write must block. */
  private static final int RESPONSE_BYTES = 64 << 20;

  private static final Duration IDLE = Duration.ofMillis(300);

  @TempDir Path dir;
  private Http2Server server;

  @AfterEach
  void stop() {
    if (server != null) server.closeNow();
  }

  /** Completes with how the handler's write of a huge response ended: null if it all went out. */
  private final CompletableFuture<IOException> handlerWrite = new CompletableFuture<>();

  private final Handler huge =
      (request, response) -> {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream body = response.body()) {
          for (int sent = 0; sent < RESPONSE_BYTES; sent += chunk.length) body.write(chunk);
          handlerWrite.complete(null);
        } catch (IOException e) {
          handlerWrite.complete(e);
        }
      };

  private static Socket nonReadingClient(int port) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096); // before connect: a small TCP window
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
    return socket;
  }

  private static void sendGet(Socket socket) throws IOException {
    socket.getOutputStream().write("GET /huge HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII));
    socket.getOutputStream().flush();
  }

  @Test
  void anHttp1ClientThatStopsReadingIsDisconnectedAfterTheIdleTimeout() throws Exception {
    server = Http2Server.builder().port(0).idleTimeout(IDLE).handler(huge).build().start();
    try (Socket client = nonReadingClient(server.port())) {
      sendGet(client);
      // Without the watch the handler's write blocks for as long as the client keeps the socket.
      assertThat(handlerWrite.get(20, TimeUnit.SECONDS)).isNotNull();
      assertThat(client.getInputStream().readAllBytes().length).isLessThan(RESPONSE_BYTES);
    }
  }

  @Test
  void overTlsTheStuckWriteIsEndedToo() throws Exception {
    TestCertificates certs = TestCertificates.create(dir, "EC");
    server =
        Http2Server.builder()
            .port(0)
            .idleTimeout(IDLE)
            .tls(TlsConfig.fromPkcs12(certs.pkcs12, TestCertificates.PASSWORD))
            .handler(huge)
            .build()
            .start();
    try (Socket tcp = nonReadingClient(server.port());
        SSLSocket client =
            (SSLSocket)
                certs
                    .clientContext()
                    .getSocketFactory()
                    .createSocket(tcp, "localhost", server.port(), true)) {
      SSLParameters parameters = client.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"http/1.1"});
      client.setSSLParameters(parameters);
      client.startHandshake();
      sendGet(client);
      assertThat(handlerWrite.get(20, TimeUnit.SECONDS)).isNotNull();
    }
  }

  @Test
  void aClientThatReadsGetsEverythingAndTheWatchForgetsItsConnection() throws Exception {
    server =
        Http2Server.builder()
            .port(0)
            .idleTimeout(Duration.ofSeconds(10))
            .handler(
                (request, response) -> {
                  try (OutputStream body = response.body()) {
                    body.write(new byte[1 << 20]);
                  }
                })
            .build()
            .start();
    try (Socket client = nonReadingClient(server.port())) {
      client
          .getOutputStream()
          .write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(US_ASCII));
      byte[] reply = client.getInputStream().readAllBytes();
      assertThat(reply.length).isGreaterThan(1 << 20);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.connectionCount() > 0 && System.nanoTime() < deadline) Thread.onSpinWait();
    assertThat(server.connectionCount()).isZero();
    assertThat(server.writeWatchCount()).isZero();
  }
}
