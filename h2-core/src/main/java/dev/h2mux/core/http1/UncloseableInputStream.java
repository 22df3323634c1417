package dev.h2mux.core.http1;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A view of a connection's input whose {@code close()} leaves the connection open. */
final class UncloseableInputStream extends FilterInputStream {
  private boolean closed;

  UncloseableInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    ensureOpen();
    return in.read();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    ensureOpen();
    return in.read(b, off, len);
  }

  @Override
  public void close() {
    closed = true;
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("body stream closed");
    }
  }
}
