package dev.h2mux.interop;

import dev.h2mux.client.ConnectionMode;
import dev.h2mux.client.Http2Client;
import dev.h2mux.client.Protocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The h2mux client against a Jetty 12 server: h2c prior knowledge, h2c Upgrade, h2 over TLS,
 * HTTP/1.1.
 */
class ClientVsJettyServerTest {
  private static JettyPeerServer jetty;

  @BeforeAll
  static void startJetty() throws Exception {
    jetty = JettyPeerServer.start();
  }

  @AfterAll
  static void stopJetty() throws Exception {
    if (jetty != null) jetty.close();
  }

  @Test
  void h2cPriorKnowledge() throws Exception {
    try (Http2Client client = ClientChecks.client(ConnectionMode.PRIOR_KNOWLEDGE)) {
      ClientChecks.all(
          client, jetty.cleartextBase(), Protocol.HTTP_2, JettyPeerServer.WELCOME, true);
    }
  }

  @Test
  void h2cUpgrade() throws Exception {
    try (Http2Client client = ClientChecks.client(ConnectionMode.UPGRADE)) {
      ClientChecks.all(
          client, jetty.cleartextBase(), Protocol.HTTP_2, JettyPeerServer.WELCOME, true);
    }
  }

  @Test
  void tlsWithAlpn() throws Exception {
    try (Http2Client client = ClientChecks.client(ConnectionMode.PRIOR_KNOWLEDGE)) {
      ClientChecks.all(client, jetty.tlsBase(), Protocol.HTTP_2, JettyPeerServer.WELCOME, true);
    }
  }

  @Test
  void http11Mode() throws Exception {
    try (Http2Client client = ClientChecks.client(ConnectionMode.HTTP_1_1)) {
      ClientChecks.all(
          client, jetty.cleartextBase(), Protocol.HTTP_1_1, JettyPeerServer.WELCOME, false);
    }
  }

  @Test
  void tlsHttp11Mode() throws Exception {
    try (Http2Client client = ClientChecks.client(ConnectionMode.HTTP_1_1)) {
      ClientChecks.all(client, jetty.tlsBase(), Protocol.HTTP_1_1, JettyPeerServer.WELCOME, false);
    }
  }
}
