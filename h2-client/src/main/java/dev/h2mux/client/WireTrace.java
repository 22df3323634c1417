package dev.h2mux.client;

import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameLog;
import dev.h2mux.core.frame.FrameObserver;
import dev.h2mux.core.frame.FrameReader;
import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.frame.Http2Exception;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The HTTP/2 frames of one direction of a connection, for a {@link TraceListener}: installed
 * between the socket and the engine only when tracing is on, it passes the bytes through unchanged,
 * cuts them into frames by their 9-byte headers, and has the core's {@link FrameReader} parse each
 * one, with a {@link FrameObserver} that hands the frame on as a {@link TraceEvent.Frame} (or a
 * refused one as an {@link TraceEvent.Info} in {@link FrameLog#rejected} form).
 *
 * <p>It sits on the byte streams because the engine's own reader and writer take no observer from
 * the client: the frames are parsed a second time, by the same code. A frame longer than the most
 * the reader here accepts is refused from its header alone (as the engine refuses it), so the
 * buffer stays bounded.
 */
final class WireTrace implements FrameObserver {
  private final TraceListener listener;
  private final String connection;
  private final TraceListener.Direction direction;
  private final FrameReader reader;
  private final FrameBytes bytes = new FrameBytes();
  private final int maxFrameSize;

  /** Bytes to pass before the first frame (the client's preface), or to skip in a refused frame. */
  private long skip;

  /** The current frame: its header, then its payload, {@code fill} bytes of it so far. */
  private byte[] frame = new byte[FrameType.HEADER_LENGTH + FrameType.DEFAULT_MAX_FRAME_SIZE];

  private int fill;
  private int need = FrameType.HEADER_LENGTH;

  /** Set when the listener failed: the rest of this direction goes untraced. */
  private boolean stopped;

  private WireTrace(
      TraceListener listener,
      String connection,
      TraceListener.Direction direction,
      int skip,
      int maxFrameSize) {
    this.listener = listener;
    this.connection = connection;
    this.direction = direction;
    this.skip = skip;
    this.maxFrameSize = maxFrameSize;
    this.reader = new FrameReader(bytes, maxFrameSize);
    reader.observer(this);
    byte[][] data = {new byte[0]};
    // DATA payloads go into one reused array: only their length and padding are traced.
    reader.dataBuffers(length -> data[0].length >= length ? data[0] : (data[0] = new byte[length]));
  }

  /**
   * What the client writes; the first 24 bytes, the connection preface, are passed untraced. The
   * engine writes no frame larger than the server allows, at most 2^24-1 bytes (RFC 9113 §4.2).
   */
  static OutputStream outbound(OutputStream out, TraceListener listener, String connection) {
    WireTrace trace =
        new WireTrace(
            listener,
            connection,
            TraceListener.Direction.OUT,
            FrameReader.PREFACE.length,
            FrameType.MAX_MAX_FRAME_SIZE);
    return new FilterOutputStream(out) {
      // Traced before written, so that a frame is told before the server can answer it.
      @Override
      public void write(int b) throws IOException {
        trace.accept(new byte[] {(byte) b}, 0, 1);
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        trace.accept(b, off, len);
        out.write(b, off, len);
      }
    };
  }

  /**
   * What the client reads.
   *
   * @param maxFrameSize the SETTINGS_MAX_FRAME_SIZE the client advertises: the engine refuses
   *     longer frames, and so does the trace
   */
  static InputStream inbound(
      InputStream in, TraceListener listener, String connection, int maxFrameSize) {
    WireTrace trace =
        new WireTrace(listener, connection, TraceListener.Direction.IN, 0, maxFrameSize);
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = in.read();
        if (b >= 0) trace.accept(new byte[] {(byte) b}, 0, 1);
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) trace.accept(b, off, n);
        return n;
      }
    };
  }

  /** Takes the next bytes of the direction; traces each frame they complete. */
  void accept(byte[] b, int off, int len) {
    while (len > 0 && !stopped) {
      if (skip > 0) {
        int n = (int) Math.min(skip, len);
        skip -= n;
        off += n;
        len -= n;
        continue;
      }
      int n = Math.min(need - fill, len);
      System.arraycopy(b, off, frame, fill, n);
      fill += n;
      off += n;
      len -= n;
      if (fill < need) return;
      if (need == FrameType.HEADER_LENGTH) {
        int length = (frame[0] & 0xff) << 16 | (frame[1] & 0xff) << 8 | (frame[2] & 0xff);
        if (length > maxFrameSize) {
          parse(); // the reader refuses it from the header alone
          skip = length;
          continue;
        }
        need = FrameType.HEADER_LENGTH + length;
        if (frame.length < need) frame = Arrays.copyOf(frame, need);
        if (length > 0) continue;
      }
      parse();
    }
  }

  /** Has the reader parse the frame in {@code frame}; the observer methods below see it. */
  private void parse() {
    bytes.reset(frame, fill);
    fill = 0;
    need = FrameType.HEADER_LENGTH;
    try {
      reader.readFrame();
    } catch (Http2Exception refused) {
      // told to rejected(), below
    } catch (IOException | RuntimeException e) {
      stopped = true; // a listener that failed: stop tracing, never the connection
    }
  }

  @Override
  public void frame(Direction wire, Frame frame) {
    listener.trace(new TraceEvent.Frame(connection, direction, frame));
  }

  @Override
  public void rejected(int type, int flags, int streamId, int length, Http2Exception error) {
    String line = FrameLog.rejected(type, flags, streamId, length, error);
    if (direction == TraceListener.Direction.OUT) {
      line = FrameObserver.Direction.SENT.arrow() + line.substring(2); // the line says <<
    }
    listener.trace(new TraceEvent.Info(connection, line));
  }

  /** The bytes of one frame, for the reader; refilled per frame. */
  private static final class FrameBytes extends InputStream {
    private byte[] buffer = new byte[0];
    private int position;
    private int limit;

    void reset(byte[] buffer, int limit) {
      this.buffer = buffer;
      this.position = 0;
      this.limit = limit;
    }

    @Override
    public int read() {
      return position < limit ? buffer[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= limit) return -1;
      int n = Math.min(len, limit - position);
      System.arraycopy(buffer, position, b, off, n);
      position += n;
      return n;
    }
  }
}
