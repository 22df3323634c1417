package dev.h2mux.client;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The virtual threads a client starts for its callers (async sends, request body uploads), so that
 * {@link Http2Client#close()} can interrupt them and wait for them to end.
 */
final class ClientThreads {
  private final String prefix;
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

  ClientThreads(String prefix) {
    this.prefix = prefix;
  }

  /** A thread named {@code prefix-role} for {@code task}, not started. */
  Thread newThread(String role, Runnable task) {
    Thread thread =
        Thread.ofVirtual()
            .name(prefix + "-" + role)
            .unstarted(
                () -> {
                  try {
                    task.run();
                  } finally {
                    threads.remove(Thread.currentThread());
                  }
                });
    threads.add(thread);
    return thread;
  }

  /** Interrupts every thread, then waits up to {@code timeout} for each to end. */
  void interruptAndJoin(Duration timeout) throws InterruptedException {
    for (Thread thread : threads) thread.interrupt();
    for (Thread thread : threads) thread.join(timeout);
  }
}
