package dev.h2mux.core.http1;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Writes a body of exactly the declared Content-Length. Writing past it throws an {@link
 * IOException} and writes nothing; closing before it was reached throws one too, so a short body is
 * never mistaken for a complete one. Closing flushes but does not close the connection.
 */
public final class ContentLengthOutputStream extends OutputStream {
  private final OutputStream out;
  private final long length;
  private long remaining;
  private boolean closed;

  /**
   * Writes a body of exactly {@code length} bytes.
   *
   * @param out the connection's output, positioned after the head
   * @param length the declared Content-Length
   */
  public ContentLengthOutputStream(OutputStream out, long length) {
    if (length < 0) {
      throw new IllegalArgumentException("negative length " + length);
    }
    this.out = Objects.requireNonNull(out, "out");
    this.length = length;
    this.remaining = length;
  }

  /** {@return the bytes still to write} */
  public long remaining() {
    return remaining;
  }

  @Override
  public void write(int b) throws IOException {
    ensureOpen();
    if (remaining == 0) {
      throw tooLong(1);
    }
    out.write(b);
    remaining--;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    ensureOpen();
    if (len > remaining) {
      throw tooLong(len);
    }
    out.write(b, off, len);
    remaining -= len;
  }

  @Override
  public void flush() throws IOException {
    ensureOpen();
    out.flush();
  }

  /**
   * Flushes and ends the body.
   *
   * @throws IOException if fewer than the declared bytes were written
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    out.flush();
    if (remaining > 0) {
      throw new IOException(
          "body closed after " + (length - remaining) + " of its declared " + length + " bytes");
    }
  }

  private IOException tooLong(int len) {
    return new IOException(
        "writing "
            + len
            + " bytes would exceed the declared Content-Length "
            + length
            + " ("
            + remaining
            + " left)");
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("body stream closed");
    }
  }
}
