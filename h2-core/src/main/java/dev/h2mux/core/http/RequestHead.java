package dev.h2mux.core.http;

import dev.h2mux.core.HttpFields;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated request head.
 *
 * @param method the method
 * @param scheme the scheme
 * @param authority :authority, or Host; empty when the request carried neither
 * @param path the path and query
 * @param headers the regular fields, in order
 * @param contentLength the content-length, or -1 when absent
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

  /**
   * The codes of {@link #pseudoHeaderOrder}: three bits per field, the first field lowest, 0 after
   * the last. An int, so a request costs no allocation for it.
   */
  static final int METHOD = 1;

  static final int SCHEME = 2;
  static final int AUTHORITY = 3;
  static final int PATH = 4;

  /** The names of the codes, from 1. */
  private static final String[] PSEUDO_NAMES = {":method", ":scheme", ":authority", ":path"};

  /**
   * A head whose pseudo-header order is unknown (it was not received as HTTP/2 fields).
   *
   * @param method the method
   * @param scheme the scheme
   * @param authority :authority, or Host; empty for neither
   * @param path the path and query
   * @param headers the regular fields, in order
   * @param contentLength the content-length, or -1 when absent
   */
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
   * {@return the pseudo-header fields' names in the order they arrived} Such as {@code [":method",
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
