package dev.h2mux.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.client.ClientRequest;
import dev.h2mux.client.ClientResponse;
import dev.h2mux.client.Http2Client;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * The demo against a client that announces SETTINGS_MAX_HEADER_LIST_SIZE (curl and nghttp do not):
 * the h2mux client, which announces 16 KiB. {@code /headers-big} must stay within it.
 */
class DemoClientTest extends DemoServers {
  @Test
  void headersBigStaysWithinTheClientsAnnouncedHeaderListSize() throws Exception {
    try (Http2Client client = Http2Client.builder().build()) {
      URI base = URI.create("http://127.0.0.1:" + cleartext.port());
      try (ClientResponse settings = client.send(get(base, "/get"))) {
        assertThat(settings.string()).contains("\"SETTINGS_MAX_HEADER_LIST_SIZE\": 16384");
      }
      try (ClientResponse tooBig = client.send(get(base, "/headers-big?kb=16"))) {
        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(tooBig.string())
            .startsWith(
                "your client's SETTINGS_MAX_HEADER_LIST_SIZE is 16384 bytes: /headers-big?kb=16"
                    + " would exceed it; at most kb=15 fits");
      }
      try (ClientResponse fits = client.send(get(base, "/headers-big?kb=15"))) {
        assertThat(fits.status()).isEqualTo(200);
        assertThat(fits.headers().all("x-big-0015")).hasSize(1);
      }
    }
  }

  private static ClientRequest get(URI base, String path) {
    return ClientRequest.builder(base.resolve(path)).build();
  }
}
