package dev.h2mux.core.engine;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The writer's buffer in front of the socket: it starts small and grows with the batches to at most
 * {@code maxSize}, so thousands of quiet connections don't each hold a full-size buffer. It is not
 * given back when a busy connection goes quiet: releasing it needed a timed wait per batch, which
 * cost more server CPU per request than the memory was worth (docs/BENCHMARKS.md, "Why the code is
 * shaped this way"); a quiet connection closes after the idle timeout anyway.
 */
final class WriteBuffer extends OutputStream {
  private static final byte[] EMPTY = new byte[0];
  private static final int INITIAL_SIZE = 512;

  private final OutputStream out;
  private final int maxSize;
  private byte[] buf = EMPTY;
  private int count;

  WriteBuffer(OutputStream out, int maxSize) {
    this.out = out;
    this.maxSize = maxSize;
  }

  @Override
  public void write(int b) throws IOException {
    if (count == buf.length) room(1);
    buf[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (len >= maxSize) {
      // larger than any buffer: send what is gathered, then the bytes themselves
      drain();
      out.write(b, off, len);
      return;
    }
    if (len > buf.length - count) room(len);
    System.arraycopy(b, off, buf, count, len);
    count += len;
  }

  /** Makes room for {@code len} more bytes: grows up to the maximum, else drains. */
  private void room(int len) throws IOException {
    if (count + len > maxSize) {
      drain();
      if (len <= buf.length) return;
    }
    int size = Math.max(INITIAL_SIZE, buf.length);
    while (size < count + len) size *= 2;
    buf = java.util.Arrays.copyOf(buf, Math.min(size, maxSize));
  }

  private void drain() throws IOException {
    if (count > 0) {
      out.write(buf, 0, count);
      count = 0;
    }
  }

  @Override
  public void flush() throws IOException {
    drain();
    out.flush();
  }
}
