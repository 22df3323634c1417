package dev.h2mux.core.http;

import dev.h2mux.core.HttpFields;

/**
 * The HTTP message rules of RFC 9113 §8: which pseudo-header fields a request or response carries,
 * in which order, and which fields HTTP/2 forbids. Field names were already checked for case and
 * characters while decoding.
 */
public final class Http2Messages {
  private Http2Messages() {}

  /**
   * Splits a received request block into a validated head.
   *
   * @param block the decoded fields of the request's HEADERS
   * @return the head
   * @throws MalformedMessageException if the block breaks RFC 9113 §8.3.1 or §8.2
   */
  public static RequestHead request(HttpFields block) throws MalformedMessageException {
    String method = null, scheme = null, authority = null, path = null;
    HttpFields headers = new HttpFields();
    boolean regularSeen = false;
    int pseudoOrder = 0;
    for (int i = 0; i < block.size(); i++) {
      String name = block.name(i);
      String value = block.value(i);
      if (name.startsWith(":")) {
        if (regularSeen) throw malformed("pseudo-header %s after a regular field", name);
        int code =
            switch (name) {
              case ":method" -> {
                method = once(method, value, name);
                yield RequestHead.METHOD;
              }
              case ":scheme" -> {
                scheme = once(scheme, value, name);
                yield RequestHead.SCHEME;
              }
              case ":authority" -> {
                authority = once(authority, value, name);
                yield RequestHead.AUTHORITY;
              }
              case ":path" -> {
                path = once(path, value, name);
                yield RequestHead.PATH;
              }
              default -> throw malformed("pseudo-header %s not allowed in a request", name);
            };
        // at most four, each once (checked above): they sit at positions 0..3
        pseudoOrder |= code << (3 * i);
        continue;
      }
      regularSeen = true;
      checkRegularField(name, value);
      headers.add(name, value);
    }
    if (method == null) throw malformed(":method missing");
    if (method.equals("CONNECT")) {
      if (scheme != null || path != null) throw malformed("CONNECT with :scheme or :path");
      if (authority == null) throw malformed("CONNECT without :authority");
    } else {
      if (scheme == null) throw malformed(":scheme missing");
      if (path == null || path.isEmpty()) throw malformed(":path missing or empty");
      boolean httpScheme = scheme.equals("http") || scheme.equals("https");
      boolean asterisk = path.equals("*");
      if (asterisk ? !method.equals("OPTIONS") : httpScheme && path.charAt(0) != '/') {
        throw malformed(":path %s is not origin-form", path);
      }
    }
    checkToken(method, ":method");
    String host = headers.get("host");
    if (authority == null) {
      authority = host == null ? "" : host;
    }
    long contentLength = contentLength(headers);
    return new RequestHead(
        method, scheme, authority, path, headers.freeze(), contentLength, pseudoOrder);
  }

  /**
   * Splits a received response block into a validated head.
   *
   * @param block the decoded fields of the response's HEADERS
   * @return the head
   * @throws MalformedMessageException if the block breaks RFC 9113 §8.3.2 or §8.2
   */
  public static ResponseHead response(HttpFields block) throws MalformedMessageException {
    String status = null;
    HttpFields headers = new HttpFields();
    boolean regularSeen = false;
    for (int i = 0; i < block.size(); i++) {
      String name = block.name(i);
      String value = block.value(i);
      if (name.startsWith(":")) {
        if (regularSeen) throw malformed("pseudo-header %s after a regular field", name);
        if (!name.equals(":status"))
          throw malformed("pseudo-header %s not allowed in a response", name);
        status = once(status, value, name);
        continue;
      }
      regularSeen = true;
      checkRegularField(name, value);
      headers.add(name, value);
    }
    if (status == null) throw malformed(":status missing");
    if (status.length() != 3
        || !Character.isDigit(status.charAt(0))
        || !Character.isDigit(status.charAt(1))
        || !Character.isDigit(status.charAt(2))) {
      throw malformed(":status %s is not three digits", status);
    }
    int code = Integer.parseInt(status);
    if (code < 100) throw malformed(":status %s below 100", status);
    return new ResponseHead(code, headers.freeze(), contentLength(headers));
  }

  /**
   * Checks a received trailer block: no pseudo-headers, and the rules for regular fields.
   *
   * @param block the decoded fields of the trailing HEADERS
   * @return the trailers
   * @throws MalformedMessageException if the block breaks RFC 9113 §8.1 or §8.2
   */
  public static HttpFields trailers(HttpFields block) throws MalformedMessageException {
    for (int i = 0; i < block.size(); i++) {
      String name = block.name(i);
      if (name.startsWith(":")) throw malformed("pseudo-header %s in trailers", name);
      checkRegularField(name, block.value(i));
    }
    return block;
  }

  private static void checkRegularField(String name, String value)
      throws MalformedMessageException {
    if (ConnectionFields.isConnectionSpecific(name)) {
      throw malformed("connection-specific field %s", name);
    }
    if (name.equals("te") && !ConnectionFields.isAllowedTe(value)) {
      throw malformed("te other than trailers");
    }
    checkValue(name, value);
  }

  /** RFC 9113 §8.2.1: no NUL, CR or LF anywhere, no whitespace at either end. */
  private static void checkValue(String name, String value) throws MalformedMessageException {
    int n = value.length();
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c == 0 || c == '\r' || c == '\n') {
        throw malformed("invalid character in value of %s", name);
      }
    }
    if (n > 0 && (isWhitespace(value.charAt(0)) || isWhitespace(value.charAt(n - 1)))) {
      throw malformed("value of %s starts or ends with whitespace", name);
    }
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t';
  }

  private static void checkToken(String value, String what) throws MalformedMessageException {
    if (value.isEmpty()) throw malformed("empty %s", what);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
        throw malformed("invalid %s", what);
      }
    }
  }

  private static String once(String previous, String value, String name)
      throws MalformedMessageException {
    if (previous != null) throw malformed("%s repeated", name);
    return value;
  }

  /** The content-length, or -1; repeated equal values are one value (RFC 9110 §8.6). */
  static long contentLength(HttpFields headers) throws MalformedMessageException {
    long length = -1;
    for (String value : headers.all("content-length")) {
      for (String part : value.split(",", -1)) {
        long parsed = parseLength(part.trim());
        if (length >= 0 && parsed != length) throw malformed("conflicting content-length");
        length = parsed;
      }
    }
    return length;
  }

  private static long parseLength(String s) throws MalformedMessageException {
    if (s.isEmpty() || s.length() > 18) throw malformed("invalid content-length");
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') throw malformed("invalid content-length");
    }
    return Long.parseLong(s);
  }

  private static MalformedMessageException malformed(String format, Object... args) {
    return new MalformedMessageException(args.length == 0 ? format : String.format(format, args));
  }
}
