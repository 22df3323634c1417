package dev.h2mux.server.demo;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.http1.BodyFraming;
import dev.h2mux.core.http1.ChunkedInputStream;
import dev.h2mux.core.http1.Http1Parser;
import dev.h2mux.core.http1.Http1ResponseHead;
import dev.h2mux.core.io.PeekableInputStream;
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
      PeekableInputStream in = new PeekableInputStream(socket.getInputStream());
      Http1ResponseHead response = Http1Parser.readResponseHead(in, 65536);
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
  void indexIsTextForCurlAndHtmlForBrowsersAndListsEveryEndpoint() throws IOException {
    Reply text = get("/");
    assertThat(text.status()).isEqualTo(200);
    assertThat(text.headers().get("content-type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(text.headers().get("vary")).isEqualTo("accept");
    assertThat(text.headers().get("content-length"))
        .isEqualTo(Integer.toString(text.body().length));
    Reply html = raw("GET", "/", "Accept: text/html,application/xhtml+xml,*/*;q=0.8\r\n", null);
    assertThat(html.headers().get("content-type")).isEqualTo("text/html; charset=utf-8");
    assertThat(html.text()).startsWith("<!DOCTYPE html>");
    for (Routes.Route route : Routes.all(new Conditional(Instant.now()), x -> {})) {
      assertThat(text.text()).contains(route.pattern());
      assertThat(html.text()).contains(IndexPage.escape(route.pattern()));
    }
    String unwrapped = text.text().replaceAll("\\s+", " "); // the text is wrapped at 80 columns
    assertThat(text.text().lines()).allMatch(line -> line.length() <= 100);
    for (String limit : Limits.describe()) {
      assertThat(unwrapped).contains(limit);
    }
    assertThat(html.text()).doesNotContain("src=").doesNotContain("href=\"http");
    assertThat(text.text()).contains("curl --http2-prior-knowledge http://localhost/get");
    assertThat(raw("DELETE", "/", "", null).status()).isEqualTo(405);
  }

  @Test
  void indexEscapesAHostileHost() throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              "GET / HTTP/1.0\r\nHost: <b>x</b>\r\nAccept: text/html\r\n\r\n".getBytes(ISO_8859_1));
      String reply = new String(socket.getInputStream().readAllBytes(), UTF_8);
      assertThat(reply).doesNotContain("<b>x</b>");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/status/abc",
        "/status/101",
        "/status/99",
        "/status/600",
        "/status/200?x=1",
        "/delay/10001",
        "/delay/-1",
        "/stream/0",
        "/stream/1001",
        "/stream/100?interval=1000",
        "/stream/5?interval=1001",
        "/drip?bytes=1048577",
        "/drip?duration=10001",
        "/drip?bytes=1&bytes=2",
        "/drip?byte=1",
        "/redirect/0",
        "/redirect/21",
        "/redirect/2?status=200",
        "/redirect/2?status=304",
        "/redirect-to",
        "/redirect-to?url=http://evil.example/",
        "/redirect-to?url=//evil.example/",
        "/redirect-to?url=http://localhost.evil.example/",
        "/redirect-to?url=http://localhost@evil.example/",
        "/redirect-to?url=/%0d%0aset-cookie:x",
        "/redirect-to?url=/\\evil.example",
        "/reset?code=BOGUS",
        "/reset?code=14",
        "/reset?after=x",
        "/goaway?after=1001",
        "/goaway?code=x",
        "/headers-big?kb=0",
        "/headers-big?kb=129",
        "/ping?count=0",
        "/ping",
        "/trailers?content-length=1",
        "/trailers?x-a=%0d",
        "/trailers?x-a=%20lead",
        "/trailers?bad%20name=1",
        "/range/x",
        "/range/1073741825",
        "/cache?x=1",
        "/bytes/x",
      })
  void badParametersGet400SayingWhatIsAllowed(String target) throws IOException {
    Reply reply = get(target);
    assertThat(reply.status()).as(reply.text()).isEqualTo(400);
    assertThat(reply.headers().get("content-type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(reply.text()).endsWith("Every endpoint and its parameters: GET /\n");
    assertThat(reply.text().lines().findFirst().orElseThrow()).hasSizeGreaterThan(20);
  }

  @Test
  void slowWindowValidatesItsRate() throws IOException {
    Reply reply = raw("POST", "/slow-window?rate=1", "", "x");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.text()).startsWith("rate must be an integer in 1024..16777216");
  }

  @Test
  void wrongMethodsGet405WithAllow() throws IOException {
    Reply post = raw("POST", "/get", "", "x");
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.headers().get("allow")).isEqualTo("GET, HEAD");
    assertThat(post.text()).contains("POST is not allowed on /get");
    Reply get = get("/slow-window");
    assertThat(get.status()).isEqualTo(405);
    assertThat(get.headers().get("allow")).isEqualTo("POST, PUT");
  }

  @Test
  void unknownPathsGet404() throws IOException {
    Reply reply = get("/nothing-here");
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.text()).contains("every endpoint: GET /");
  }

  @Test
  void statusCodesCarryTheFieldsTheirDefinitionsRequire() throws IOException {
    assertThat(get("/status/418").text()).isEqualTo("418 I'm a teapot\n");
    assertThat(get("/status/302").headers().get("location")).isEqualTo("/get");
    assertThat(get("/status/401").headers().get("www-authenticate")).startsWith("Basic");
    assertThat(get("/status/405").headers().get("allow")).isEqualTo("GET, HEAD");
    Reply noContent = get("/status/204");
    assertThat(noContent.status()).isEqualTo(204);
    assertThat(noContent.body()).isEmpty();
    assertThat(get("/status/205").headers().get("content-length")).isEqualTo("0");
    assertThat(get("/status/599").status()).isEqualTo(599);
  }

  @Test
  void redirectsStayOnThisOrigin() throws IOException {
    Reply chain = get("/redirect/3?status=307");
    assertThat(chain.status()).isEqualTo(307);
    assertThat(chain.headers().get("location")).isEqualTo("/redirect/2?status=307");
    assertThat(get("/redirect/1").headers().get("location")).isEqualTo("/get");
    Reply to = get("/redirect-to?url=%2Fget%3Fa%3D1&status=303");
    assertThat(to.status()).isEqualTo(303);
    assertThat(to.headers().get("location")).isEqualTo("/get?a=1");
    assertThat(get("/redirect-to?url=http://localhost/x").headers().get("location"))
        .isEqualTo("http://localhost/x");
  }

  @Test
  void anythingReportsTheBodyAndTheRequest() throws IOException {
    Reply reply = raw("PATCH", "/anything/deep/path?q=1", "X-Test: \u00ff\r\n", "hello");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.headers().get("content-type")).isEqualTo("application/json");
    assertThat(reply.text())
        .contains("\"method\": \"PATCH\"")
        .contains("\"path\": \"/anything/deep/path?q=1\"")
        .contains("[\"q\", \"1\"]")
        .contains("[\"x-test\", \"\u00ff\"]")
        .contains(
            "\"bytes\": 5, \"sha256\":"
                + " \"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\"")
        .contains("\"protocol\": \"HTTP/1.1\"")
        .contains("\"negotiation\": \"cleartext\"");
  }

  @Test
  void requestsThatWaitAreCappedPerServer() throws Exception {
    server.closeNow();
    server = Http2Server.builder().handler(new DemoHandler(null, new Limits(1))).build().start();
    try (Socket first = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      first.setSoTimeout(10_000);
      first
          .getOutputStream()
          .write(
              "GET /drip?bytes=1&duration=10000 HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(ISO_8859_1));
      // The drip's head comes at once, while it holds the one slot for ten seconds.
      Http1ResponseHead head =
          Http1Parser.readResponseHead(new PeekableInputStream(first.getInputStream()), 65536);
      assertThat(head.status()).isEqualTo(200);
      Reply busy = get("/delay/0");
      assertThat(busy.status()).isEqualTo(503);
      assertThat(busy.headers().get("retry-after")).isEqualTo("1");
      assertThat(get("/get").status()).as("others do not wait").isEqualTo(200);
    }
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
      PeekableInputStream in = new PeekableInputStream(socket.getInputStream());
      out.write(
          ("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n")
              .getBytes(ISO_8859_1));
      out.flush();
      // the first chunk comes back while the upload is still open
      Http1ResponseHead head = Http1Parser.readResponseHead(in, 65536);
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
    StaticFiles files = new StaticFiles(null);
    assertThat(files.resolve("/hello.txt")).isNull();
    assertThat(Bodies.parseCount("1073741824")).isEqualTo(1L << 30);
    assertThat(StaticFiles.percentDecode("%e2%82%ac")).isEqualTo("\u20ac");
    assertThat(StaticFiles.percentDecode("%c0%ae")).isNull();
    assertThat(StaticFiles.percentDecode("%\u0662e")).isNull(); // an Arabic-Indic digit 2
  }
}
