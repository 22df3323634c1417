package dev.h2mux.core.frame;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Serializes frames onto a byte stream. Never pads. Splits a field block longer than the peer's
 * SETTINGS_MAX_FRAME_SIZE into HEADERS (or PUSH_PROMISE) plus CONTINUATION frames, and DATA into
 * frames the peer accepts.
 *
 * <p>Not thread-safe: the connection's single writer owns it, which is also what keeps HPACK
 * encoding order equal to wire order. It does not flush; the owner flushes when it runs out of
 * frames to write, so frames coalesce into few socket writes.
 */
public final class FrameWriter {
  private final OutputStream out;
  private final byte[] header = new byte[FrameType.HEADER_LENGTH];
  private final byte[] scratch = new byte[8];
  private int maxFrameSize = FrameType.DEFAULT_MAX_FRAME_SIZE;

  public FrameWriter(OutputStream out) {
    this.out = out;
  }

  /** Sets the peer's SETTINGS_MAX_FRAME_SIZE, the longest payload we may send. */
  public void maxFrameSize(int maxFrameSize) {
    this.maxFrameSize = maxFrameSize;
  }

  public int maxFrameSize() {
    return maxFrameSize;
  }

  /** Writes the client connection preface (§3.4), without its SETTINGS frame. */
  public void writePreface() throws IOException {
    out.write(FrameReader.PREFACE);
  }

  /** Writes any frame value; field blocks are split as needed. */
  public void write(Frame frame) throws IOException {
    switch (frame) {
      case Frame.Data d -> data(d.streamId(), d.data(), d.offset(), d.length(), d.endStream());
      case Frame.Headers h -> headers(h.streamId(), h.block(), h.endStream(), h.priority());
      case Frame.PriorityFrame p -> priority(p.streamId(), p.priority());
      case Frame.RstStream r -> rstStream(r.streamId(), r.errorCode());
      case Frame.Settings s -> settings(s);
      case Frame.PushPromise p -> pushPromise(p.streamId(), p.promisedStreamId(), p.block());
      case Frame.Ping p -> ping(p.ack(), p.payload());
      case Frame.GoAway g -> goAway(g.lastStreamId(), g.errorCode(), g.debugData());
      case Frame.WindowUpdate w -> windowUpdate(w.streamId(), w.increment());
      case Frame.Continuation c -> {
        writeHeader(
            c.block().length,
            FrameType.CONTINUATION,
            c.endHeaders() ? FrameType.FLAG_END_HEADERS : 0,
            c.streamId());
        out.write(c.block());
      }
      case Frame.Unknown u -> {
        writeHeader(u.length(), u.type(), u.flags(), u.streamId());
        out.write(new byte[u.length()]);
      }
    }
  }

  /**
   * Writes {@code length} bytes as DATA, in frames no longer than the peer allows. An empty write
   * with {@code endStream} sends one empty DATA frame.
   */
  public void data(int streamId, byte[] data, int offset, int length, boolean endStream)
      throws IOException {
    do {
      int chunk = Math.min(length, maxFrameSize);
      length -= chunk;
      boolean last = length == 0;
      writeHeader(
          chunk, FrameType.DATA, last && endStream ? FrameType.FLAG_END_STREAM : 0, streamId);
      out.write(data, offset, chunk);
      offset += chunk;
    } while (length > 0);
  }

  /** Writes a field block as HEADERS plus as many CONTINUATION frames as it takes. */
  public void headers(int streamId, byte[] block, boolean endStream, Frame.Priority priority)
      throws IOException {
    int prefix = priority == null ? 0 : 5;
    int first = Math.min(block.length, maxFrameSize - prefix);
    int flags =
        (endStream ? FrameType.FLAG_END_STREAM : 0)
            | (first == block.length ? FrameType.FLAG_END_HEADERS : 0)
            | (priority == null ? 0 : FrameType.FLAG_PRIORITY);
    writeHeader(first + prefix, FrameType.HEADERS, flags, streamId);
    if (priority != null) {
      writeInt(priority.dependency() | (priority.exclusive() ? 0x80000000 : 0));
      out.write(priority.weight() - 1);
    }
    out.write(block, 0, first);
    continuations(streamId, block, first);
  }

  /** Writes PUSH_PROMISE plus CONTINUATION frames as needed. */
  public void pushPromise(int streamId, int promisedStreamId, byte[] block) throws IOException {
    int first = Math.min(block.length, maxFrameSize - 4);
    writeHeader(
        first + 4,
        FrameType.PUSH_PROMISE,
        first == block.length ? FrameType.FLAG_END_HEADERS : 0,
        streamId);
    writeInt(promisedStreamId);
    out.write(block, 0, first);
    continuations(streamId, block, first);
  }

  private void continuations(int streamId, byte[] block, int offset) throws IOException {
    while (offset < block.length) {
      int chunk = Math.min(block.length - offset, maxFrameSize);
      boolean last = offset + chunk == block.length;
      writeHeader(chunk, FrameType.CONTINUATION, last ? FrameType.FLAG_END_HEADERS : 0, streamId);
      out.write(block, offset, chunk);
      offset += chunk;
    }
  }

  public void priority(int streamId, Frame.Priority priority) throws IOException {
    writeHeader(5, FrameType.PRIORITY, 0, streamId);
    writeInt(priority.dependency() | (priority.exclusive() ? 0x80000000 : 0));
    out.write(priority.weight() - 1);
  }

  public void rstStream(int streamId, int errorCode) throws IOException {
    writeHeader(4, FrameType.RST_STREAM, 0, streamId);
    writeInt(errorCode);
  }

  public void settings(Frame.Settings settings) throws IOException {
    if (settings.ack()) {
      writeHeader(0, FrameType.SETTINGS, FrameType.FLAG_ACK, 0);
      return;
    }
    byte[] payload = settings.settings().toPayload();
    writeHeader(payload.length, FrameType.SETTINGS, 0, 0);
    out.write(payload);
  }

  public void ping(boolean ack, long payload) throws IOException {
    writeHeader(8, FrameType.PING, ack ? FrameType.FLAG_ACK : 0, 0);
    writeInt((int) (payload >>> 32));
    writeInt((int) payload);
  }

  public void goAway(int lastStreamId, int errorCode, byte[] debugData) throws IOException {
    writeHeader(8 + debugData.length, FrameType.GOAWAY, 0, 0);
    writeInt(lastStreamId);
    writeInt(errorCode);
    out.write(debugData);
  }

  public void windowUpdate(int streamId, int increment) throws IOException {
    writeHeader(4, FrameType.WINDOW_UPDATE, 0, streamId);
    writeInt(increment);
  }

  /** Writes a raw frame header; for tests that must send what a well-behaved peer never would. */
  public void writeHeader(int length, int type, int flags, int streamId) throws IOException {
    header[0] = (byte) (length >>> 16);
    header[1] = (byte) (length >>> 8);
    header[2] = (byte) length;
    header[3] = (byte) type;
    header[4] = (byte) flags;
    header[5] = (byte) (streamId >>> 24);
    header[6] = (byte) (streamId >>> 16);
    header[7] = (byte) (streamId >>> 8);
    header[8] = (byte) streamId;
    out.write(header);
  }

  private void writeInt(int value) throws IOException {
    scratch[0] = (byte) (value >>> 24);
    scratch[1] = (byte) (value >>> 16);
    scratch[2] = (byte) (value >>> 8);
    scratch[3] = (byte) value;
    out.write(scratch, 0, 4);
  }

  /** Flushes the underlying stream. */
  public void flush() throws IOException {
    out.flush();
  }
}
