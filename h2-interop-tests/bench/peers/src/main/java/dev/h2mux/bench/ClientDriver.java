package dev.h2mux.bench;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/** One HTTP client under test, over one HTTP/2 connection to the target. */
interface ClientDriver extends AutoCloseable {
  /** Short name for the results: h2mux, jdk, okhttp, jetty. */
  String name();

  /**
   * Starts a GET of a small resource and completes with its body length once the body has
   * been read, or exceptionally. Clients with a blocking API run it on a virtual thread.
   */
  CompletableFuture<Integer> get(URI uri);

  /** GETs {@code uri} and reads the whole body into a reused buffer; returns the byte count. */
  long download(URI uri) throws Exception;

  @Override
  void close() throws Exception;
}
