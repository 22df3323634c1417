package dev.h2mux.client;

import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.io.PeekableInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The input of a prior-knowledge connection: before the engine sees the first byte, it checks that
 * the server's answer to our preface begins with a SETTINGS frame, as RFC 9113 §3.4 requires of a
 * server that speaks HTTP/2. Anything else (an HTTP/1.x status line, a bare HTML page, an end or a
 * reset before any byte) means the origin does not speak h2c: it remembers that and reports the end
 * of the stream, so the engine ends the connection quietly and the client falls back to HTTP/1.1 on
 * a fresh one.
 */
final class PrefaceSniffer extends InputStream {
  private final PeekableInputStream in;
  private volatile boolean checked;
  private volatile boolean noSettings;

  PrefaceSniffer(InputStream in) {
    this.in = new PeekableInputStream(in);
  }

  /**
   * True if the server's first bytes were a SETTINGS frame. False if they were anything else, and
   * also if the connection ended before the engine read any: then no byte came.
   */
  boolean sawSettings() {
    return checked && !noSettings;
  }

  private boolean check() {
    if (!checked) {
      boolean settings;
      try {
        settings = startsWithSettings();
      } catch (IOException e) {
        settings = false; // a reset before a frame: typically an HTTP/1.1 server's close
      }
      noSettings = !settings;
      checked = true;
    }
    return noSettings;
  }

  /**
   * True if the first 9 bytes are a SETTINGS frame header (RFC 9113 §4.1, §6.5): type 4, no ACK,
   * stream 0, a length of whole settings. Checks type first: "HTTP" fails on its fourth byte.
   */
  private boolean startsWithSettings() throws IOException {
    if (in.peek(3) != FrameType.SETTINGS || (in.peek(4) & FrameType.FLAG_ACK) != 0) return false;
    if ((in.peek(5) & 0x7f) != 0 || in.peek(6) != 0 || in.peek(7) != 0 || in.peek(8) != 0) {
      return false;
    }
    int length = in.peek(0) << 16 | in.peek(1) << 8 | in.peek(2);
    return length % 6 == 0;
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
    return checked && !noSettings ? in.available() : 0;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
