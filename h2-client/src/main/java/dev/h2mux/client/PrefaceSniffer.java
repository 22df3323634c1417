package dev.h2mux.client;

import dev.h2mux.core.http1.Http1InputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The input of a prior-knowledge connection: before the engine sees the first byte, it looks
 * whether the server answered our preface like an HTTP/1.1 server ({@code HTTP/1.}). If so it
 * remembers that and reports end of stream, so the engine ends the connection quietly and the
 * client falls back to HTTP/1.1 on a fresh one.
 */
final class PrefaceSniffer extends InputStream {
  private final Http1InputStream in;
  private volatile boolean checked;
  private volatile boolean http1;

  PrefaceSniffer(InputStream in) {
    this.in = new Http1InputStream(in);
  }

  /** True if the server answered like an HTTP/1.x server. */
  boolean sawHttp1() {
    return http1;
  }

  private boolean check() throws IOException {
    if (!checked) {
      byte[] expected = {'H', 'T', 'T', 'P', '/', '1', '.'};
      boolean match = true;
      for (int i = 0; i < expected.length && match; i++) {
        match = in.peek(i) == expected[i];
      }
      http1 = match;
      checked = true;
    }
    return http1;
  }

  @Override
  public int read() throws IOException {
    return check() ? -1 : in.read();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return check() ? -1 : in.read(b, off, len);
  }

  @Override
  public int available() throws IOException {
    return checked && !http1 ? in.available() : 0;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
