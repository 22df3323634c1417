package dev.h2mux.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A response body as the application reads it: it reports the end ({@link #onEnd}) or an early
 * close ({@link #onAbort}) exactly once, and translates transport failures.
 */
final class BodyStream extends InputStream {
  /** What to do when the body ends or is abandoned. */
  interface Callbacks {
    /** The body was read to its end. */
    void onEnd();

    /** The body was closed before its end, or reading failed. */
    void onAbort();
  }

  private final InputStream in;
  private final Callbacks callbacks;
  private final Exchange exchange;
  private final AtomicBoolean finished = new AtomicBoolean();

  BodyStream(InputStream in, Callbacks callbacks, Exchange exchange) {
    this.in = in;
    this.callbacks = callbacks;
    this.exchange = exchange;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (finished.get()) {
      if (ended) return -1;
      throw new IOException("response body closed");
    }
    int n;
    try {
      n = in.read(b, off, len);
    } catch (IOException e) {
      abort();
      throw Failures.translate(e);
    }
    if (n < 0) end();
    else exchange.downloaded(n);
    return n;
  }

  private volatile boolean ended;

  /**
   * Reads the rest of the body into an array sized by what has arrived, growing as needed:
   * InputStream's own version starts every body, however small, with 16 KiB buffers, which was the
   * largest allocation per request in client profiles.
   */
  @Override
  public byte[] readAllBytes() throws IOException {
    byte[] buf = new byte[Math.max(256, Math.min(available(), 1 << 20))];
    int count = 0;
    for (int n; (n = read(buf, count, buf.length - count)) >= 0; ) {
      count += n;
      if (count == buf.length) {
        if (buf.length >= Integer.MAX_VALUE / 2) throw new IOException("response body too large");
        buf = java.util.Arrays.copyOf(buf, buf.length * 2);
      }
    }
    return count == buf.length ? buf : java.util.Arrays.copyOf(buf, count);
  }

  @Override
  public int available() throws IOException {
    return finished.get() ? 0 : in.available();
  }

  private void end() {
    if (finished.compareAndSet(false, true)) {
      ended = true;
      exchange.ended();
      callbacks.onEnd();
    }
  }

  /** Abandons the body unless it already ended. */
  void abort() {
    if (finished.compareAndSet(false, true)) {
      exchange.ended();
      callbacks.onAbort();
    }
  }

  @Override
  public void close() {
    abort();
  }
}
