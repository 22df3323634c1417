package dev.h2mux.client;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * Cancels one exchange: whatever its current step registered (resetting its stream, closing its
 * HTTP/1.1 connection), and the thread waiting on it.
 */
final class Cancellation {
  private volatile boolean cancelled;
  private volatile Runnable action;
  private volatile Thread thread;

  void thread(Thread thread) {
    this.thread = thread;
  }

  /** Registers what cancels the exchange's current step; runs it at once if already cancelled. */
  void onCancel(Runnable action) {
    this.action = action;
    if (cancelled && action != null) action.run();
  }

  void check() throws IOException {
    if (cancelled) throw new InterruptedIOException("request cancelled");
  }

  boolean isCancelled() {
    return cancelled;
  }

  void cancel() {
    cancelled = true;
    Runnable a = action;
    if (a != null) a.run();
    Thread t = thread;
    if (t != null) t.interrupt();
  }
}
