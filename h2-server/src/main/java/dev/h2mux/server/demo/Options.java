package dev.h2mux.server.demo;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The demo server's command line, parsed without side effects so it can be tested.
 *
 * @param host the address to listen on
 * @param port the port, 0..65535
 * @param dir the directory to serve static files from, or null
 * @param tlsCert the PEM certificate chain, or null for cleartext
 * @param tlsKey the PEM private key, or null for cleartext
 * @param gracefulTimeout how long a shutdown (SIGTERM, Ctrl-C) waits for requests in flight
 * @param http2Only true to serve HTTP/2 only (no HTTP/1.1 on the port)
 * @param help true if {@code --help} was given (nothing else is validated then)
 */
record Options(
    InetAddress host,
    int port,
    Path dir,
    Path tlsCert,
    Path tlsKey,
    Duration gracefulTimeout,
    boolean http2Only,
    boolean help) {
  /** The longest {@code --graceful-timeout}, in seconds: an hour. */
  static final int MAX_GRACEFUL_SECONDS = 3600;

  static final String USAGE =
      """
      Usage: java -jar h2-server.jar [options]

      A demo HTTP/2 + HTTP/1.1 server (h2c, Upgrade: h2c, or TLS with ALPN).

      Options:
        --host ADDR       address to listen on (default 127.0.0.1)
        --port N          port to listen on, 0..65535; 0 picks a free one (default 8080)
        --dir DIR         serve static files from DIR (GET /, /index.html, ...); default: none
        --tls-cert PEM    serve TLS with this PEM certificate chain (needs --tls-key)
        --tls-key PEM     the PEM private key for --tls-cert (PKCS#8, RSA or EC, unencrypted)
        --h2-only         serve HTTP/2 only: a connection that does not start with the HTTP/2
                          preface gets GOAWAY(PROTOCOL_ERROR); over TLS, ALPN offers only h2
        --graceful-timeout SECONDS
                          on SIGTERM or Ctrl-C, stop accepting, let requests in flight finish
                          for up to SECONDS (0..3600), then close the rest (default 30)
        --help            print this help and exit

      Endpoints: GET / lists them all (inspection, status codes, delays, streams,
      redirects, caching, ranges, resets, GOAWAY, CONTINUATION, flow control, PING)
      with their parameters and limits; paths no endpoint claims are files from DIR.
      """;

  /** A command line that cannot be used; the message is for the user, one line. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  /**
   * Parses {@code args}. Flags take their value as the next argument or after {@code =}.
   *
   * @throws UsageException for an unknown flag, a missing or bad value, or an unreadable file
   */
  static Options parse(String... args) throws UsageException {
    String host = "127.0.0.1";
    String port = "8080";
    String dir = null;
    String cert = null;
    String key = null;
    String graceful = "30";
    boolean http2Only = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        return new Options(null, 0, null, null, null, null, false, true);
      }
      if (arg.equals("--h2-only")) {
        http2Only = true;
        continue;
      }
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (!name.equals("--host")
          && !name.equals("--port")
          && !name.equals("--dir")
          && !name.equals("--tls-cert")
          && !name.equals("--tls-key")
          && !name.equals("--graceful-timeout")) {
        throw new UsageException("unknown option " + arg + " (try --help)");
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new UsageException(name + " needs a value");
        }
        value = args[++i];
      }
      switch (name) {
        case "--host" -> host = value;
        case "--port" -> port = value;
        case "--dir" -> dir = value;
        case "--tls-cert" -> cert = value;
        case "--graceful-timeout" -> graceful = value;
        default -> key = value;
      }
    }
    if ((cert == null) != (key == null)) {
      throw new UsageException("--tls-cert and --tls-key go together");
    }
    return new Options(
        parseHost(host),
        parsePort(port),
        directory(dir),
        readable(cert, "--tls-cert"),
        readable(key, "--tls-key"),
        parseSeconds(graceful),
        http2Only,
        false);
  }

  /** True if the server speaks TLS. */
  boolean tls() {
    return tlsCert != null;
  }

  private static InetAddress parseHost(String host) throws UsageException {
    if (host.isBlank()) {
      throw new UsageException("--host needs an address");
    }
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new UsageException("cannot resolve --host " + host);
    }
  }

  private static int parsePort(String port) throws UsageException {
    if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new UsageException("--port must be a number in 0..65535, got \"" + port + "\"");
    }
    int value = Integer.parseInt(port);
    if (value > 65535) {
      throw new UsageException("--port must be a number in 0..65535, got " + port);
    }
    return value;
  }

  private static Duration parseSeconds(String seconds) throws UsageException {
    if (seconds.isEmpty()
        || seconds.length() > 4
        || !seconds.chars().allMatch(c -> c >= '0' && c <= '9')
        || Integer.parseInt(seconds) > MAX_GRACEFUL_SECONDS) {
      throw new UsageException(
          "--graceful-timeout must be a number of seconds in 0.."
              + MAX_GRACEFUL_SECONDS
              + ", got \""
              + seconds
              + "\"");
    }
    return Duration.ofSeconds(Integer.parseInt(seconds));
  }

  private static Path directory(String dir) throws UsageException {
    if (dir == null) {
      return null;
    }
    Path path = Path.of(dir);
    if (!Files.isDirectory(path) || !Files.isReadable(path)) {
      throw new UsageException("--dir " + dir + " is not a readable directory");
    }
    return path;
  }

  private static Path readable(String file, String flag) throws UsageException {
    if (file == null) {
      return null;
    }
    Path path = Path.of(file);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new UsageException(flag + " " + file + " is not a readable file");
    }
    return path;
  }
}
