package dev.h2mux.core.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/** Read timeouts: retryable between frames, fatal inside one. */
class FrameReaderTimeoutTest {
  /** Serves {@code bytes}, then times out once, then serves {@code after}. */
  private static final class StallingInput extends InputStream {
    private final byte[] bytes;
    private final byte[] after;
    private int pos;
    private boolean stalled;

    StallingInput(byte[] bytes, byte[] after) {
      this.bytes = bytes;
      this.after = after;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (pos < bytes.length) {
        int n = Math.min(len, bytes.length - pos);
        System.arraycopy(bytes, pos, b, off, n);
        pos += n;
        return n;
      }
      if (!stalled) {
        stalled = true;
        throw new SocketTimeoutException("read timed out");
      }
      int index = pos - bytes.length;
      if (index >= after.length) return -1;
      int n = Math.min(len, after.length - index);
      System.arraycopy(after, index, b, off, n);
      pos += n;
      return n;
    }
  }

  private static byte[] ping(long payload) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new FrameWriter(out).ping(false, payload);
    return out.toByteArray();
  }

  @Test
  void aTimeoutBetweenFramesCanBeWaitedOut() throws IOException {
    FrameReader reader = new FrameReader(new StallingInput(ping(1), ping(2)), 16_384);
    assertThat(reader.readFrame()).isEqualTo(new Frame.Ping(false, 1));
    assertThatThrownBy(reader::readFrame).isInstanceOf(SocketTimeoutException.class);
    assertThat(reader.readFrame()).isEqualTo(new Frame.Ping(false, 2));
  }

  @Test
  void aTimeoutInsideAFrameEndsTheConnection() throws IOException {
    byte[] frame = ping(3);
    byte[] head = java.util.Arrays.copyOf(frame, 12); // header plus 3 payload bytes
    byte[] rest = java.util.Arrays.copyOfRange(frame, 12, frame.length);
    FrameReader reader = new FrameReader(new StallingInput(head, rest), 16_384);
    assertThatThrownBy(reader::readFrame)
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(SocketTimeoutException.class)
        .hasMessageContaining("stalled inside a frame");
  }
}
