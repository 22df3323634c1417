package dev.h2mux.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A buffered input stream over a connection that can look ahead without consuming.
 *
 * <p>Heads are parsed from it byte by byte; whatever was read past the head stays in the buffer for
 * the body, for the next pipelined request, or for the HTTP/2 connection after a protocol switch.
 * Hand this very stream on, not the one it wraps. Not thread-safe.
 */
public final class PeekableInputStream extends InputStream {
  /** The default buffer size, 16 KiB. */
  public static final int DEFAULT_BUFFER_SIZE = 16 * 1024;

  private final InputStream in;
  private final byte[] buffer;
  private int pos;
  private int limit;
  private boolean eof;

  /**
   * Wraps {@code in} with a buffer of {@link #DEFAULT_BUFFER_SIZE} bytes.
   *
   * @param in the stream to read
   */
  public PeekableInputStream(InputStream in) {
    this(in, DEFAULT_BUFFER_SIZE);
  }

  /**
   * Wraps {@code in} with a buffer of {@code bufferSize} bytes.
   *
   * @param in the stream to read
   * @param bufferSize the most bytes buffered, and so the most {@link #peek} sees ahead
   */
  public PeekableInputStream(InputStream in, int bufferSize) {
    if (bufferSize < 64) {
      throw new IllegalArgumentException("bufferSize must be at least 64, got " + bufferSize);
    }
    this.in = Objects.requireNonNull(in, "in");
    this.buffer = new byte[bufferSize];
  }

  /** {@return the number of bytes buffered and not yet consumed} */
  public int buffered() {
    return limit - pos;
  }

  /**
   * Blocks until at least one byte is buffered.
   *
   * @return false if the stream ended first
   * @throws IOException if the read fails, or times out
   */
  public boolean awaitData() throws IOException {
    return pos < limit || fill();
  }

  /**
   * Returns the byte {@code offset} positions ahead without consuming it, reading more from the
   * underlying stream as needed (at most the buffer size ahead).
   *
   * @param offset how far ahead, from 0 (the next byte) to the buffer size - 1
   * @return the byte as 0..255, or -1 if the stream ends before it
   * @throws IOException if the read fails, or times out
   */
  public int peek(int offset) throws IOException {
    if (offset < 0 || offset >= buffer.length) {
      throw new IllegalArgumentException("offset out of range: " + offset);
    }
    while (limit - pos <= offset) {
      if (!fill()) {
        return -1;
      }
    }
    return buffer[pos + offset] & 0xff;
  }

  /**
   * Reads more bytes from the underlying stream into the buffer, blocking until some arrive.
   *
   * @return false at the end of the stream
   */
  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    if (pos == limit) {
      pos = 0;
      limit = 0;
    } else if (limit == buffer.length) {
      // A full buffer is never filled again: read() consumes first, and peek() bounds its offset
      // by the buffer size, so here pos > 0.
      System.arraycopy(buffer, pos, buffer, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    int n = in.read(buffer, limit, buffer.length - limit);
    if (n < 0) {
      eof = true;
      return false;
    }
    limit += n;
    return true;
  }

  @Override
  public int read() throws IOException {
    if (pos == limit && !fill()) {
      return -1;
    }
    return buffer[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (pos == limit) {
      if (eof) {
        return -1;
      }
      if (len >= buffer.length) {
        int n = in.read(b, off, len);
        if (n < 0) {
          eof = true;
        }
        return n;
      }
      if (!fill()) {
        return -1;
      }
    }
    int n = Math.min(len, limit - pos);
    System.arraycopy(buffer, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    if (n <= 0) {
      return 0;
    }
    if (pos == limit && !fill()) {
      return 0;
    }
    int skipped = (int) Math.min(n, limit - pos);
    pos += skipped;
    return skipped;
  }

  @Override
  public int available() throws IOException {
    return limit - pos;
  }

  /** Closes the underlying stream. */
  @Override
  public void close() throws IOException {
    in.close();
  }
}
