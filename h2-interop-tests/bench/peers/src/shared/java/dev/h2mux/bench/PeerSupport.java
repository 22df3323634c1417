package dev.h2mux.bench;

import java.nio.charset.StandardCharsets;

/**
 * What every peer server and tool in the benchmark jars shares: option parsing, the 12-byte
 * body of {@code GET /} and the {@code /bytes/N} path. Compiled into the peers jar and into the
 * Netty 4.1 jar.
 */
final class PeerSupport {
  private PeerSupport() {}

  /** The body of {@code GET /}: exactly 12 bytes. */
  static final byte[] HELLO = "hello h2mux\n".getBytes(StandardCharsets.US_ASCII);

  /** The value after {@code --name} in args, or {@code fallback}. */
  static String option(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--" + name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

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
