package dev.h2mux.bench;

import java.util.Arrays;

/**
 * Entry point of the benchmark peers jar: {@code java -jar h2mux-bench-peers.jar COMMAND ...}.
 *
 * <ul>
 *   <li>{@code jetty --port N} — a minimal Jetty 12 server, h2c (prior knowledge) and HTTP/1.1
 *   <li>{@code netty --port N} — a minimal Netty 4.2 server, h2c (prior knowledge) and HTTP/1.1
 *   <li>{@code idle --port N --count C} — holds C idle HTTP/2 connections open
 *   <li>{@code client --base URL ...} — client benchmarks (see {@link ClientBench})
 * </ul>
 *
 * <p>Every server serves {@code GET /} (12 bytes), {@code GET /bytes/N} (N bytes) and
 * {@code POST /echo} (the request body back), and prints {@code LISTENING port} when ready.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: jetty|netty|idle|client [options]");
      System.exit(2);
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "jetty" -> JettyPeer.main(rest);
      case "netty" -> NettyPeer.main(rest);
      case "idle" -> IdleConnections.main(rest);
      case "client" -> ClientBench.main(rest);
      default -> {
        System.err.println("unknown command " + args[0]);
        System.exit(2);
      }
    }
  }

  /** The value after {@code --name} in args, or {@code fallback}. */
  static String option(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--" + name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  /** The body of {@code GET /}: exactly 12 bytes. */
  static final byte[] HELLO = "hello h2mux\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Parses N from {@code /bytes/N}; -1 if the path is not of that form. */
  static long bytesCount(String path) {
    if (!path.startsWith("/bytes/")) {
      return -1;
    }
    try {
      long n = Long.parseLong(path.substring("/bytes/".length()));
      return n < 0 ? -1 : n;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
