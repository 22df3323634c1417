package dev.h2mux.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.HttpFields;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code Expect: 100-continue} over HTTP/1.1 (RFC 9110 §10.1.1), against scripted servers. */
class ExpectContinueTest {
  /** What a scripted server does with one request, given its head; returns whether to go on. */
  @FunctionalInterface
  interface Script {
    boolean serve(List<String> head, InputStream in, OutputStream out) throws IOException;
  }

  /** A loopback HTTP/1.1 server that follows a script and keeps every request head it read. */
  static final class ScriptedServer implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final List<List<String>> heads = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    ScriptedServer(Script script) throws IOException {
      acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      while (true) {
                        Socket s = socket.accept();
                        accepted.add(s);
                        connections.incrementAndGet();
                        Thread.ofVirtual().start(() -> serve(s, script));
                      }
                    } catch (IOException e) {
                      // closed
                    }
                  });
    }

    private void serve(Socket s, Script script) {
      try (s) {
        InputStream in = s.getInputStream();
        for (List<String> head; (head = readHead(in)) != null; ) {
          heads.add(head);
          if (!script.serve(head, in, s.getOutputStream())) return;
        }
      } catch (IOException e) {
        // the client went away
      }
    }

    String url() {
      return "http://127.0.0.1:" + socket.getLocalPort() + "/upload";
    }

    @Override
    public void close() throws Exception {
      socket.close();
      for (Socket s : accepted) s.close();
      acceptor.join();
    }
  }

  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) >= 0; ) {
      if (b != '\n') {
        if (b != '\r') line.write(b);
        continue;
      }
      if (line.size() == 0) return lines;
      lines.add(line.toString(StandardCharsets.ISO_8859_1).toLowerCase());
      line.reset();
    }
    return null;
  }

  private static long contentLength(List<String> head) {
    for (String line : head) {
      if (line.startsWith("content-length:")) return Long.parseLong(line.substring(15).trim());
    }
    return 0;
  }

  private static void answer(OutputStream out, String statusLine, String body) throws IOException {
    out.write(
        (statusLine + "\r\ncontent-length: " + body.length() + "\r\n\r\n" + body)
            .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Reads the body and answers with its length. */
  private static boolean readAndCount(List<String> head, InputStream in, OutputStream out)
      throws IOException {
    long length = contentLength(head);
    long read = in.readNBytes((int) length).length;
    answer(out, "HTTP/1.1 200 OK", "got " + read);
    return true;
  }

  private static Http2Client client() {
    return Http2Client.builder()
        .connectionMode(ConnectionMode.HTTP_1_1)
        .responseTimeout(Duration.ofSeconds(20))
        .build();
  }

  private static ClientRequest upload(String url, List<String> interim) {
    return ClientRequest.builder(url)
        .method("POST")
        .body("twelve bytes")
        .expectContinue(true)
        .onInterimResponse((protocol, status, reason, headers) -> interim.add(status + reason))
        .build();
  }

  @Test
  void theBodyWaitsForTheContinue() throws Exception {
    try (ScriptedServer server =
            new ScriptedServer(
                (head, in, out) -> {
                  out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                  out.flush();
                  return readAndCount(head, in, out);
                });
        Http2Client client = client()) {
      List<String> interim = new CopyOnWriteArrayList<>();
      ClientResponse response = client.send(upload(server.url(), interim));
      assertThat(response.string()).isEqualTo("got 12");
      assertThat(server.heads.get(0)).contains("expect: 100-continue", "content-length: 12");
      assertThat(interim).containsExactly("100Continue");
      assertThat(response.info().bytesUploaded()).isEqualTo(12);
      // the body went whole: the connection is kept
      client.send(upload(server.url(), interim)).string();
      assertThat(server.connections.get()).isEqualTo(1);
    }
  }

  @Test
  void aFinalAnswerFirstGetsNoBodyAndTheConnectionIsNotReused() throws Exception {
    try (ScriptedServer server =
            new ScriptedServer(
                (head, in, out) -> {
                  answer(out, "HTTP/1.1 413 Content Too Large", "too big");
                  return true; // a body that came would be read as the next head, and fail
                });
        Http2Client client = client()) {
      ClientResponse response = client.send(upload(server.url(), new ArrayList<>()));
      assertThat(response.status()).isEqualTo(413);
      assertThat(response.string()).isEqualTo("too big");
      assertThat(response.info().bytesUploaded()).isZero();
      client.send(upload(server.url(), new ArrayList<>())).string();
      assertThat(server.connections.get()).isEqualTo(2);
      // no body was sent on either connection: every line the server read was a request head
      assertThat(server.heads).hasSize(2).allSatisfy(h -> assertThat(h.get(0)).startsWith("post "));
    }
  }

  @Test
  void aServerThatIgnoresTheExpectationGetsTheBodyAfterOneSecond() throws Exception {
    try (ScriptedServer server = new ScriptedServer(ExpectContinueTest::readAndCount);
        Http2Client client = client()) {
      long start = System.nanoTime();
      ClientResponse response = client.send(upload(server.url(), new ArrayList<>()));
      assertThat(response.string()).isEqualTo("got 12");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(ExpectContinue.WAIT_MILLIS));
    }
  }

  @Test
  void a417SendsTheRequestAgainWithoutTheExpectation() throws Exception {
    try (ScriptedServer server =
            new ScriptedServer(
                (head, in, out) -> {
                  if (head.contains("expect: 100-continue")) {
                    answer(out, "HTTP/1.1 417 Expectation Failed", "");
                    return false;
                  }
                  return readAndCount(head, in, out);
                });
        Http2Client client = client()) {
      ClientRequest request =
          ClientRequest.builder(server.url())
              .method("PUT")
              .header("expect", "100-continue") // the request's own field works as well
              .body("abc")
              .build();
      assertThat(request.expectsContinue()).isTrue();
      assertThat(client.send(request).string()).isEqualTo("got 3");
      assertThat(server.heads).hasSize(2);
      assertThat(server.heads.get(1)).noneMatch(line -> line.startsWith("expect:"));
    }
  }

  @Test
  void overHttp2TheBodyGoesAtOnceWithoutTheField() throws Exception {
    try (ServerFixture server = new ServerFixture();
        Http2Client client = Http2Client.builder().build()) {
      List<String> interim = new CopyOnWriteArrayList<>();
      ClientResponse response =
          client.send(
              ClientRequest.builder(server.url("/method"))
                  .method("POST")
                  .body("x")
                  .expectContinue(true)
                  .onInterimResponse((p, s, r, h) -> interim.add(p + " " + s))
                  .build());
      assertThat(response.protocol()).isEqualTo(Protocol.HTTP_2);
      assertThat(response.string()).isEqualTo("POST /method body=x");
      assertThat(interim).isEmpty();
    }
  }

  @Test
  void interimResponsesReachTheListener() throws Exception {
    try (ScriptedServer server =
            new ScriptedServer(
                (head, in, out) -> {
                  out.write(
                      "HTTP/1.1 103 Early Hints\r\nlink: </a.css>\r\n\r\n"
                          .getBytes(StandardCharsets.ISO_8859_1));
                  answer(out, "HTTP/1.1 200 OK", "ok");
                  return true;
                });
        Http2Client client = client()) {
      List<HttpFields> hints = new CopyOnWriteArrayList<>();
      ClientResponse response =
          client.send(
              ClientRequest.builder(URI.create(server.url()))
                  .onInterimResponse((p, status, reason, headers) -> hints.add(headers))
                  .build());
      assertThat(response.string()).isEqualTo("ok");
      assertThat(hints).hasSize(1);
      assertThat(hints.get(0).get("link")).isEqualTo("</a.css>");
    }
  }
}
