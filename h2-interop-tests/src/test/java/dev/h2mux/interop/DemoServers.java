package dev.h2mux.interop;

import dev.h2mux.server.Http2Server;
import dev.h2mux.server.demo.DemoHandlerAccess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * For tests of the demo server against a real peer: the demo's handler on a cleartext and a TLS
 * server, started once per test class, as {@code java -jar h2-server.jar} would run it.
 */
abstract class DemoServers {
  static Http2Server cleartext;
  static Http2Server tls;

  @BeforeAll
  static void startDemoServers() throws Exception {
    cleartext = H2muxServers.cleartext(DemoHandlerAccess.handler());
    tls = H2muxServers.tls(DemoHandlerAccess.handler());
  }

  @AfterAll
  static void stopDemoServers() {
    if (cleartext != null) cleartext.close();
    if (tls != null) tls.close();
    cleartext = null;
    tls = null;
  }
}
