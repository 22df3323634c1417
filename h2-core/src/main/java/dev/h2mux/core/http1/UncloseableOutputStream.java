package dev.h2mux.core.http1;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A view of a connection's output whose {@code close()} only flushes: for bodies written by code
 * that closes what it is given, on a connection that must stay open.
 */
public final class UncloseableOutputStream extends FilterOutputStream {
  /**
   * Wraps a connection's output.
   *
   * @param out the output, left open
   */
  public UncloseableOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len); // FilterOutputStream would write byte by byte
  }

  @Override
  public void close() throws IOException {
    out.flush();
  }
}
