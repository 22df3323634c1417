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
 * {@code POST /echo} (the request body back), and prints {@code VERSION name version} and then
 * {@code LISTENING port} when ready. The Netty 4.1 peer, which cannot share this jar's class
 * path with Netty 4.2, is its own jar ({@code bench/peers-netty41}) with the same handlers.
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
}
