package dev.h2mux.interop;

import dev.h2mux.client.ConnectionMode;
import dev.h2mux.client.Http2Client;
import dev.h2mux.client.Protocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The h2mux client against a Netty 4 HTTP/2 server: h2c prior knowledge and h2 over TLS. */
class ClientVsNettyServerTest {
  private static NettyPeerServer netty;

  @BeforeAll
  static void startNetty() throws Exception {
    netty = NettyPeerServer.start();
  }

  @AfterAll
  static void stopNetty() {
    if (netty != null) netty.close();
  }

  @Test
  void h2cPriorKnowledge() throws Exception {
    try (Http2Client client = ClientChecks.client(ConnectionMode.PRIOR_KNOWLEDGE)) {
      ClientChecks.all(
          client, netty.cleartextBase(), Protocol.HTTP_2, NettyPeerServer.WELCOME, true);
    }
  }

  @Test
  void tlsWithAlpn() throws Exception {
    try (Http2Client client = ClientChecks.client(ConnectionMode.PRIOR_KNOWLEDGE)) {
      ClientChecks.all(client, netty.tlsBase(), Protocol.HTTP_2, NettyPeerServer.WELCOME, true);
    }
  }
}
