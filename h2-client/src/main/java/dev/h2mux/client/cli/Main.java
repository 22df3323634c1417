package dev.h2mux.client.cli;

import dev.h2mux.client.ClientRequest;
import dev.h2mux.client.ClientResponse;
import dev.h2mux.client.Http2Client;
import dev.h2mux.client.Http2ClientException;
import dev.h2mux.client.TraceListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * The {@code h2-client} command: a small curl for HTTP/2. Exit codes follow curl's: 0 success, 2
 * bad usage, 3 malformed URL, 6 unresolvable host, 7 connection failed, 16 HTTP/2 error, 23 write
 * error, 26 read error, 28 timeout, 35 TLS failure, 56 receive failure, 60 untrusted certificate.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    int code = run(args, System.out, System.err, System.console() != null);
    System.out.flush();
    System.exit(code);
  }

  /**
   * Runs the command.
   *
   * @param terminal true if stderr is a terminal (a progress meter is shown for -o downloads)
   * @return the exit code
   */
  public static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
    CliOptions options;
    try {
      options = CliOptions.parse(args);
    } catch (UsageException e) {
      err.println("h2-client: " + e.getMessage());
      err.println("h2-client: try 'h2-client --help' for more information");
      return 2;
    }
    if (options.help()) {
      out.print(CliOptions.USAGE);
      return 0;
    }
    return new Main.Run(options, out, err, terminal).execute();
  }

  private static final class Run {
    private final CliOptions options;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;
    private final AtomicBoolean timedOut = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();

    Run(CliOptions options, PrintStream out, PrintStream err, boolean terminal) {
      this.options = options;
      this.out = out;
      this.err = err;
      this.terminal = terminal;
    }

    int execute() {
      List<ClientRequest> requests = new ArrayList<>();
      try {
        byte[] body = body();
        for (String url : options.urls()) requests.add(request(url, body));
      } catch (Failure f) {
        return fail(f.code, f.getMessage());
      }
      Http2Client.Builder builder =
          Http2Client.builder().connectionMode(options.mode()).insecure(options.insecure());
      if (options.maxTime() != null) {
        builder.responseTimeout(options.maxTime()).connectTimeout(options.maxTime());
      }
      if (options.verbose()) builder.trace(this::trace);
      ScheduledExecutorService deadline = null;
      int result = 0;
      try (Http2Client client = builder.build()) {
        List<CompletableFuture<ClientResponse>> futures = new ArrayList<>();
        List<ClientResponse> open = new ArrayList<>();
        if (options.maxTime() != null) {
          deadline =
              Executors.newSingleThreadScheduledExecutor(
                  r -> Thread.ofPlatform().daemon().name("h2-client-deadline").unstarted(r));
          deadline.schedule(
              () -> {
                timedOut.set(true);
                futures.forEach(f -> f.cancel(true));
                synchronizedCancel(open);
              },
              options.maxTime().toNanos(),
              TimeUnit.NANOSECONDS);
        }
        if (options.parallel()) {
          for (ClientRequest r : requests) futures.add(client.sendAsync(r));
        }
        for (int i = 0; i < requests.size(); i++) {
          if (!options.parallel()) futures.add(client.sendAsync(requests.get(i)));
          int code = transfer(futures.get(i), i, open);
          if (code != 0) result = code;
        }
      } finally {
        if (deadline != null) deadline.shutdownNow();
      }
      return result;
    }

    private void synchronizedCancel(List<ClientResponse> open) {
      lock.lock();
      try {
        open.forEach(ClientResponse::cancel);
      } finally {
        lock.unlock();
      }
    }

    private int transfer(
        CompletableFuture<ClientResponse> future, int index, List<ClientResponse> open) {
      String url = options.urls().get(index);
      Path file = index < options.outputs().size() ? Path.of(options.outputs().get(index)) : null;
      ClientResponse response;
      try {
        response = future.get();
      } catch (CancellationException e) {
        return fail(
            28, "operation timed out after " + options.maxTime().toMillis() + " ms: " + url);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fail(28, "interrupted");
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        return cause instanceof IOException io ? failure(io, url) : fail(2, String.valueOf(cause));
      }
      lock.lock();
      try {
        open.add(response);
      } finally {
        lock.unlock();
      }
      try (response) {
        if (options.verbose()) {
          err.println("< " + response.protocol() + " " + response.status());
          response.headers().forEach((n, v) -> err.println("< " + n + ": " + v));
          err.println("<");
        }
        OutputStream sink;
        try {
          sink = file == null ? out : Files.newOutputStream(file);
        } catch (IOException e) {
          return fail(23, "cannot write " + file + ": " + e.getMessage());
        }
        try {
          if (options.include()) {
            StringBuilder head = new StringBuilder();
            head.append(response.protocol()).append(' ').append(response.status()).append("\r\n");
            response
                .headers()
                .forEach((n, v) -> head.append(n).append(": ").append(v).append("\r\n"));
            head.append("\r\n");
            sink.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
          }
          copy(response, sink, file != null && terminal && !options.silent());
          if (options.verbose() && !response.trailers().isEmpty()) {
            response.trailers().forEach((n, v) -> err.println("< [trailer] " + n + ": " + v));
          }
        } finally {
          if (file != null) sink.close();
          else sink.flush();
        }
        return 0;
      } catch (IOException e) {
        return failure(e, url);
      }
    }

    private void copy(ClientResponse response, OutputStream sink, boolean meter)
        throws IOException {
      String lengthHeader = response.headers().get("content-length");
      long total = -1;
      try {
        if (lengthHeader != null) total = Long.parseLong(lengthHeader.trim());
      } catch (NumberFormatException e) {
        total = -1;
      }
      Progress progress =
          meter ? new Progress(new java.io.PrintWriter(err), total, System::nanoTime) : null;
      byte[] buffer = new byte[64 * 1024];
      InputStream in = response.body();
      for (int n; (n = in.read(buffer)) >= 0; ) {
        try {
          sink.write(buffer, 0, n);
        } catch (IOException e) {
          throw new WriteFailure(e);
        }
        if (progress != null) progress.advance(n);
      }
      if (progress != null) progress.finish();
    }

    private int failure(IOException e, String url) {
      if (timedOut.get()) {
        return fail(
            28, "operation timed out after " + options.maxTime().toMillis() + " ms: " + url);
      }
      if (e instanceof WriteFailure w)
        return fail(23, "failed writing the body: " + w.getCause().getMessage());
      if (e instanceof UnknownHostException)
        return fail(6, "could not resolve host: " + e.getMessage());
      if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
        return fail(7, "failed to connect: " + e.getMessage());
      }
      if (e instanceof SocketTimeoutException)
        return fail(28, "operation timed out: " + e.getMessage());
      if (e instanceof InterruptedIOException)
        return fail(28, "operation cancelled: " + e.getMessage());
      if (e instanceof SSLHandshakeException
          && String.valueOf(e.getMessage()).contains("certificat")) {
        return fail(60, "TLS certificate problem: " + e.getMessage());
      }
      if (e instanceof SSLException) return fail(35, "TLS failure: " + e.getMessage());
      if (e instanceof Http2ClientException h && h.errorCode() != null) {
        return fail(16, "HTTP/2 error: " + e.getMessage());
      }
      return fail(56, "failure receiving data: " + e.getMessage());
    }

    private int fail(int code, String message) {
      if (!options.silent() || options.verbose()) err.println("h2-client: " + message);
      return code;
    }

    private byte[] body() throws Failure {
      if (options.data() == null) return null;
      if (!options.dataFromFile()) return options.data().getBytes(StandardCharsets.UTF_8);
      try {
        byte[] bytes = Files.readAllBytes(Path.of(options.data()));
        if (options.dataBinary()) return bytes;
        // like curl's -d @file: carriage returns and newlines are dropped
        java.io.ByteArrayOutputStream stripped = new java.io.ByteArrayOutputStream(bytes.length);
        for (byte b : bytes) if (b != '\r' && b != '\n') stripped.write(b);
        return stripped.toByteArray();
      } catch (NoSuchFileException e) {
        throw new Failure(26, "cannot read data file " + options.data() + ": no such file");
      } catch (IOException e) {
        throw new Failure(26, "cannot read data file " + options.data() + ": " + e.getMessage());
      }
    }

    private ClientRequest request(String url, byte[] body) throws Failure {
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw new Failure(3, "malformed URL '" + url + "': " + e.getReason());
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new Failure(
            uri.getScheme() == null ? 3 : 1,
            uri.getScheme() == null
                ? "malformed URL '" + url + "': no scheme"
                : "protocol '" + scheme + "' not supported");
      }
      if (uri.getHost() == null) throw new Failure(3, "malformed URL '" + url + "': no host");
      try {
        ClientRequest.Builder b = ClientRequest.builder(uri).method(options.effectiveMethod());
        boolean contentType = false;
        for (String[] h : options.headers()) {
          b.header(h[0], h[1]);
          contentType |= h[0].equalsIgnoreCase("content-type");
        }
        if (body != null) {
          b.body(body);
          if (!contentType) b.header("content-type", "application/x-www-form-urlencoded");
        }
        return b.build();
      } catch (IllegalArgumentException e) {
        throw new Failure(2, e.getMessage());
      }
    }

    private void trace(String connection, TraceListener.Direction direction, String event) {
      String prefix =
          switch (direction) {
            case OUT -> "> ";
            case IN -> "< ";
            case INFO -> "* ";
          };
      lock.lock();
      try {
        err.println(prefix + "[" + connection + "] " + event);
      } finally {
        lock.unlock();
      }
    }
  }

  /** A failure before any request, with its exit code. */
  private static final class Failure extends Exception {
    final int code;

    Failure(int code, String message) {
      super(message);
      this.code = code;
    }
  }

  /** Writing the output failed (exit 23), as opposed to receiving. */
  private static final class WriteFailure extends IOException {
    WriteFailure(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
