package dev.h2mux.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client benchmarks: {@code --requests} GETs of {@code --path} (default {@code /}; the harness
 * asks the h2mux server for {@code /bytes/12}, a small response like the others' {@code /}) with
 * {@code --inflight} outstanding over one connection, then two downloads of {@code /bytes/N} ({@code --download N}), for one
 * client ({@code --client h2mux|jdk|okhttp|jetty}) against {@code --base URL}. Appends CSV lines
 * {@code scenario,peer,round,value,unit} to {@code --out} (standard output if absent).
 *
 * <p>Before measuring it warms up with as many requests as it then measures and a 64 MiB download
 * (or less in quick runs), so that the JIT has compiled the hot paths: after a tenth of the
 * requests, the JIT's compiler threads still took a fifth to a half of a Java client's CPU during
 * the measured ones. The first download is recorded apart ({@code client_download_first_MBps}):
 * it still pays for much of the JIT's work. The steady-state download is the median of three
 * after it: one download of 1 GiB lasts a quarter of a second, and a single one swung by ±30 %.
 */
final class ClientBench {
  public static void main(String[] args) throws Exception {
    URI base = URI.create(PeerSupport.option(args, "base", "http://127.0.0.1:8080"));
    String target = PeerSupport.option(args, "target", "server");
    String client = PeerSupport.option(args, "client", "jdk");
    int requests = Integer.parseInt(PeerSupport.option(args, "requests", "100000"));
    int inflight = Integer.parseInt(PeerSupport.option(args, "inflight", "100"));
    long download = Long.parseLong(PeerSupport.option(args, "download", String.valueOf(1L << 30)));
    String round = PeerSupport.option(args, "round", "1");
    String out = PeerSupport.option(args, "out", null);
    String path = PeerSupport.option(args, "path", "/");

    PrintStream csv = out == null
        ? System.out
        : new PrintStream(Files.newOutputStream(Path.of(out),
            StandardOpenOption.CREATE, StandardOpenOption.APPEND), true);
    String getScenario = "client_get_rps@" + target;
    String downloadScenario = "client_download_MBps@" + target;
    String firstScenario = "client_download_first_MBps@" + target;

    ClientDriver driver;
    try {
      driver = open(client);
    } catch (ReflectiveOperationException | LinkageError e) {
      System.err.println("client " + client + " is missing from this build: " + e);
      csv.printf("%s,%s,%s,NA,req/s%n", getScenario, client, round);
      csv.printf("%s,%s,%s,NA,MB/s%n", firstScenario, client, round);
      csv.printf("%s,%s,%s,NA,MB/s%n", downloadScenario, client, round);
      return;
    }
    try (driver) {
      URI small = base.resolve(path);
      // One request alone first: it opens the connection (and upgrades it, for the JDK client).
      // Its body length is what every later response must have (12 bytes from most servers).
      int expected = driver.get(small).get(30, TimeUnit.SECONDS);
      if (expected < 0) {
        throw new IOException("GET " + path + " answered status " + -expected);
      }
      gets(driver, small, Math.max(requests, 100), inflight, expected);
      double rps = gets(driver, small, requests, inflight, expected);
      csv.printf(Locale.ROOT, "%s,%s,%s,%.1f,req/s%n", getScenario, client, round, rps);
      System.err.printf(Locale.ROOT, "%s %s: %.0f req/s%n", client, target, rps);

      // The download first in a JVM that has only seen a 64 MiB warm-up, then three times more.
      // The JIT is still compiling the read path during the first one (C2 threads took a
      // third of the client's CPU in perf); the median of the others is the steady state a
      // long-running application sees. Every Java client gets the same treatment.
      long warm = Math.min(download, 64L << 20);
      driver.download(base.resolve("/bytes/" + warm));
      double first = timedDownload(driver, base.resolve("/bytes/" + download), download);
      csv.printf(Locale.ROOT, "%s,%s,%s,%.1f,MB/s%n", firstScenario, client, round, first);
      double[] steady = new double[3];
      for (int i = 0; i < steady.length; i++) {
        steady[i] = timedDownload(driver, base.resolve("/bytes/" + download), download);
      }
      java.util.Arrays.sort(steady);
      double mbps = steady[steady.length / 2];
      csv.printf(Locale.ROOT, "%s,%s,%s,%.1f,MB/s%n", downloadScenario, client, round, mbps);
      System.err.printf(Locale.ROOT, "%s %s: %.0f MB/s (first download: %.0f MB/s)%n",
          client, target, mbps, first);
    }
    System.exit(0);
  }

  /** Downloads {@code uri}, checks it brought {@code expected} bytes; returns MB/s. */
  static double timedDownload(ClientDriver driver, URI uri, long expected) throws Exception {
    long t0 = System.nanoTime();
    long got = driver.download(uri);
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (got != expected) {
      throw new IOException("downloaded " + got + " bytes, expected " + expected);
    }
    return got / seconds / 1e6;
  }

  /** Runs n GETs keeping {@code inflight} outstanding; returns requests per second. */
  static double gets(ClientDriver driver, URI uri, int n, int inflight, int expected)
      throws Exception {
    Semaphore window = new Semaphore(inflight);
    AtomicLong failures = new AtomicLong();
    Throwable[] first = new Throwable[1];
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      window.acquire();
      driver.get(uri).whenComplete((length, failure) -> {
        if (failure != null || length != expected) {
          if (failures.incrementAndGet() == 1) {
            first[0] = failure != null ? failure : new IOException("body of " + length + " bytes");
          }
        }
        window.release();
      });
    }
    window.acquire(inflight);
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (failures.get() > 0) {
      throw new IOException(failures.get() + " of " + n + " requests failed", first[0]);
    }
    return n / seconds;
  }

  static ClientDriver open(String name) throws Exception {
    return switch (name) {
      case "jdk" -> new JdkDriver();
      case "okhttp" -> new OkHttpDriver();
      case "jetty" -> new JettyDriver();
      case "h2mux" -> (ClientDriver) Class.forName("dev.h2mux.bench.H2muxDriver")
          .getDeclaredConstructor().newInstance();
      default -> throw new IllegalArgumentException("unknown client " + name);
    };
  }

  static long drain(InputStream in) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    for (int n; (n = in.read(buffer)) >= 0; ) {
      total += n;
    }
    return total;
  }

  /** java.net.http.HttpClient, HTTP/2 over cleartext through the Upgrade of the first request. */
  static final class JdkDriver implements ClientDriver {
    private final HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_2)
        .build();

    @Override
    public String name() {
      return "jdk";
    }

    @Override
    public CompletableFuture<Integer> get(URI uri) {
      return client.sendAsync(HttpRequest.newBuilder(uri).build(),
              HttpResponse.BodyHandlers.ofByteArray())
          .thenApply(r -> {
            if (r.version() != HttpClient.Version.HTTP_2) {
              throw new IllegalStateException("not HTTP/2: " + r.version());
            }
            return r.statusCode() == 200 ? r.body().length : -r.statusCode();
          });
    }

    @Override
    public long download(URI uri) throws Exception {
      HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(uri).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        return drain(in);
      }
    }

    @Override
    public void close() {
      client.shutdownNow();
    }
  }

  /** OkHttp 5 with H2_PRIOR_KNOWLEDGE; its dispatcher allows all requests at once. */
  static final class OkHttpDriver implements ClientDriver {
    private final okhttp3.OkHttpClient client;

    OkHttpDriver() {
      okhttp3.Dispatcher dispatcher = new okhttp3.Dispatcher();
      dispatcher.setMaxRequests(1024);
      dispatcher.setMaxRequestsPerHost(1024);
      client = new okhttp3.OkHttpClient.Builder()
          .protocols(List.of(okhttp3.Protocol.H2_PRIOR_KNOWLEDGE))
          .dispatcher(dispatcher)
          .readTimeout(java.time.Duration.ofSeconds(60))
          .build();
    }

    @Override
    public String name() {
      return "okhttp";
    }

    @Override
    public CompletableFuture<Integer> get(URI uri) {
      CompletableFuture<Integer> result = new CompletableFuture<>();
      okhttp3.Request request = new okhttp3.Request.Builder().url(uri.toString()).build();
      client.newCall(request).enqueue(new okhttp3.Callback() {
        @Override
        public void onFailure(okhttp3.Call call, IOException e) {
          result.completeExceptionally(e);
        }

        @Override
        public void onResponse(okhttp3.Call call, okhttp3.Response response) {
          try (response) {
            byte[] body = response.body().bytes();
            result.complete(response.code() == 200 ? body.length : -response.code());
          } catch (IOException e) {
            result.completeExceptionally(e);
          }
        }
      });
      return result;
    }

    @Override
    public long download(URI uri) throws Exception {
      okhttp3.Request request = new okhttp3.Request.Builder().url(uri.toString()).build();
      try (okhttp3.Response response = client.newCall(request).execute()) {
        return drain(response.body().byteStream());
      }
    }

    @Override
    public void close() {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  /** Jetty 12's HttpClient over its HTTP/2 transport (h2c prior knowledge), one connection. */
  static final class JettyDriver implements ClientDriver {
    private final org.eclipse.jetty.client.HttpClient client;

    JettyDriver() throws Exception {
      var connector = new org.eclipse.jetty.io.ClientConnector();
      var http2 = new org.eclipse.jetty.http2.client.HTTP2Client(connector);
      client = new org.eclipse.jetty.client.HttpClient(
          new org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2(http2));
      client.setMaxConnectionsPerDestination(1);
      client.setMaxRequestsQueuedPerDestination(1 << 20);
      client.start();
    }

    @Override
    public String name() {
      return "jetty";
    }

    @Override
    public CompletableFuture<Integer> get(URI uri) {
      CompletableFuture<Integer> result = new CompletableFuture<>();
      client.newRequest(uri).send(new org.eclipse.jetty.client.BufferingResponseListener() {
        @Override
        public void onComplete(org.eclipse.jetty.client.Result r) {
          if (r.isFailed()) {
            result.completeExceptionally(r.getFailure());
          } else {
            int status = r.getResponse().getStatus();
            result.complete(status == 200 ? getContent().length : -status);
          }
        }
      });
      return result;
    }

    @Override
    public long download(URI uri) throws Exception {
      var listener = new org.eclipse.jetty.client.InputStreamResponseListener();
      client.newRequest(uri).send(listener);
      listener.get(60, TimeUnit.SECONDS);
      try (InputStream in = listener.getInputStream()) {
        return drain(in);
      }
    }

    @Override
    public void close() throws Exception {
      client.stop();
    }
  }
}
