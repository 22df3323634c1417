package dev.h2mux.core.hpack;

/**
 * Checks that a Huffman-coded string literal is well formed (RFC 7541 §5.2): it never contains the
 * EOS symbol, and it ends with at most 7 bits of padding, all ones. twitter-hpack decodes strings
 * that break these rules; they are decoding errors (COMPRESSION_ERROR).
 *
 * <p>The code of RFC 7541 Appendix B is canonical: codes of equal length are consecutive in symbol
 * order and each length continues where the shorter ones end, so the table of code lengths alone
 * defines it. From it we build the code tree once, then a table that moves from one inner node of
 * the tree to the next four bits at a time: a string is checked with two lookups per byte.
 */
final class HuffmanCheck {
  private HuffmanCheck() {}

  private static final int EOS = 256;

  /** Code length in bits of each symbol 0..256 (RFC 7541 Appendix B). */
  private static final byte[] CODE_LENGTHS = {
    13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, // 0-15
    28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28, // 16-31
    6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, // ' '-'/'
    5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10, // '0'-'?'
    13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, // '@'-'O'
    7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6, // 'P'-'_'
    15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, // '`'-'o'
    6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, // 'p'-127
    20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, // 128-143
    24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, // 144-159
    22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, // 160-175
    21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, // 176-191
    26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, // 192-207
    19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, // 208-223
    20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, // 224-239
    26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, // 240-255
    30 // EOS
  };

  /** Marks a transition that decodes EOS or leaves the code: the string is invalid. */
  private static final short FAIL = -1;

  /**
   * {@code NEXT[node * 16 + nibble]}: the inner node reached from {@code node} after four more
   * bits, symbols decoded on the way being dropped (back to the root after each); or FAIL.
   */
  private static final short[] NEXT;

  /** Whether a string may end at an inner node: on a path of at most 7 one-bits from the root. */
  private static final boolean[] MAY_END;

  static {
    // The tree: inner nodes numbered from 0 (the root); a child >= 0 is an inner node, a child
    // of -2 - s is the leaf of symbol s, and 0 below the root means no child yet.
    int[][] children = new int[256][2];
    int[] depth = new int[256];
    boolean[] allOnes = new boolean[256];
    allOnes[0] = true;
    int inner = 1;
    Integer[] order = new Integer[CODE_LENGTHS.length];
    for (int s = 0; s < order.length; s++) order[s] = s;
    java.util.Arrays.sort(
        order,
        (a, b) -> CODE_LENGTHS[a] != CODE_LENGTHS[b] ? CODE_LENGTHS[a] - CODE_LENGTHS[b] : a - b);
    long code = 0;
    int length = CODE_LENGTHS[order[0]];
    for (int symbol : order) {
      code <<= CODE_LENGTHS[symbol] - length;
      length = CODE_LENGTHS[symbol];
      int node = 0;
      for (int bit = length - 1; bit > 0; bit--) {
        int b = (int) (code >>> bit) & 1;
        if (children[node][b] == 0) {
          children[node][b] = inner;
          depth[inner] = depth[node] + 1;
          allOnes[inner] = allOnes[node] && b == 1;
          inner++;
        }
        node = children[node][b];
      }
      children[node][(int) code & 1] = -2 - symbol;
      code++;
    }
    NEXT = new short[inner * 16];
    MAY_END = new boolean[inner];
    for (int node = 0; node < inner; node++) {
      MAY_END[node] = allOnes[node] && depth[node] <= 7;
      for (int nibble = 0; nibble < 16; nibble++) {
        int at = node;
        for (int bit = 3; bit >= 0 && at != FAIL; bit--) {
          int child = children[at][(nibble >>> bit) & 1];
          if (child > 0) at = child;
          else if (child == 0 || child == -2 - EOS) at = FAIL;
          else at = 0; // a symbol: the next bits start a new code
        }
        NEXT[node * 16 + nibble] = (short) at;
      }
    }
  }

  /** True if the {@code length} bytes at {@code offset} are a valid Huffman-coded string. */
  static boolean isValid(byte[] bytes, int offset, int length) {
    int node = 0;
    for (int i = offset, end = offset + length; i < end; i++) {
      int b = bytes[i] & 0xff;
      node = NEXT[node * 16 + (b >>> 4)];
      if (node == FAIL) return false;
      node = NEXT[node * 16 + (b & 0x0f)];
      if (node == FAIL) return false;
    }
    return MAY_END[node];
  }
}
