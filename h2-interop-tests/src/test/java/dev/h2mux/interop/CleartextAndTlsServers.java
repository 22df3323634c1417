package dev.h2mux.interop;

import dev.h2mux.server.Http2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * For tests of one client against the h2mux server: a cleartext and a TLS server with the same
 * {@link InteropHandler}, started once per test class.
 */
abstract class CleartextAndTlsServers {
  static final InteropHandler handler = new InteropHandler();
  static Http2Server cleartext;
  static Http2Server tls;

  @BeforeAll
  static void startServers() throws Exception {
    cleartext = H2muxServers.cleartext(handler);
    tls = H2muxServers.tls(handler);
  }

  @AfterAll
  static void stopServers() {
    if (cleartext != null) cleartext.close();
    if (tls != null) tls.close();
    cleartext = null;
    tls = null;
  }
}
