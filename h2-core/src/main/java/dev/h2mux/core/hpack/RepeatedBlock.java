package dev.h2mux.core.hpack;

import dev.h2mux.core.HttpFields;

/**
 * The last block an encoder produced, kept if it consists of indexed fields only (RFC 7541 §6.1).
 * Such a block changes neither table, so as long as every block encoded after it is of that kind
 * too, encoding the same fields again gives the same bytes: they are returned without encoding. A
 * server sends the same head over and over once its fields are in the dynamic table (status, type,
 * length, and a Date that changes once a second). Any block that may change the dynamic table (a
 * literal, a size update) forgets it. One per encoder, used only by its thread.
 */
final class RepeatedBlock {
  private String[] namesAndValues;
  private byte[] block;

  /** The bytes of {@code fields} if they are the last block's and it is still valid, else null. */
  byte[] lookup(HttpFields fields) {
    String[] kept = namesAndValues;
    if (kept == null || kept.length != 2 * fields.size()) return null;
    for (int i = 0; i < fields.size(); i++) {
      if (!kept[2 * i].equals(fields.name(i)) || !kept[2 * i + 1].equals(fields.value(i))) {
        return null;
      }
    }
    return block;
  }

  /** {@code block}, just encoded from {@code fields}, is the last block now. */
  void encoded(HttpFields fields, byte[] block) {
    if (!indexedOnly(block)) {
      namesAndValues = null;
      this.block = null;
      return;
    }
    String[] kept = new String[2 * fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      kept[2 * i] = fields.name(i);
      kept[2 * i + 1] = fields.value(i);
    }
    namesAndValues = kept;
    this.block = block;
  }

  /** True if every representation is an indexed field: a 1 bit, then the index (§5.1, §6.1). */
  static boolean indexedOnly(byte[] block) {
    for (int i = 0; i < block.length; i++) {
      if ((block[i] & 0x80) == 0) return false;
      if ((block[i] & 0x7f) == 0x7f) { // the index continues in bytes whose top bit says more
        do {
          i++;
          if (i >= block.length) return false;
        } while ((block[i] & 0x80) != 0);
      }
    }
    return true;
  }
}
