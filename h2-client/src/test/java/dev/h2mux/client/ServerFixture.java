package dev.h2mux.client;

import dev.h2mux.core.HttpFields;
import dev.h2mux.server.Handler;
import dev.h2mux.server.Http2Server;
import dev.h2mux.server.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The project's own server with the handlers the client tests talk to. */
final class ServerFixture implements AutoCloseable {
  final AtomicLong bigWritten = new AtomicLong();
  final AtomicReference<Thread> bigWriter = new AtomicReference<>();
  final AtomicInteger inSlow = new AtomicInteger();
  final AtomicInteger maxInSlow = new AtomicInteger();
  volatile CountDownLatch slowArrived = new CountDownLatch(0);
  volatile CountDownLatch slowGate = new CountDownLatch(0);
  final Http2Server server;

  ServerFixture(TlsConfig tls) throws IOException {
    Http2Server.Builder b = Http2Server.builder().host("127.0.0.1").port(0).handler(this::handle);
    if (tls != null) b.tls(tls);
    server = b.build().start();
  }

  ServerFixture() throws IOException {
    this(null);
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  String httpsUrl(String path) {
    return "https://127.0.0.1:" + server.port() + path;
  }

  private void handle(dev.h2mux.server.Request request, dev.h2mux.server.Response response)
      throws Exception {
    String path = request.path();
    if (path.startsWith("/hello")) {
      text(response, "hello " + request.protocol());
    } else if (path.startsWith("/echo")) {
      byte[] body = request.body().readAllBytes();
      HttpFields trailers = request.trailers();
      HttpFields back = new HttpFields();
      trailers.forEach((n, v) -> back.add("echo-" + n, v));
      if (!back.isEmpty()) response.trailers(back);
      try (OutputStream out = response.body()) {
        out.write(body);
      }
    } else if (path.startsWith("/stream-echo")) {
      // Answers at once, then echoes the body as it arrives: full duplex.
      response.headers().set("content-type", "application/octet-stream");
      try (OutputStream out = response.body();
          InputStream in = request.body()) {
        out.flush(); // the head goes now, before any of the body was read
        byte[] buffer = new byte[16 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) out.write(buffer, 0, n);
      }
    } else if (path.startsWith("/method")) {
      // What arrived: method, body, and the fields a redirect test looks at.
      byte[] body = request.body().readAllBytes();
      StringBuilder text = new StringBuilder(request.method()).append(' ').append(path);
      text.append(" body=").append(new String(body, StandardCharsets.UTF_8));
      for (String name :
          new String[] {"authorization", "cookie", "content-type", "x-custom", "accept-encoding"}) {
        String value = request.headers().get(name);
        if (value != null) text.append(' ').append(name).append('=').append(value);
      }
      text(response, text.toString());
    } else if (path.startsWith("/redirect/")) {
      // /redirect/CODE?LOCATION: a redirect with that status to that (percent-decoded) location
      int code = Integer.parseInt(path.substring("/redirect/".length(), path.indexOf('?')));
      response.status(code);
      String location = path.substring(path.indexOf('?') + 1);
      // percent-decoded, so a test can send a location that is not a valid URI as it is
      response
          .headers()
          .set("location", java.net.URLDecoder.decode(location, StandardCharsets.UTF_8));
      text(response, "moved");
    } else if (path.startsWith("/hints")) {
      response.sendInformational(103, HttpFields.of("link", "</style.css>; rel=preload"));
      text(response, "hinted");
    } else if (path.startsWith("/authority")) {
      text(response, request.authority());
    } else if (path.startsWith("/loop")) {
      response.status(302);
      response.headers().set("location", "/loop");
      text(response, "again");
    } else if (path.startsWith("/encoded/")) {
      // /encoded/CODING: "hello compressed world" x 1000, in content-encoding CODING
      encoded(response, path.substring("/encoded/".length()), request.headers());
    } else if (path.startsWith("/upload")) {
      long[] count = new long[1];
      InputStream counting =
          new java.io.FilterInputStream(request.body()) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              int n = super.read(b, off, len);
              if (n > 0) count[0] += n;
              return n;
            }
          };
      String sha = TestSupport.sha256(counting);
      text(response, count[0] + " " + sha);
    } else if (path.startsWith("/big")) {
      long n = Long.parseLong(path.substring(path.indexOf('=') + 1));
      bigWriter.set(Thread.currentThread());
      bigWritten.set(0);
      response.headers().set("content-length", Long.toString(n));
      byte[] chunk = new byte[16 * 1024];
      try (OutputStream out = response.body();
          InputStream in = TestSupport.patternStream(n)) {
        for (int r; (r = in.read(chunk)) > 0; ) {
          out.write(chunk, 0, r);
          bigWritten.addAndGet(r);
        }
      }
    } else if (path.startsWith("/slow")) {
      int now = inSlow.incrementAndGet();
      maxInSlow.accumulateAndGet(now, Math::max);
      slowArrived.countDown();
      try {
        slowGate.await();
      } finally {
        inSlow.decrementAndGet();
      }
      text(response, "slow done");
    } else {
      response.status(404);
      text(response, "not found");
    }
  }

  /** The body of {@code /encoded/...} before encoding. */
  static final String PLAIN = "hello compressed world\n".repeat(1000);

  private static void encoded(dev.h2mux.server.Response response, String coding, HttpFields asked)
      throws IOException {
    byte[] plain = PLAIN.getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
    switch (coding) {
      case "gzip" -> {
        try (OutputStream gzip = new java.util.zip.GZIPOutputStream(buffer)) {
          gzip.write(plain);
        }
      }
      case "deflate" -> {
        try (OutputStream zlib = new java.util.zip.DeflaterOutputStream(buffer)) {
          zlib.write(plain);
        }
      }
      case "raw-deflate" -> {
        java.util.zip.Deflater deflater =
            new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, true);
        try (OutputStream raw = new java.util.zip.DeflaterOutputStream(buffer, deflater)) {
          raw.write(plain);
        }
        deflater.end();
        coding = "deflate"; // what such servers claim
      }
      case "gzip-then-deflate" -> {
        java.io.ByteArrayOutputStream gzipped = new java.io.ByteArrayOutputStream();
        try (OutputStream gzip = new java.util.zip.GZIPOutputStream(gzipped)) {
          gzip.write(plain);
        }
        try (OutputStream zlib = new java.util.zip.DeflaterOutputStream(buffer)) {
          zlib.write(gzipped.toByteArray());
        }
        coding = "gzip, deflate";
      }
      case "corrupt" -> {
        buffer.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4});
        coding = "gzip";
      }
      default -> buffer.write(plain); // labelled, not encoded: a coding the client can't decode
    }
    response.headers().set("content-encoding", coding);
    response.headers().set("content-length", Integer.toString(buffer.size()));
    response.headers().set("x-accept-encoding", String.valueOf(asked.get("accept-encoding")));
    try (OutputStream out = response.body()) {
      out.write(buffer.toByteArray());
    }
  }

  private static void text(dev.h2mux.server.Response response, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    response.headers().set("content-type", "text/plain; charset=utf-8");
    response.headers().set("content-length", Integer.toString(bytes.length));
    try (OutputStream out = response.body()) {
      out.write(bytes);
    }
  }

  /** A self-signed certificate for 127.0.0.1 and localhost, made with keytool. */
  static TlsConfig selfSigned(Path dir) throws Exception {
    Path store = dir.resolve("server.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p =
        new ProcessBuilder(
                keytool,
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IOException("keytool failed: " + output);
    return TlsConfig.fromPkcs12(store, "changeit".toCharArray());
  }

  @Override
  public void close() {
    slowGate.countDown();
    server.closeNow();
  }

  Handler handler() {
    return this::handle;
  }
}
