package dev.h2mux.core.hpack;

import com.twitter.hpack.Decoder;
import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Http2Exception;
import java.io.IOException;
import java.util.Arrays;

/**
 * Decodes field blocks with twitter-hpack; one per connection, used only by its reader.
 *
 * <p>Every block is decoded in full even when it is too large or malformed, because the dynamic
 * table must stay in step with the peer's encoder (RFC 9113 §4.3). Problems are reported in the
 * result, not thrown; only a decoding failure, which leaves the table in an unknown state, is
 * thrown as a COMPRESSION_ERROR connection error. {@link FieldBlockCheck} finds the decoding errors
 * twitter-hpack lets through.
 */
public final class HpackDecoder {
  /** The per-field overhead RFC 9113 §6.5.2 counts in a header list's size. */
  static final int FIELD_OVERHEAD = 32;

  private final Decoder decoder;
  private final int maxHeaderListSize;
  private final int headerTableSize;
  private final TableStrings strings = new TableStrings();

  /**
   * The last block decoded, if it left the dynamic table unchanged (indexed fields and literals
   * without indexing only), and its bytes: while no block since has changed the table, the same
   * bytes decode to the same fields, and the frozen result is returned again. A client sends the
   * same request head over and over (a poll, a health check, a load generator); a block that
   * changes the table forgets it.
   */
  private Block repeated;

  private byte[] repeatedBytes;

  /**
   * A decoder for one connection's received field blocks, in the order they arrive.
   *
   * @param maxHeaderListSize our SETTINGS_MAX_HEADER_LIST_SIZE
   * @param headerTableSize our SETTINGS_HEADER_TABLE_SIZE
   */
  public HpackDecoder(int maxHeaderListSize, int headerTableSize) {
    this.decoder = new Decoder(maxHeaderListSize, headerTableSize);
    this.maxHeaderListSize = maxHeaderListSize;
    this.headerTableSize = headerTableSize;
  }

  /**
   * A decoded block: the fields in wire order, or why they can't be used.
   *
   * @param fields the fields, in wire order
   * @param tooLarge true if the list exceeded SETTINGS_MAX_HEADER_LIST_SIZE (the fields are then
   *     incomplete; the table stayed in step)
   * @param malformed why a field breaks RFC 9113 §8.2, or null
   */
  public record Block(HttpFields fields, boolean tooLarge, String malformed) {}

  /**
   * Decodes one complete field block (HEADERS plus its CONTINUATIONs).
   *
   * @param block the block's bytes, all its frames' fragments together
   * @return the fields, or why they can't be used; for a repeat of the last block (see {@link
   *     #repeated}) the very same {@code Block} as before, so that what a caller made from it holds
   * @throws Http2Exception COMPRESSION_ERROR of the connection for a block that breaks RFC 7541
   */
  public Block decode(byte[] block) throws Http2Exception {
    // twitter-hpack accepts some blocks RFC 7541 makes decoding errors, and silently drops a
    // field the block ends inside of: those are caught before it sees the block.
    // (The same array again could have been changed in place: only equal copies count.)
    if (repeated != null && block != repeatedBytes && Arrays.equals(block, repeatedBytes)) {
      return repeated;
    }
    FieldBlockCheck check = FieldBlockCheck.of(block, headerTableSize);
    if (check.problem() != null) {
      throw Http2Exception.connectionError(
          ErrorCode.COMPRESSION_ERROR, "HPACK decoding failed: %s", check.problem());
    }
    Collector collector = new Collector(maxHeaderListSize, strings);
    try {
      decoder.decode(new BlockStreams.In(block), collector);
      boolean truncated = decoder.endHeaderBlock();
      Block decoded =
          new Block(
              collector.fields.freeze(), truncated || collector.tooLarge, collector.malformed);
      // A block that leaves the table as it was decodes the same while the table stays so.
      repeated = check.leavesTable() ? decoded : null;
      repeatedBytes = block;
      return decoded;
    } catch (IOException | RuntimeException e) {
      throw Http2Exception.connectionError(
          ErrorCode.COMPRESSION_ERROR, "HPACK decoding failed: %s", e.getMessage());
    }
  }

  private static final class Collector implements com.twitter.hpack.HeaderListener {
    final HttpFields fields = new HttpFields();
    final int limit;
    final TableStrings strings;
    long size;
    boolean tooLarge;
    String malformed;

    Collector(int limit, TableStrings strings) {
      this.limit = limit;
      this.strings = strings;
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
      fields.add(strings.of(name), strings.of(value));
    }
  }
}
