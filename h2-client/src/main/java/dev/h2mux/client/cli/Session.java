package dev.h2mux.client.cli;

import dev.h2mux.client.ClientRequest;
import dev.h2mux.client.Http2Client;
import dev.h2mux.client.Http2ClientBuilder;
import dev.h2mux.client.cli.CliOptions.OutputArg;
import dev.h2mux.client.cli.CliOptions.Resolve;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One run of the command: checks every URL and output before sending anything, then runs the
 * transfers one after another (or all at once with {@code -Z}) on one client.
 *
 * <p>The exit code is curl's: with transfers one after another, the last one's; with {@code -Z},
 * the first failure's.
 */
final class Session {
  final CliOptions options;
  final PrintStream out;
  final PrintStream err;
  final boolean terminal;
  final VerbosePrinter verbose;
  private final InputStream stdin;
  private final Console console;
  ScheduledExecutorService timer;
  private OutputSink headerDump;

  /**
   * @param console the terminal to ask a password on, or null to read it from {@code stdin}
   */
  Session(
      CliOptions options,
      InputStream stdin,
      PrintStream out,
      PrintStream err,
      boolean terminal,
      Console console) {
    this.options = options;
    this.stdin = stdin;
    this.out = out;
    this.err = err;
    this.terminal = terminal;
    this.console = console;
    this.verbose = options.verbose() ? new VerbosePrinter(err, System::nanoTime) : null;
  }

  int run() {
    List<Transfer> transfers;
    Http2ClientBuilder builder;
    try {
      transfers = prepare();
      builder = builder();
    } catch (CliFailure f) {
      report(f);
      return f.code;
    }
    int result = 0;
    if (options.maxTime() != null) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> Thread.ofPlatform().daemon().name("h2-client-deadline").unstarted(r));
    }
    try (Http2Client client = builder.build()) {
      if (options.parallel()) {
        for (Transfer t : transfers) t.start(client);
        for (Transfer t : transfers) {
          int code = t.finish();
          if (result == 0) result = code;
        }
      } else {
        for (Transfer t : transfers) {
          t.start(client);
          result = t.finish();
        }
      }
    } finally {
      if (timer != null) timer.shutdownNow();
      try {
        if (headerDump != null) headerDump.close();
      } catch (IOException e) {
        report(new CliFailure(23, "Failure writing the -D file: " + e.getMessage()));
        result = 23;
      }
    }
    return result;
  }

  private Http2ClientBuilder builder() throws CliFailure {
    Http2ClientBuilder builder =
        Http2Client.builder()
            .connectionMode(options.mode())
            .insecure(options.insecure())
            .decompress(options.compressed());
    if (options.location()) {
      builder.followRedirects(options.maxRedirs() < 0 ? Integer.MAX_VALUE : options.maxRedirs());
    }
    if (options.proxy() != null) builder.proxy(options.proxy());
    for (Resolve r : options.resolves()) {
      builder.resolve(r.host(), r.port(), r.addresses().toArray(InetAddress[]::new));
    }
    // -m is each transfer's own deadline (see Transfer), which also cancels a body being read;
    // it caps the connect timeout so that no connect attempt outlives it.
    Duration connect = shorter(options.connectTimeout(), options.maxTime());
    if (connect != null) builder.connectTimeout(connect);
    if (verbose != null) builder.trace(verbose);
    if (options.cacert() != null) {
      try {
        builder.trustedCertificates(options.cacert());
      } catch (UncheckedIOException | IllegalArgumentException e) {
        throw new CliFailure(77, "error setting certificate file: " + e.getMessage());
      }
    }
    return builder;
  }

  /** Every request, built before anything is sent, as curl refuses a bad -O up front. */
  private List<Transfer> prepare() throws CliFailure {
    RequestFactory factory = new RequestFactory(options, credentials());
    List<Transfer> transfers = new ArrayList<>();
    for (int i = 0; i < options.urls().size(); i++) {
      String url = options.urls().get(i);
      URI uri = RequestFactory.uri(url);
      OutputArg output = options.output(i);
      Path file =
          output == null ? null : Path.of(output.remoteName() ? RemoteName.of(uri) : output.file());
      ClientRequest request = factory.request(uri, options.effectiveMethod(), options.referer());
      transfers.add(new Transfer(this, i, url, uri, request, file, factory));
    }
    return transfers;
  }

  /** {@code -u user:password}; for {@code -u user}, the password asked for as curl does. */
  private String credentials() throws CliFailure {
    String user = options.user();
    if (user == null || user.contains(":")) return user;
    String prompt = "Enter host password for user '" + user + "':";
    if (console != null) {
      char[] password = console.readPassword("%s", prompt);
      return user + ":" + (password == null ? "" : new String(password));
    }
    err.print(prompt);
    err.flush();
    try {
      String line =
          new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
      err.println();
      return user + ":" + (line == null ? "" : line);
    } catch (IOException e) {
      throw new CliFailure(26, "cannot read the password: " + e.getMessage());
    }
  }

  /**
   * Appends a response head to the {@code -D} file, or standard output for {@code -D -}. Called by
   * each transfer's thread: with {@code -Z}, at once.
   */
  synchronized void dumpHeader(String head) throws IOException {
    if (options.dumpHeader() == null) return;
    if (headerDump == null) {
      boolean stdout = options.dumpHeader().equals("-");
      headerDump = new OutputSink(out, stdout ? null : Path.of(options.dumpHeader()));
    }
    headerDump.write(head.getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * Prints a failure as curl does, {@code h2-client: (7) Failed to connect ...}: not with {@code
   * -s} unless {@code -S}; with {@code -s -v} as a {@code *} line.
   */
  void report(CliFailure failure) {
    if (options.showsErrors()) {
      err.println("h2-client: (" + failure.code + ") " + failure.getMessage());
    } else if (verbose != null) {
      verbose.info(failure.getMessage());
    }
    err.flush();
  }

  private static Duration shorter(Duration a, Duration b) {
    if (a == null) return b;
    if (b == null) return a;
    return a.compareTo(b) <= 0 ? a : b;
  }
}
