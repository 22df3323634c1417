package dev.h2mux.core.hpack;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The streams twitter-hpack reads field blocks from and writes them to. It works a byte at a time,
 * and the JDK's {@code ByteArray*Stream} methods are synchronized: their locking showed in profiles
 * of small requests (docs/BENCHMARKS.md). These are plain, for one thread.
 */
final class BlockStreams {
  private BlockStreams() {}

  /** A growable block being encoded. */
  static final class Out extends OutputStream {
    private byte[] buf;
    private int count;

    Out(int initialSize) {
      buf = new byte[initialSize];
    }

    @Override
    public void write(int b) {
      if (count == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (len > buf.length - count) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + len));
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    void reset() {
      count = 0;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, count);
    }
  }

  /** A received block being decoded. */
  static final class In extends InputStream {
    private final byte[] buf;
    private int pos;

    In(byte[] buf) {
      this.buf = buf;
    }

    @Override
    public int read() {
      return pos < buf.length ? buf[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) return 0;
      if (pos >= buf.length) return -1;
      int n = Math.min(len, buf.length - pos);
      System.arraycopy(buf, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public int available() {
      return buf.length - pos;
    }

    @Override
    public long skip(long n) {
      int k = (int) Math.max(0, Math.min(n, buf.length - pos));
      pos += k;
      return k;
    }
  }
}
