package dev.h2mux.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.client.ClientRequest;
import dev.h2mux.client.ClientResponse;
import dev.h2mux.client.ConnectionMode;
import dev.h2mux.client.Http2Client;
import dev.h2mux.client.Protocol;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The h2mux client against nghttpd (Debian package {@code nghttp2-server}), cleartext with prior
 * knowledge. (nghttpd 1.52 does not implement the h2c Upgrade: it answers an Upgrade request with
 * raw HTTP/2 frames, which curl --http2 also rejects, so Upgrade is tested against Jetty.)
 */
class ClientVsNghttpdTest {
  @TempDir static Path dir;
  private static NghttpdPeerServer nghttpd;

  @BeforeAll
  static void startNghttpd() throws Exception {
    Path program = ExternalTool.require("nghttpd", "nghttp2-server");
    Path docroot = dir.resolve("docroot");
    NghttpdPeerServer.writeDocroot(docroot, 64 * Bodies.KIB, 16L * Bodies.MIB);
    nghttpd = NghttpdPeerServer.start(program, docroot, dir);
  }

  @AfterAll
  static void stopNghttpd() throws Exception {
    if (nghttpd != null) nghttpd.close();
  }

  @Test
  void priorKnowledge() throws Exception {
    try (Http2Client client = ClientChecks.client(ConnectionMode.PRIOR_KNOWLEDGE)) {
      ClientChecks.get(client, nghttpd.base(), Protocol.HTTP_2, NghttpdPeerServer.WELCOME);
      ClientChecks.echoOneMebibyte(client, nghttpd.base(), Protocol.HTTP_2, false);
      ClientChecks.download16Mebibytes(client, nghttpd.base(), Protocol.HTTP_2);
      ClientChecks.concurrent(client, nghttpd.base(), Protocol.HTTP_2, 50);
    }
  }

  /** nghttpd's {@code --trailer} field arrives as an HTTP/2 trailer after the body. */
  @Test
  void responseTrailers() throws Exception {
    try (Http2Client client = ClientChecks.client(ConnectionMode.PRIOR_KNOWLEDGE);
        ClientResponse response =
            client.send(ClientRequest.builder(nghttpd.base() + "/bytes/65536").build())) {
      assertThat(response.protocol()).isEqualTo(Protocol.HTTP_2);
      assertThat(response.bytes()).hasSize(64 * Bodies.KIB);
      assertThat(response.trailers().get("x-peer")).isEqualTo("nghttpd");
    }
  }
}
