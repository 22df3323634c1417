package dev.h2mux.server.demo;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.http1.BodyFraming;
import dev.h2mux.core.http1.ChunkedInputStream;
import dev.h2mux.core.http1.Http1InputStream;
import dev.h2mux.core.http1.Http1Parser;
import dev.h2mux.core.http1.ResponseHead;
import dev.h2mux.server.Http2Server;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DemoHandlerTest {
  @TempDir Path tmp;
  Path root;
  Http2Server server;

  record Reply(int status, HttpFields headers, byte[] body, HttpFields trailers) {
    String text() {
      return new String(body, UTF_8);
    }
  }

  @BeforeEach
  void start() throws IOException {
    root = Files.createDirectories(tmp.resolve("www"));
    Files.writeString(root.resolve("hello.txt"), "hello file\n");
    Files.writeString(root.resolve("page.html"), "<p>hi</p>");
    Files.write(root.resolve("blob.bin"), new byte[] {1, 2, 3});
    Files.createDirectories(root.resolve("sub"));
    Files.createDirectories(root.resolve("withindex"));
    Files.writeString(root.resolve("withindex/index.html"), "sub index");
    Files.setLastModifiedTime(
        root.resolve("hello.txt"), FileTime.from(Instant.parse("2024-01-02T03:04:05Z")));
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "outside");
    Files.createSymbolicLink(root.resolve("escape.txt"), secret);
    Files.createSymbolicLink(root.resolve("escapedir"), tmp);
    Files.createSymbolicLink(root.resolve("inside.txt"), root.resolve("hello.txt"));
    server = Http2Server.builder().handler(new DemoHandler(root)).build().start();
  }

  @AfterEach
  void stop() {
    server.closeNow();
  }

  /** Sends one raw request (target verbatim, no client-side normalization) and reads the reply. */
  private Reply raw(String method, String target, String extraHeaders, String body)
      throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      String head =
          method
              + " "
              + target
              + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
              + extraHeaders
              + (body == null ? "" : "Content-Length: " + body.getBytes(UTF_8).length + "\r\n")
              + "\r\n";
      out.write(head.getBytes(ISO_8859_1));
      if (body != null) {
        out.write(body.getBytes(UTF_8));
      }
      out.flush();
      Http1InputStream in = new Http1InputStream(socket.getInputStream());
      ResponseHead response = Http1Parser.readResponseHead(in, 65536);
      InputStream bodyIn =
          BodyFraming.forResponse(method, response.status(), response.headers())
              .open(in, 4096, 65536);
      byte[] bytes = bodyIn.readAllBytes();
      HttpFields trailers =
          bodyIn instanceof ChunkedInputStream c ? c.trailers() : HttpFields.empty();
      return new Reply(response.status(), response.headers(), bytes, trailers);
    }
  }

  private Reply get(String target) throws IOException {
    return raw("GET", target, "", null);
  }

  @Test
  void welcomePageWithoutIndex() throws IOException {
    Reply reply = get("/");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.headers().get("content-type")).startsWith("text/html");
    assertThat(reply.text()).contains("h2mux");
    assertThat(reply.headers().get("content-length"))
        .isEqualTo(Integer.toString(reply.body().length));
    assertThat(raw("DELETE", "/", "", null).status()).isEqualTo(405);
  }

  @Test
  void indexHtmlReplacesTheWelcomePage() throws IOException {
    Files.writeString(root.resolve("index.html"), "my index");
    assertThat(get("/").text()).isEqualTo("my index");
    assertThat(get("/withindex/").text()).isEqualTo("sub index");
    assertThat(get("/withindex").text()).isEqualTo("sub index");
  }

  @Test
  void staticFilesWithTypeLengthAndLastModified() throws IOException {
    Reply text = get("/hello.txt");
    assertThat(text.status()).isEqualTo(200);
    assertThat(text.text()).isEqualTo("hello file\n");
    assertThat(text.headers().get("content-type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(text.headers().get("content-length")).isEqualTo("11");
    assertThat(text.headers().get("last-modified")).isEqualTo("Tue, 02 Jan 2024 03:04:05 GMT");
    assertThat(get("/page.html").headers().get("content-type")).startsWith("text/html");
    assertThat(get("/blob.bin").headers().get("content-type"))
        .isEqualTo("application/octet-stream");
    assertThat(get("/inside.txt").text())
        .isEqualTo("hello file\n"); // a symlink within the root is fine
    assertThat(get("/hello%2Etxt").text()).isEqualTo("hello file\n");
  }

  @Test
  void headAndConditionalGet() throws IOException {
    Reply head = raw("HEAD", "/hello.txt", "", null);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.headers().get("content-length")).isEqualTo("11");
    assertThat(head.body()).isEmpty();
    Reply notModified =
        raw("GET", "/hello.txt", "If-Modified-Since: Tue, 02 Jan 2024 03:04:05 GMT\r\n", null);
    assertThat(notModified.status()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
    Reply modified =
        raw("GET", "/hello.txt", "If-Modified-Since: Mon, 01 Jan 2024 00:00:00 GMT\r\n", null);
    assertThat(modified.status()).isEqualTo(200);
    assertThat(raw("POST", "/hello.txt", "", "x").status()).isEqualTo(405);
    assertThat(raw("POST", "/hello.txt", "", "x").headers().get("allow")).isEqualTo("GET, HEAD");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/../etc/passwd",
        "/%2e%2e/etc/passwd",
        "/%2E%2E/",
        "/..%2f..%2fetc/passwd",
        "/..%2F",
        "/..%5c",
        "/sub/../../secret.txt",
        "/..\\secret.txt",
        "/%00",
        "/hello.txt%00",
        "/escape.txt",
        "/escapedir/secret.txt",
        "/sub",
        "/sub/",
        "/missing",
        "/nosuchdir/x",
        "/%zz",
        "/%c0%ae%c0%ae/",
      })
  void nothingEscapesTheDirectory(String target) throws IOException {
    Reply reply = get(target);
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.text()).doesNotContain("outside").doesNotContain("root:");
  }

  @Test
  void bytesStreamsTheRequestedCount() throws IOException {
    Reply reply = get("/bytes/40000");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.headers().get("content-type")).isEqualTo("application/octet-stream");
    assertThat(reply.headers().get("content-length")).isEqualTo("40000");
    byte[] expected = new byte[40000];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = (byte) i;
    }
    assertThat(reply.body()).isEqualTo(expected);
    assertThat(get("/bytes/0").body()).isEmpty();
    Reply head = raw("HEAD", "/bytes/1073741824", "", null);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.headers().get("content-length")).isEqualTo("1073741824");
    assertThat(raw("POST", "/bytes/1", "", "x").status()).isEqualTo(405);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/bytes/",
        "/bytes/-1",
        "/bytes/abc",
        "/bytes/1073741825",
        "/bytes/99999999999",
        "/bytes/1.5",
        "/bytes/+1",
        "/bytes/%31"
      })
  void badByteCountsAre400(String target) throws IOException {
    assertThat(get(target).status()).isEqualTo(400);
  }

  @Test
  void echoStreamsTheBodyWithTypeAndTrailers() throws IOException {
    Reply plain = raw("POST", "/echo", "Content-Type: text/x-test\r\n", "echo me");
    assertThat(plain.status()).isEqualTo(200);
    assertThat(plain.text()).isEqualTo("echo me");
    assertThat(plain.headers().get("content-type")).isEqualTo("text/x-test");
    assertThat(raw("PUT", "/echo", "", "put body").text()).isEqualTo("put body");

    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      Http1InputStream in = new Http1InputStream(socket.getInputStream());
      out.write(
          ("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n")
              .getBytes(ISO_8859_1));
      out.flush();
      // the first chunk comes back while the upload is still open
      ResponseHead head = Http1Parser.readResponseHead(in, 65536);
      assertThat(head.status()).isEqualTo(200);
      ChunkedInputStream body = new ChunkedInputStream(in, 4096, 4096);
      assertThat(new String(body.readNBytes(5), ISO_8859_1)).isEqualTo("first");
      out.write("6\r\nsecond\r\n0\r\nX-Checksum: 7\r\n\r\n".getBytes(ISO_8859_1));
      out.flush();
      assertThat(new String(body.readAllBytes(), ISO_8859_1)).isEqualTo("second");
      assertThat(body.trailers().get("x-checksum")).isEqualTo("7");
    }
  }

  @Test
  void echoRejectsOtherMethods() throws IOException {
    Reply reply = get("/echo");
    assertThat(reply.status()).isEqualTo(405);
    assertThat(reply.headers().get("allow")).isEqualTo("POST, PUT");
  }

  @Test
  void worksWithJavaHttpClient() throws Exception {
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      HttpResponse<byte[]> bytes =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + server.port() + "/bytes/100000"))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(bytes.body()).hasSize(100000);
      HttpResponse<String> echo =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/echo"))
                  .POST(HttpRequest.BodyPublishers.ofString("round trip"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(echo.body()).isEqualTo("round trip");
    }
  }

  @Test
  void withoutDirectoryOnlyTheBuiltInRoutesExist() throws IOException {
    DemoHandler handler = new DemoHandler(null);
    assertThat(handler.resolve("/hello.txt")).isNull();
    assertThat(DemoHandler.parseCount("1073741824")).isEqualTo(1L << 30);
    assertThat(DemoHandler.percentDecode("%e2%82%ac")).isEqualTo("\u20ac");
    assertThat(DemoHandler.percentDecode("%c0%ae")).isNull();
  }
}
