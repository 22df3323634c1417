package dev.h2mux.testkit;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameLog;
import dev.h2mux.core.frame.FrameObserver;
import dev.h2mux.core.frame.Http2Exception;
import dev.h2mux.core.hpack.HpackDecoder;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link FrameObserver} of a {@link FramePeer}'s reader and writer: it records every frame both
 * ways as a {@link FrameLog} line, and decodes every field block both ways so that a line can show
 * the fields. Decoding what is received is what keeps the peer's HPACK table in step with the other
 * end's encoder; decoding what is sent mirrors the other end's decoder, so a sent block shows the
 * fields the other end will see.
 */
final class WireTrace implements FrameObserver {
  /** What one received frame was, as {@link FramePeer} hands it out. */
  record Received(Frame frame, String line, HttpFields fields) {}

  private final List<String> lines = new ArrayList<>();
  private final Blocks received = new Blocks();
  private final Blocks sent = new Blocks();
  private Received last;
  private AssertionError failure;

  /**
   * The field blocks of one direction: the one being assembled, and the decoder that reads them
   * (the table size is the default 4,096: neither end advertises another).
   */
  private static final class Blocks {
    final HpackDecoder decoder = new HpackDecoder(1 << 20, 4096);
    ByteArrayOutputStream pending;
    boolean broken;
  }

  @Override
  public void frame(Direction direction, Frame frame) {
    boolean in = direction == Direction.RECEIVED;
    HttpFields fields = fields(in ? received : sent, frame, in);
    String line = FrameLog.describe(direction, frame, fields);
    synchronized (this) {
      lines.add(line);
      if (in) last = new Received(frame, line, fields);
    }
  }

  @Override
  public void rejected(int type, int flags, int streamId, int length, Http2Exception error) {
    String line = FrameLog.rejected(type, flags, streamId, length, error);
    synchronized (this) {
      lines.add(line);
    }
  }

  /** Records a line of the peer's own, for bytes it writes around the frame writer. */
  synchronized void note(String line) {
    lines.add(line);
  }

  /** The frame the reader returned last, with its line; throws what decoding it found wrong. */
  synchronized Received takeLast() {
    if (failure != null) {
      AssertionError e = failure;
      failure = null;
      throw e;
    }
    Received r = last;
    last = null;
    return r;
  }

  /** Every line so far, in the order the peer read and wrote them. */
  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /**
   * Assembles field blocks across CONTINUATION and decodes each when it ends; returns the fields
   * for the frame that ends a block, null for any other frame.
   */
  private HttpFields fields(Blocks blocks, Frame frame, boolean in) {
    byte[] fragment;
    boolean end;
    switch (frame) {
      case Frame.Headers h -> {
        blocks.pending = new ByteArrayOutputStream();
        fragment = h.block();
        end = h.endHeaders();
      }
      case Frame.PushPromise p -> {
        blocks.pending = new ByteArrayOutputStream();
        fragment = p.block();
        end = p.endHeaders();
      }
      case Frame.Continuation c -> {
        if (blocks.pending == null) return null; // a stray CONTINUATION: nothing to decode
        fragment = c.block();
        end = c.endHeaders();
      }
      default -> {
        return null;
      }
    }
    blocks.pending.writeBytes(fragment);
    if (!end) return null;
    byte[] block = blocks.pending.toByteArray();
    blocks.pending = null;
    if (blocks.broken) return null;
    try {
      return blocks.decoder.decode(block).fields();
    } catch (Http2Exception e) {
      // The table is now in an unknown state: show lengths from here on.
      blocks.broken = true;
      if (in) {
        synchronized (this) {
          failure = new AssertionError("the other end sent a block that does not decode", e);
        }
      }
      return null;
    }
  }
}
