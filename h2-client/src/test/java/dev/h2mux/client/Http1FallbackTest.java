package dev.h2mux.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Prior knowledge against a server that speaks only HTTP/1.1: the client falls back. */
class Http1FallbackTest {

  /**
   * A tiny HTTP/1.1 server: answers anything that is not GET/HEAD (the h2 preface too) with 505.
   */
  static final class TinyHttp1Server implements AutoCloseable {
    final ServerSocket server;
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    private final Thread acceptor;

    TinyHttp1Server() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      while (true) {
                        Socket socket = server.accept();
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
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        OutputStream out = socket.getOutputStream();
        for (String line; (line = in.readLine()) != null; ) {
          String requestLine = line;
          while ((line = in.readLine()) != null && !line.isEmpty()) {
            // headers ignored
          }
          if (!requestLine.endsWith("HTTP/1.1")) {
            out.write(
                "HTTP/1.1 505 HTTP Version Not Supported\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            return;
          }
          requests.incrementAndGet();
          String body = "h1 only";
          out.write(
              ("HTTP/1.1 200 Fine, thanks\r\ncontent-length: " + body.length() + "\r\n\r\n" + body)
                  .getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        }
      } catch (IOException e) {
        // client gone
      }
    }

    String url() {
      return "http://127.0.0.1:" + server.getLocalPort() + "/";
    }

    @Override
    public void close() throws Exception {
      server.close();
      acceptor.join();
    }
  }

  @Test
  void fallsBackToHttp11AndRemembersIt() throws Exception {
    try (TinyHttp1Server server = new TinyHttp1Server();
        Http2Client client = Http2Client.builder().connectTimeout(Duration.ofSeconds(5)).build()) {
      ClientResponse first = client.send(ClientRequest.get(URI.create(server.url())));
      assertThat(first.protocol()).isEqualTo(Protocol.HTTP_1_1);
      assertThat(first.reason()).isEqualTo("Fine, thanks"); // as the server wrote it
      assertThat(first.string()).isEqualTo("h1 only");
      ClientResponse second = client.send(ClientRequest.get(URI.create(server.url())));
      assertThat(second.protocol()).isEqualTo(Protocol.HTTP_1_1);
      assertThat(second.string()).isEqualTo("h1 only");
      // one connection tried HTTP/2, one fresh connection carried both HTTP/1.1 requests
      assertThat(server.connections.get()).isEqualTo(2);
      assertThat(server.requests.get()).isEqualTo(2);
    }
  }
}
