package dev.h2mux.core.hpack;

/**
 * A pass over a received field block, before twitter-hpack decodes it, for the decoding errors of
 * RFC 7541 that the library lets through: the block must end on a representation boundary (§6), a
 * dynamic table size update may only come before the first field (§4.2) and may not exceed the size
 * we allow (§6.3), an index is never 0 (§6.1), integers fit in 31 bits (§5.1), and every
 * Huffman-coded string is well formed (§5.2). It reads each byte once and allocates nothing.
 */
final class FieldBlockCheck {
  private final byte[] block;
  private int pos;

  private String problem;

  /** Whether the block has a representation that changes the dynamic table (§6.2.1, §6.3). */
  private boolean changesTable;

  private FieldBlockCheck(byte[] block) {
    this.block = block;
  }

  /**
   * Returns why {@code block} is not a valid HPACK field block, or null.
   *
   * @param maxTableSize the largest dynamic table size the peer may ask for (our
   *     SETTINGS_HEADER_TABLE_SIZE)
   */
  static String problem(byte[] block, int maxTableSize) {
    return of(block, maxTableSize).problem;
  }

  /** Checks {@code block}: {@link #problem()}, and whether it {@link #leavesTable()}. */
  static FieldBlockCheck of(byte[] block, int maxTableSize) {
    FieldBlockCheck check = new FieldBlockCheck(block);
    check.problem = check.check(maxTableSize);
    return check;
  }

  /** Why the block is not valid, or null. */
  String problem() {
    return problem;
  }

  /**
   * True if the valid block leaves the dynamic table as it found it: only indexed fields and
   * literals without indexing (§6.1, §6.2.2, §6.2.3), no size update.
   */
  boolean leavesTable() {
    return problem == null && !changesTable;
  }

  private String check(int maxTableSize) {
    boolean fieldSeen = false;
    while (pos < block.length) {
      int first = block[pos] & 0xff;
      String problem;
      if ((first & 0x80) != 0) { // indexed field (§6.1)
        long index = integer(7);
        problem = index == 0 ? "field index 0" : integerProblem(index);
        fieldSeen = true;
      } else if ((first & 0x40) != 0) { // literal with incremental indexing (§6.2.1)
        changesTable = true;
        problem = literal(6);
        fieldSeen = true;
      } else if ((first & 0x20) != 0) { // dynamic table size update (§6.3)
        if (fieldSeen) return "dynamic table size update after a field (RFC 7541 §4.2)";
        changesTable = true;
        long size = integer(5);
        problem = integerProblem(size);
        if (problem == null && size > maxTableSize) {
          problem = "dynamic table size update to " + size + " above " + maxTableSize;
        }
      } else { // literal without indexing or never indexed (§6.2.2, §6.2.3)
        problem = literal(4);
        fieldSeen = true;
      }
      if (problem != null) return problem;
    }
    return null;
  }

  /** A literal field whose name index has a {@code prefix}-bit prefix: a new name if it is 0. */
  private String literal(int prefix) {
    long index = integer(prefix);
    String problem = integerProblem(index);
    if (problem == null && index == 0) problem = string();
    return problem == null ? string() : problem;
  }

  /** A string literal (§5.2): its length, then that many bytes, Huffman-coded if flagged. */
  private String string() {
    if (pos >= block.length) return "block ends before a string literal";
    boolean huffman = (block[pos] & 0x80) != 0;
    long length = integer(7);
    String problem = integerProblem(length);
    if (problem != null) return problem;
    if (length > block.length - pos) return "string literal runs past the end of the block";
    int start = pos;
    pos += (int) length;
    if (huffman && !HuffmanCheck.isValid(block, start, (int) length)) {
      return "invalid Huffman code: EOS, or padding not up to 7 one-bits (RFC 7541 §5.2)";
    }
    return null;
  }

  /** Marks integers that could not be read: past the end of the block, or above 2^31-1. */
  private static final long TRUNCATED = -1;

  private static final long TOO_LARGE = -2;

  /** Reads an integer with a {@code prefix}-bit prefix (§5.1), or TRUNCATED or TOO_LARGE. */
  private long integer(int prefix) {
    int mask = (1 << prefix) - 1;
    long value = block[pos++] & mask;
    if (value < mask) return value;
    for (int shift = 0; ; shift += 7) {
      if (pos >= block.length) return TRUNCATED;
      int b = block[pos++] & 0xff;
      value += (long) (b & 0x7f) << shift;
      if (value > Integer.MAX_VALUE || shift > 28) return TOO_LARGE;
      if ((b & 0x80) == 0) return value;
    }
  }

  private static String integerProblem(long value) {
    if (value == TRUNCATED) return "block ends inside an integer";
    if (value == TOO_LARGE) return "integer above 2^31-1";
    return null;
  }
}
