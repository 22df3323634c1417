package dev.h2mux.core.http;

import dev.h2mux.core.HttpFields;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated request head. {@code contentLength} is -1 when absent. {@code authority} is empty
 * when the request carried neither :authority nor Host.
 *
 * @param pseudoHeaderOrder the order the pseudo-header fields arrived in, see {@link
 *     #pseudoHeaderNames()}; 0 when unknown (a head that did not arrive as an HTTP/2 field block)
 */
public record RequestHead(
    String method,
    String scheme,
    String authority,
    String path,
    HttpFields headers,
    long contentLength,
    int pseudoHeaderOrder) {

  /** The pseudo-header names that {@link #pseudoHeaderOrder} codes, from 1. */
  private static final String[] PSEUDO_NAMES = {":method", ":scheme", ":authority", ":path"};

  /** A head whose pseudo-header order is unknown (it was not received as HTTP/2 fields). */
  public RequestHead(
      String method,
      String scheme,
      String authority,
      String path,
      HttpFields headers,
      long contentLength) {
    this(method, scheme, authority, path, headers, contentLength, 0);
  }

  /**
   * Codes the pseudo-header {@code name} as it appears at {@code position} (0..3) of a field block,
   * for {@link #pseudoHeaderOrder}: three bits per position, first position lowest. Kept as an int
   * so a request costs no allocation for it.
   */
  static int orderCode(String name, int position) {
    for (int i = 0; i < PSEUDO_NAMES.length; i++) {
      if (PSEUDO_NAMES[i].equals(name)) return (i + 1) << (3 * position);
    }
    throw new IllegalArgumentException("not a request pseudo-header: " + name);
  }

  /**
   * The pseudo-header fields' names in the order they arrived, such as {@code [":method",
   * ":scheme", ":authority", ":path"]}; empty when that order is unknown.
   */
  public List<String> pseudoHeaderNames() {
    List<String> names = new ArrayList<>(4);
    for (int order = pseudoHeaderOrder; order != 0; order >>>= 3) {
      names.add(PSEUDO_NAMES[(order & 7) - 1]);
    }
    return names;
  }
}
