package dev.h2mux.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameWriter;
import dev.h2mux.core.frame.Http2Settings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Prior knowledge against servers that do not speak h2c: whatever they answer the preface with, if
 * it is not a SETTINGS frame the client retries once over HTTP/1.1 on a new connection, and
 * remembers that for the origin.
 */
class PriorKnowledgeFallbackTest {

  /** What the server does with the first connection, the one that brings the HTTP/2 preface. */
  enum Shape {
    /** An HTTP/1.1 status line, as most HTTP/1.1 servers answer a request line they reject. */
    STATUS_LINE,
    /** A bare HTML page without a status line, as Python's http.server answers "HTTP/2.0". */
    BARE_HTML,
    /** A close without a byte, after reading what came. */
    CLOSE,
    /** A reset without a byte: a close with the preface unread. */
    RESET
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void anyAnswerButSettingsMeansHttp11(Shape shape) throws Exception {
    try (Http1OnlyServer server = new Http1OnlyServer(shape);
        Http2Client client = Http2Client.builder().connectTimeout(Duration.ofSeconds(5)).build()) {
      ClientResponse first = client.send(ClientRequest.get(URI.create(server.url())));
      assertThat(first.protocol()).isEqualTo(Protocol.HTTP_1_1);
      assertThat(first.string()).isEqualTo("h1 ok");
      assertThat(first.info().connectionsOpened()).isEqualTo(2); // the h2c try, then HTTP/1.1
      ClientResponse second = client.send(ClientRequest.get(URI.create(server.url())));
      assertThat(second.string()).isEqualTo("h1 ok");
      // remembered: no second h2c try; the HTTP/1.1 connection is kept alive and reused
      assertThat(second.info().connectionsOpened()).isZero();
      assertThat(server.connections.get()).isEqualTo(2);
      assertThat(server.failures).isEmpty();
    }
  }

  @Test
  void aServerThatSentSettingsIsNotTakenForHttp11() throws Exception {
    try (Http1OnlyServer server = new Http1OnlyServer(null);
        Http2Client client = Http2Client.builder().connectTimeout(Duration.ofSeconds(5)).build()) {
      // SETTINGS, then a close before the PING is answered: an HTTP/2 server that failed, after
      // the connect succeeded (curl's receive failure, 56)
      assertThatThrownBy(() -> client.send(ClientRequest.get(URI.create(server.url()))))
          .isInstanceOf(Http2ClientException.class)
          .hasMessageContaining("before the HTTP/2 connection was ready");
      assertThat(server.connections.get()).isEqualTo(1);
    }
  }

  /**
   * Answers the first connection in the given shape (null: a SETTINGS frame, then a close), and
   * serves HTTP/1.1 keep-alive on every later one.
   */
  static final class Http1OnlyServer implements AutoCloseable {
    final AtomicInteger connections = new AtomicInteger();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final Shape shape;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    Http1OnlyServer(Shape shape) throws IOException {
      this.shape = shape;
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      while (true) {
                        Socket socket = server.accept();
                        sockets.add(socket);
                        int n = connections.getAndIncrement();
                        Thread.ofVirtual().start(() -> serve(socket, n));
                      }
                    } catch (IOException e) {
                      // closed
                    }
                  });
    }

    private void serve(Socket socket, int n) {
      try (socket) {
        if (n == 0) {
          answerPreface(socket);
          return;
        }
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        OutputStream out = socket.getOutputStream();
        for (String line; (line = in.readLine()) != null; ) {
          if (!line.endsWith(" HTTP/1.1")) throw new IOException("not HTTP/1.1: " + line);
          while ((line = in.readLine()) != null && !line.isEmpty()) {
            // headers
          }
          out.write(
              "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nh1 ok".getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } catch (IOException e) {
        if (n > 0) failures.add(e);
      }
    }

    private void answerPreface(Socket socket) throws IOException {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      in.readNBytes(24); // the magic; the client's SETTINGS follow, unread
      if (shape == Shape.RESET) {
        socket.setSoLinger(true, 0);
        return; // closed by try-with-resources: RST
      }
      switch (shape) {
        case STATUS_LINE ->
            out.write(
                "HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
        case BARE_HTML ->
            out.write(
                "<!DOCTYPE HTML>\n<html><body><h1>Error response</h1><p>505</p></body></html>\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
        case CLOSE -> {}
        case null -> {
          FrameWriter frames = new FrameWriter(out);
          frames.settings(new Frame.Settings(false, Http2Settings.EMPTY));
        }
        default -> throw new AssertionError(shape);
      }
      out.flush();
      // Read what else the client sent (its SETTINGS, PING), so the close is a FIN, not a RST
      // that could destroy the answer before the client read it.
      socket.setSoTimeout(200);
      try {
        in.read(new byte[4096]);
      } catch (IOException e) {
        // nothing more came
      }
      socket.shutdownOutput();
    }

    String url() {
      return "http://127.0.0.1:" + server.getLocalPort() + "/";
    }

    @Override
    public void close() throws Exception {
      server.close();
      for (Socket s : sockets) s.close();
      acceptor.join();
    }
  }
}
