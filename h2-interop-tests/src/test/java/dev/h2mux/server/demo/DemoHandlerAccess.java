package dev.h2mux.server.demo;

import dev.h2mux.server.Handler;
import java.io.IOException;

/**
 * Lets the interop tests run the demo server's handler in their own JVM: the demo package keeps its
 * classes package-private, and tests run on the classpath, where this class shares the package.
 */
public final class DemoHandlerAccess {
  private DemoHandlerAccess() {}

  /** The demo's handler without a static directory, as {@code java -jar h2-server.jar} runs it. */
  public static Handler handler() throws IOException {
    return new DemoHandler(null);
  }
}
