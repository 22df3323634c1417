package dev.h2mux.bench;

import dev.h2mux.client.ClientRequest;
import dev.h2mux.client.ClientResponse;
import dev.h2mux.client.Http2Client;
import dev.h2mux.client.Protocol;
import java.io.InputStream;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The h2mux client, used the way it is meant to be: blocking {@code send} calls, each on its own
 * virtual thread, all multiplexed over the one HTTP/2 connection it keeps per origin (prior
 * knowledge, its default for http:// origins).
 *
 * <p>Compiled only when the h2-client API is present (Maven profile {@code h2mux-client});
 * otherwise {@link ClientBench} reports the h2mux column as missing.
 */
final class H2muxDriver implements ClientDriver {
  private final Http2Client client = Http2Client.builder().build();
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  @Override
  public String name() {
    return "h2mux";
  }

  @Override
  public CompletableFuture<Integer> get(URI uri) {
    return CompletableFuture.supplyAsync(() -> {
      try (ClientResponse response = client.send(ClientRequest.get(uri))) {
        if (response.protocol() != Protocol.HTTP_2) {
          throw new IllegalStateException("not HTTP/2: " + response.protocol());
        }
        byte[] body = response.bytes();
        return response.status() == 200 ? body.length : -response.status();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, threads);
  }

  @Override
  public long download(URI uri) throws Exception {
    try (ClientResponse response = client.send(ClientRequest.get(uri));
        InputStream in = response.body()) {
      return ClientBench.drain(in);
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
    client.close();
  }
}
