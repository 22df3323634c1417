package dev.h2mux.server.demo;

import dev.h2mux.server.Http2Server;
import dev.h2mux.server.TlsConfig;
import java.io.IOException;
import java.net.Inet6Address;

/**
 * The demo server: {@code java -jar h2-server.jar [--host ADDR] [--port N] [--dir DIR] [--tls-cert
 * PEM --tls-key PEM] [--h2-only] [--graceful-timeout SECONDS]}. See {@link Options#USAGE}.
 *
 * <p>Exit status: 2 for a bad command line, 1 if the server cannot start. SIGTERM and Ctrl-C shut
 * it down gracefully ({@link Http2Server#close()}): no new connections, requests in flight finish
 * for up to the graceful timeout, and the server logs one line saying what, if anything, it cut.
 */
public final class Main {
  private Main() {}

  /**
   * Starts the demo server; it runs until the JVM is stopped.
   *
   * @param args the command line; {@code --help} lists it
   */
  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (Options.UsageException e) {
      System.err.println("h2-server: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.print(Options.USAGE);
      return;
    }
    Http2Server.Builder builder =
        Http2Server.builder()
            .bindAddress(options.host())
            .port(options.port())
            .http2Only(options.http2Only())
            .gracefulShutdownTimeout(options.gracefulTimeout());
    try {
      builder.handler(new DemoHandler(options.dir()));
      if (options.tls()) {
        builder.tls(TlsConfig.fromPem(options.tlsCert(), options.tlsKey()));
      }
    } catch (IOException e) {
      System.err.println("h2-server: " + e.getMessage());
      System.exit(2);
      return;
    }
    Http2Server server = builder.build();
    try {
      server.start();
    } catch (IOException e) {
      System.err.println(
          "h2-server: cannot listen on "
              + options.host().getHostAddress()
              + ":"
              + options.port()
              + ": "
              + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "h2mux-shutdown"));
    String host =
        options.host() instanceof Inet6Address
            ? "[" + options.host().getHostAddress() + "]"
            : options.host().getHostAddress();
    System.out.println(
        "h2mux demo server listening on "
            + (options.tls() ? "https" : "http")
            + "://"
            + host
            + ":"
            + server.port()
            + (options.http2Only()
                ? (options.tls() ? " (h2 only)" : " (h2c only)")
                : (options.tls() ? " (h2, http/1.1)" : " (h2c, http/1.1)")));
  }
}
