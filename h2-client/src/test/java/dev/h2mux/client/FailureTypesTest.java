package dev.h2mux.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The types a failed call throws, which callers (the CLI's exit codes) decide by. */
class FailureTypesTest {
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void aRefusedConnectKeepsTheSystemsReasonAsItsCause() throws Exception {
    int port = closedPort();
    try (Http2Client client = Http2Client.builder().build()) {
      Throwable e =
          catchThrowable(
              () -> client.send(ClientRequest.get(URI.create("http://127.0.0.1:" + port + "/"))));
      assertThat(e)
          .isInstanceOf(ConnectException.class)
          .hasMessage("cannot connect to 127.0.0.1 port " + port + ": Connection refused");
      assertThat(e.getCause())
          .isInstanceOf(ConnectException.class)
          .hasMessage("Connection refused");
    }
  }

  /** Accepts, reads a request head, and closes without a byte: an empty reply. */
  private static final class ClosingServer implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final AtomicInteger connections = new AtomicInteger();
    final Thread acceptor =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    while (true) {
                      Socket s = socket.accept();
                      connections.incrementAndGet();
                      Thread.ofVirtual().start(() -> readHeadAndClose(s));
                    }
                  } catch (IOException e) {
                    // closed
                  }
                });

    ClosingServer() throws IOException {}

    private static void readHeadAndClose(Socket s) {
      try (s) {
        InputStream in = s.getInputStream();
        for (int b, run = 0; run < 4 && (b = in.read()) >= 0; ) {
          run = b == '\r' || b == '\n' ? run + 1 : 0;
        }
      } catch (IOException e) {
        // gone
      }
    }

    String url() {
      return "http://127.0.0.1:" + socket.getLocalPort() + "/";
    }

    @Override
    public void close() throws Exception {
      socket.close();
      acceptor.join();
    }
  }

  @Test
  void aCloseWithoutAByteOfResponseIsAnEmptyResponse() throws Exception {
    try (ClosingServer server = new ClosingServer();
        Http2Client client =
            Http2Client.builder()
                .connectionMode(ConnectionMode.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build()) {
      ClientRequest post = ClientRequest.builder(server.url()).method("POST").body("x").build();
      assertThat(catchThrowable(() -> client.send(post)))
          .isInstanceOf(EmptyResponseException.class)
          .hasMessageContaining("closed the connection without a response");
      assertThat(server.connections.get()).isEqualTo(1); // not idempotent: sent once
      Throwable get =
          catchThrowable(() -> client.send(ClientRequest.get(URI.create(server.url()))));
      assertThat(get).isInstanceOf(EmptyResponseException.class);
      assertThat(server.connections.get()).isEqualTo(1 + RetryPolicy.MAX_LOST_ATTEMPTS);
    }
  }
}
