package dev.h2mux.core.hpack;

import java.nio.charset.StandardCharsets;

/**
 * The strings of the name and value arrays twitter-hpack hands over. A field taken from the static
 * or dynamic table comes as the table entry's own array every time it is referenced, so its string
 * is made once per connection instead of once per request: the strings of a request's fields were
 * most of what a request that is reset at once allocates. A small direct-mapped cache keyed by
 * array identity; only short arrays are kept, so stale entries hold little. One per decoder.
 */
final class TableStrings {
  private static final int SLOTS = 64;

  /**
   * Longer arrays (a cookie, a long path) are rarely repeated from the table and cost more to hold.
   */
  private static final int MAX_CACHED_LENGTH = 48;

  private byte[][] arrays;
  private String[] strings;

  String of(byte[] bytes) {
    if (bytes.length > MAX_CACHED_LENGTH) return new String(bytes, StandardCharsets.ISO_8859_1);
    if (arrays == null) {
      arrays = new byte[SLOTS][];
      strings = new String[SLOTS];
    }
    int slot = System.identityHashCode(bytes) & (SLOTS - 1);
    if (arrays[slot] == bytes) return strings[slot];
    String s = new String(bytes, StandardCharsets.ISO_8859_1);
    arrays[slot] = bytes;
    strings[slot] = s;
    return s;
  }
}
