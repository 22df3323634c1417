package dev.h2mux.core.http1;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads exactly {@code length} body bytes from a connection, then reports end of stream. If the
 * connection ends first, reads throw {@link EOFException}. Closing this stream does not close the
 * connection; unread bytes stay unread.
 */
public final class ContentLengthInputStream extends InputStream {
  private final InputStream in;
  private final long length;
  private long remaining;
  private boolean closed;

  /**
   * Reads a body of exactly {@code length} bytes.
   *
   * @param in the connection's buffered input, positioned at the body
   * @param length the declared Content-Length
   */
  public ContentLengthInputStream(InputStream in, long length) {
    if (length < 0) {
      throw new IllegalArgumentException("negative length " + length);
    }
    this.in = Objects.requireNonNull(in, "in");
    this.length = length;
    this.remaining = length;
  }

  /** {@return the bytes of the body not yet read} */
  public long remaining() {
    return remaining;
  }

  @Override
  public int read() throws IOException {
    ensureOpen();
    if (remaining == 0) {
      return -1;
    }
    int b = in.read();
    if (b < 0) {
      throw truncated();
    }
    remaining--;
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    ensureOpen();
    if (remaining == 0) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    int n = in.read(b, off, (int) Math.min(len, remaining));
    if (n < 0) {
      throw truncated();
    }
    remaining -= n;
    return n;
  }

  @Override
  public int available() throws IOException {
    return closed ? 0 : (int) Math.min(in.available(), remaining);
  }

  /** Marks this stream closed; the connection stays open. */
  @Override
  public void close() {
    closed = true;
  }

  private EOFException truncated() {
    return new EOFException(
        "connection ended after " + (length - remaining) + " of " + length + " body bytes");
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("body stream closed");
    }
  }
}
