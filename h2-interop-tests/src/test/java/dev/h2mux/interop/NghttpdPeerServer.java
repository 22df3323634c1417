package dev.h2mux.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * nghttpd (Debian package {@code nghttp2-server}) serving a document root on loopback, cleartext,
 * with {@code --echo-upload} (POST and PUT bodies come back) and a fixed trailer.
 *
 * <p>nghttpd cannot report the port it picked for port 0, so a free ephemeral port is chosen first
 * and handed to it; if another process takes it in between, nghttpd exits and the next attempt uses
 * another port (3 attempts). Readiness is its own {@code -v} "listen" line, read from its stdout;
 * the rest of its output is drained to a file so it never blocks.
 */
final class NghttpdPeerServer implements AutoCloseable {
  static final String WELCOME = "Hello from nghttpd\n";
  static final String TRAILER = "x-peer: nghttpd";

  private final Process process;
  private final int port;

  private NghttpdPeerServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Writes {@code index.html} and {@code bytes/N} files for the lengths given, under {@code
   * docroot}.
   */
  static void writeDocroot(Path docroot, long... byteLengths) throws IOException {
    Files.createDirectories(docroot.resolve("bytes"));
    Files.writeString(docroot.resolve("index.html"), WELCOME);
    for (long length : byteLengths) {
      try (OutputStream out =
          Files.newOutputStream(docroot.resolve("bytes").resolve(Long.toString(length)))) {
        Bodies.writePattern(out, length);
      }
    }
    // --echo-upload answers POSTs to an existing path only.
    Files.writeString(docroot.resolve("echo"), "");
  }

  static NghttpdPeerServer start(Path nghttpd, Path docroot, Path logDir) throws Exception {
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port;
      try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = probe.getLocalPort();
      }
      List<String> command =
          new ArrayList<>(
              List.of(
                  nghttpd.toString(),
                  "-v",
                  "--no-tls",
                  "--address=127.0.0.1",
                  "-d",
                  docroot.toString(),
                  "--echo-upload",
                  "--trailer",
                  TRAILER,
                  Integer.toString(port)));
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      boolean ready = false;
      try {
        CompletableFuture<String> listening = new CompletableFuture<>();
        Path log = logDir.resolve("nghttpd-" + port + ".log");
        Thread.ofVirtual()
            .name("nghttpd-output-" + port)
            .start(() -> drain(process, log, port, listening));
        try {
          listening.get(20, TimeUnit.SECONDS);
          ready = true;
          return new NghttpdPeerServer(process, port);
        } catch (ExecutionException e) {
          last =
              new IOException(
                  "nghttpd did not start on port "
                      + port
                      + ": "
                      + e.getCause().getMessage()
                      + "; log "
                      + log);
        } catch (TimeoutException e) {
          throw new AssertionError("nghttpd did not report listening within 20 s; log " + log);
        }
      } finally {
        if (!ready) {
          Processes.destroy(process);
        }
      }
    }
    throw last;
  }

  /** Copies nghttpd's output to {@code log}, completing {@code listening} at its "listen" line. */
  private static void drain(
      Process process, Path log, int port, CompletableFuture<String> listening) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        var out = Files.newBufferedWriter(log)) {
      for (String line; (line = in.readLine()) != null; ) {
        out.write(line);
        out.newLine();
        if (!listening.isDone() && line.contains("listen 127.0.0.1:" + port)) {
          out.flush();
          listening.complete(line);
        }
      }
      listening.completeExceptionally(new IOException("nghttpd exited"));
    } catch (IOException e) {
      listening.completeExceptionally(e);
    }
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    Processes.destroy(process);
  }
}
