package dev.h2mux.core.hpack;

/** Checks on raw field names that must happen before names are turned into strings. */
final class FieldRules {
  private FieldRules() {}

  /**
   * Returns why {@code name} is malformed in HTTP/2 (RFC 9113 §8.2.1), or null. Uppercase is
   * checked here, on the bytes, because names are stored lowercase afterwards.
   */
  static String checkName(byte[] name) {
    if (name.length == 0) {
      return "empty field name";
    }
    int start = name[0] == ':' ? 1 : 0;
    if (start == 1 && name.length == 1) {
      return "empty pseudo-header name";
    }
    for (int i = start; i < name.length; i++) {
      int c = name[i] & 0xff;
      if (c >= 'A' && c <= 'Z') {
        return "uppercase field name";
      }
      if (!isTokenChar(c)) {
        return "invalid character in field name";
      }
    }
    return null;
  }

  private static boolean isTokenChar(int c) {
    if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') return true;
    return switch (c) {
      case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
      default -> false;
    };
  }
}
