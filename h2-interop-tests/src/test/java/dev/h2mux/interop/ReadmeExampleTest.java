package dev.h2mux.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.client.ClientRequest;
import dev.h2mux.client.ClientResponse;
import dev.h2mux.client.Http2Client;
import dev.h2mux.server.Http2Server;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's embedding example, kept compiling and working (port 0 instead of 8080). */
@Timeout(30)
class ReadmeExampleTest {
  @Test
  void readmeServerAndClientSnippetsWork() throws Exception {
    Http2Server server =
        Http2Server.builder()
            .port(0) // 0 picks a free port
            .handler(
                (request, response) -> { // runs on its own virtual thread
                  response.headers().set("content-type", "text/plain");
                  String greeting = "hello over " + request.protocol() + "\n";
                  response.body().write(greeting.getBytes(StandardCharsets.UTF_8));
                })
            .build()
            .start();
    try (Http2Client client = Http2Client.builder().build()) {
      ClientResponse response =
          client.send(
              ClientRequest.builder(URI.create("http://127.0.0.1:" + server.port() + "/")).build());
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.string()).isEqualTo("hello over HTTP/2\n");
    } finally {
      server.close();
    }
  }
}
