package dev.h2mux.core.hpack;

import com.twitter.hpack.Encoder;
import dev.h2mux.core.HttpFields;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Encodes field blocks with twitter-hpack; one per connection, used only by its writer, so that
 * blocks are encoded in the order they go on the wire.
 */
public final class HpackEncoder {
  /** The dynamic table we use at most, whatever larger size the peer allows. */
  public static final int MAX_TABLE_SIZE = 4096;

  private final Encoder encoder = new Encoder(MAX_TABLE_SIZE);
  private final BlockStreams.Out out = new BlockStreams.Out(256);
  private int tableSize = MAX_TABLE_SIZE;
  private int pendingTableSize = -1;
  private final RepeatedBlock repeated = new RepeatedBlock();

  /** The smallest size seen since the last block; signalled first if below the final one. */
  private int pendingMinTableSize = -1;

  /** An encoder whose dynamic table is at most {@link #MAX_TABLE_SIZE}. */
  public HpackEncoder() {}

  /**
   * Takes the peer's SETTINGS_HEADER_TABLE_SIZE; the size update is emitted at the start of the
   * next block (RFC 7541 §4.2). If the size changes more than once between two blocks, the smallest
   * size is signalled before the final one, as §4.2 requires.
   *
   * @param size the size the peer's decoder allows
   */
  public void peerHeaderTableSize(int size) {
    int effective = Math.min(size, MAX_TABLE_SIZE);
    if (pendingTableSize < 0) {
      if (effective == tableSize) return;
      pendingMinTableSize = effective;
    } else {
      pendingMinTableSize = Math.min(pendingMinTableSize, effective);
    }
    pendingTableSize = effective;
  }

  /**
   * Encodes {@code fields} (pseudo-fields first, as given) into one block.
   *
   * @param fields the fields, in the order they go out
   * @return the block's bytes, which the caller must not change: a block repeated unchanged is
   *     returned again ({@link RepeatedBlock})
   */
  public byte[] encode(HttpFields fields) {
    if (pendingTableSize < 0) {
      byte[] again = repeated.lookup(fields);
      if (again != null) return again;
    }
    out.reset();
    try {
      if (pendingTableSize >= 0) {
        if (pendingMinTableSize < pendingTableSize) {
          encoder.setMaxHeaderTableSize(out, pendingMinTableSize);
        }
        encoder.setMaxHeaderTableSize(out, pendingTableSize);
        tableSize = pendingTableSize;
        pendingTableSize = -1;
      }
      for (int i = 0; i < fields.size(); i++) {
        String name = fields.name(i);
        encoder.encodeHeader(out, bytes(name), bytes(fields.value(i)), isSensitive(name));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an in-memory stream does not fail
    }
    byte[] block = out.toByteArray();
    repeated.encoded(fields, block);
    return block;
  }

  /**
   * The bytes of a string, from a fixed table for the field names and status codes nearly every
   * block carries (the encoder only reads the arrays, so they can be shared).
   */
  private static byte[] bytes(String s) {
    byte[] known = COMMON.get(s);
    return known != null ? known : s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static final Map<String, byte[]> COMMON =
      common(
          ":authority",
          ":method",
          ":path",
          ":scheme",
          ":status",
          "GET",
          "POST",
          "http",
          "https",
          "/",
          "200",
          "204",
          "206",
          "304",
          "400",
          "404",
          "500",
          "accept",
          "accept-encoding",
          "accept-language",
          "accept-ranges",
          "age",
          "allow",
          "cache-control",
          "content-encoding",
          "content-length",
          "content-type",
          "cookie",
          "date",
          "etag",
          "expires",
          "host",
          "last-modified",
          "location",
          "server",
          "set-cookie",
          "user-agent",
          "vary",
          "te",
          "trailers");

  private static Map<String, byte[]> common(String... strings) {
    Map<String, byte[]> map = new HashMap<>();
    for (String s : strings) map.put(s, s.getBytes(StandardCharsets.ISO_8859_1));
    return Map.copyOf(map);
  }

  /** Credentials are never indexed, so they can't be probed through the table (RFC 7541 §7.1). */
  private static boolean isSensitive(String name) {
    return name.equals("authorization")
        || name.equals("cookie")
        || name.equals("set-cookie")
        || name.equals("proxy-authorization");
  }
}
