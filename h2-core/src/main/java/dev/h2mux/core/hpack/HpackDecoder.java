package dev.h2mux.core.hpack;

import com.twitter.hpack.Decoder;
import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Http2Exception;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;

/**
 * Decodes field blocks with twitter-hpack; one per connection, used only by its reader.
 *
 * <p>Every block is decoded in full even when it is too large or malformed, because the dynamic
 * table must stay in step with the peer's encoder (RFC 9113 §4.3). Problems are reported in the
 * result, not thrown; only a decoding failure, which leaves the table in an unknown state, is
 * thrown as a COMPRESSION_ERROR connection error.
 */
public final class HpackDecoder {
  /** The per-field overhead RFC 9113 §6.5.2 counts in a header list's size. */
  static final int FIELD_OVERHEAD = 32;

  private final Decoder decoder;
  private final int maxHeaderListSize;

  /**
   * @param maxHeaderListSize our SETTINGS_MAX_HEADER_LIST_SIZE
   * @param headerTableSize our SETTINGS_HEADER_TABLE_SIZE
   */
  public HpackDecoder(int maxHeaderListSize, int headerTableSize) {
    this.decoder = new Decoder(maxHeaderListSize, headerTableSize);
    this.maxHeaderListSize = maxHeaderListSize;
  }

  /** A decoded block: the fields in wire order, or why they can't be used. */
  public record Block(HttpFields fields, boolean tooLarge, String malformed) {}

  /** Decodes one complete field block (HEADERS plus its CONTINUATIONs). */
  public Block decode(byte[] block) throws Http2Exception {
    Collector collector = new Collector(maxHeaderListSize);
    try {
      decoder.decode(new BlockStreams.In(block), collector);
      if (endsInsideRepresentation()) {
        decoder.endHeaderBlock();
        throw new IOException("field block ends inside a field representation");
      }
      boolean truncated = decoder.endHeaderBlock();
      return new Block(
          collector.fields.freeze(), truncated || collector.tooLarge, collector.malformed);
    } catch (IOException | RuntimeException e) {
      throw Http2Exception.connectionError(
          ErrorCode.COMPRESSION_ERROR, "HPACK decoding failed: %s", e.getMessage());
    }
  }

  /**
   * twitter-hpack decodes incrementally: a block that stops in the middle of a representation
   * leaves the decoder waiting for more bytes, and {@code endHeaderBlock()} silently drops the
   * partial field. RFC 9113 §4.3 makes that a COMPRESSION_ERROR, so we look at the decoder's state
   * (the library is pinned at 1.0.2 and its automatic module opens its packages). If the field is
   * ever not there, the check is skipped rather than failing every connection.
   */
  private static final VarHandle STATE = findStateHandle();

  private static VarHandle findStateHandle() {
    try {
      Class<?> stateType = Class.forName("com.twitter.hpack.Decoder$State");
      return MethodHandles.privateLookupIn(Decoder.class, MethodHandles.lookup())
          .findVarHandle(Decoder.class, "state", stateType);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LoggerFactory.getLogger(HpackDecoder.class)
          .warn(
              "cannot see twitter-hpack's decoder state; truncated field blocks go undetected", e);
      return null;
    }
  }

  private boolean endsInsideRepresentation() {
    return STATE != null
        && !((Enum<?>) STATE.get(decoder)).name().equals("READ_HEADER_REPRESENTATION");
  }

  private static final class Collector implements com.twitter.hpack.HeaderListener {
    final HttpFields fields = new HttpFields();
    final int limit;
    long size;
    boolean tooLarge;
    String malformed;

    Collector(int limit) {
      this.limit = limit;
    }

    @Override
    public void addHeader(byte[] name, byte[] value, boolean sensitive) {
      size += name.length + value.length + FIELD_OVERHEAD;
      if (size > limit) {
        tooLarge = true;
        return;
      }
      if (malformed == null) {
        malformed = FieldRules.checkName(name);
      }
      fields.add(
          new String(name, StandardCharsets.ISO_8859_1),
          new String(value, StandardCharsets.ISO_8859_1));
    }
  }
}
