package dev.h2mux.client.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * The {@code h2-client} command: curl's command line for HTTP/2 and HTTP/1.1. Exit codes follow
 * curl's: 0 success, 1 unsupported scheme, 2 bad usage, 3 malformed URL, 6 unresolvable host, 7
 * connection failed, 16 HTTP/2 error, 22 HTTP error with {@code -f}, 23 write error, 26 read error,
 * 28 timeout, 35 TLS failure, 47 too many redirects, 52 empty reply, 56 receive failure, 60
 * untrusted certificate, 61 bad content encoding, 77 unusable {@code --cacert} file.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    Console console = System.console();
    int code = run(args, System.in, System.out, System.err, console != null, console);
    System.out.flush();
    System.exit(code);
  }

  /**
   * Runs the command without a terminal to read from: {@code -K -} and {@code -w @-} read nothing.
   *
   * @param terminal true if stderr is a terminal (a progress meter is shown for -o downloads)
   * @return the exit code
   */
  public static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
    return run(args, InputStream.nullInputStream(), out, err, terminal, null);
  }

  /**
   * Runs the command.
   *
   * @param stdin what {@code -K -}, {@code -w @-} and a password prompt read
   * @param terminal true if stderr is a terminal (a progress meter is shown for -o downloads)
   * @param console where a {@code -u user} password is asked without echo, or null
   * @return the exit code
   */
  static int run(
      String[] args,
      InputStream stdin,
      PrintStream out,
      PrintStream err,
      boolean terminal,
      Console console) {
    CliOptions options;
    try {
      options = OptionParser.parse(args, stdin);
    } catch (UsageException e) {
      err.println("h2-client: " + e.getMessage());
      err.println("h2-client: try 'h2-client --help' for more information");
      return e.code;
    } catch (CliFailure e) {
      err.println("h2-client: (" + e.code + ") " + e.getMessage());
      return e.code;
    }
    if (options.help()) {
      out.print(Usage.TEXT);
      return 0;
    }
    return new Session(options, stdin, out, err, terminal, console).run();
  }
}
