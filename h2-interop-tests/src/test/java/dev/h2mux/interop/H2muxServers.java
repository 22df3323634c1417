package dev.h2mux.interop;

import dev.h2mux.server.Handler;
import dev.h2mux.server.Http2Server;
import dev.h2mux.server.TlsConfig;
import java.time.Duration;

/** Starts the h2mux server under test on loopback, on an ephemeral port. */
final class H2muxServers {
  private H2muxServers() {}

  /** A cleartext server: h2c prior knowledge, HTTP/1.1, and Upgrade: h2c. */
  static Http2Server cleartext(Handler handler) throws Exception {
    return Http2Server.builder()
        .host("127.0.0.1")
        .port(0)
        .handler(handler)
        .gracefulShutdownTimeout(Duration.ofSeconds(2))
        .build()
        .start();
  }

  /** A TLS server offering h2 and http/1.1 by ALPN, with the {@link TestCerts} identity. */
  static Http2Server tls(Handler handler) throws Exception {
    TestCerts certs = TestCerts.get();
    return Http2Server.builder()
        .host("127.0.0.1")
        .port(0)
        .handler(handler)
        .tls(TlsConfig.fromPkcs12(certs.pkcs12, TestCerts.PASSWORD))
        .gracefulShutdownTimeout(Duration.ofSeconds(2))
        .build()
        .start();
  }
}
