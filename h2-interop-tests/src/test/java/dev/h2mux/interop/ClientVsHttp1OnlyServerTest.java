package dev.h2mux.interop;

import dev.h2mux.client.ConnectionMode;
import dev.h2mux.client.Http2Client;
import dev.h2mux.client.Protocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The h2mux client against an HTTP/1.1-only server (the JDK's com.sun.net.httpserver): every mode
 * must end up on HTTP/1.1 — prior knowledge by falling back after the server rejects the preface,
 * Upgrade because the server ignores the Upgrade header.
 */
class ClientVsHttp1OnlyServerTest {
  private static Http1OnlyPeerServer http1;

  @BeforeAll
  static void startServer() throws Exception {
    http1 = Http1OnlyPeerServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (http1 != null) http1.close();
  }

  @Test
  void priorKnowledgeFallsBackToHttp11() throws Exception {
    try (Http2Client client = ClientChecks.client(ConnectionMode.PRIOR_KNOWLEDGE)) {
      ClientChecks.all(client, http1.base(), Protocol.HTTP_1_1, Http1OnlyPeerServer.WELCOME, false);
    }
  }

  @Test
  void upgradeIsIgnoredAndHttp11Used() throws Exception {
    try (Http2Client client = ClientChecks.client(ConnectionMode.UPGRADE)) {
      ClientChecks.all(client, http1.base(), Protocol.HTTP_1_1, Http1OnlyPeerServer.WELCOME, false);
    }
  }

  @Test
  void http11Mode() throws Exception {
    try (Http2Client client = ClientChecks.client(ConnectionMode.HTTP_1_1)) {
      ClientChecks.all(client, http1.base(), Protocol.HTTP_1_1, Http1OnlyPeerServer.WELCOME, false);
    }
  }
}
