package dev.h2mux.server.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Writes one JSON document (RFC 8259), indented two spaces, into memory. Containers opened with
 * {@code inline} stay on one line, as the name/value pairs of a header list read best.
 *
 * <p>Strings are escaped so that the document is valid UTF-8 and safe in any JSON parser and in
 * JavaScript: {@code "} and {@code \}, every control character (U+0000–U+001F as {@code \n}, {@code
 * \t} … or {@code \}{@code u00XX}, and DEL), U+2028 and U+2029 (legal in JSON, but line breaks in
 * older JavaScript), and lone surrogates, which UTF-8 cannot carry: they are written as {@code
 * \}{@code uD800}-style escapes, so nothing is lost. Everything else, including valid surrogate
 * pairs, is written as UTF-8. Misuse (a value where a name is due, unbalanced containers) is an
 * {@link IllegalStateException}.
 */
final class JsonWriter {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final StringBuilder out = new StringBuilder(512);

  /** One open container: whether it is an object, inline, and whether it has members yet. */
  private record Level(boolean object, boolean inline, boolean[] hasMembers) {}

  private final ArrayDeque<Level> open = new ArrayDeque<>();
  private boolean nameWritten;
  private boolean done;

  /** Opens an object, as the document or as the next value. */
  JsonWriter beginObject() {
    return begin(true, false);
  }

  /** Opens an object that is written on one line. */
  JsonWriter beginInlineObject() {
    return begin(true, true);
  }

  /** Opens an array. */
  JsonWriter beginArray() {
    return begin(false, false);
  }

  /** Opens an array that is written on one line. */
  JsonWriter beginInlineArray() {
    return begin(false, true);
  }

  /** Closes the innermost object. */
  JsonWriter endObject() {
    return end(true);
  }

  /** Closes the innermost array. */
  JsonWriter endArray() {
    return end(false);
  }

  /** Writes a member's name; its value must follow. */
  JsonWriter name(String name) {
    Level level = open.peek();
    if (level == null || !level.object() || nameWritten) {
      throw new IllegalStateException("a name belongs inside an object, before a value");
    }
    separate(level);
    string(name);
    out.append(": ");
    nameWritten = true;
    return this;
  }

  /** Writes a string, or null. */
  JsonWriter value(String value) {
    beforeValue();
    if (value == null) {
      out.append("null");
    } else {
      string(value);
    }
    return afterScalar();
  }

  /** Writes an integer. */
  JsonWriter value(long value) {
    beforeValue();
    out.append(value);
    return afterScalar();
  }

  /** Writes true or false. */
  JsonWriter value(boolean value) {
    beforeValue();
    out.append(value);
    return afterScalar();
  }

  /** Writes a finite number. */
  JsonWriter value(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("JSON has no " + value);
    }
    beforeValue();
    out.append(value);
    return afterScalar();
  }

  /** Shorthand for {@code name(name).value(value)}. */
  JsonWriter member(String name, String value) {
    return name(name).value(value);
  }

  /** Shorthand for {@code name(name).value(value)}. */
  JsonWriter member(String name, long value) {
    return name(name).value(value);
  }

  /** Shorthand for {@code name(name).value(value)}. */
  JsonWriter member(String name, boolean value) {
    return name(name).value(value);
  }

  /** The finished document, with a final newline. */
  String text() {
    if (!done) {
      throw new IllegalStateException("the document is not complete");
    }
    return out + "\n";
  }

  /** The finished document as UTF-8. */
  byte[] utf8() {
    return text().getBytes(StandardCharsets.UTF_8);
  }

  /** A value that is the whole document completes it. */
  private JsonWriter afterScalar() {
    if (open.isEmpty()) {
      done = true;
    }
    return this;
  }

  private JsonWriter begin(boolean object, boolean inline) {
    beforeValue();
    out.append(object ? '{' : '[');
    Level parent = open.peek();
    open.push(new Level(object, inline || (parent != null && parent.inline()), new boolean[1]));
    return this;
  }

  private JsonWriter end(boolean object) {
    Level level = open.peek();
    if (level == null || level.object() != object || nameWritten) {
      throw new IllegalStateException("nothing of that kind to close here");
    }
    open.pop();
    if (level.hasMembers()[0] && !level.inline()) {
      newline();
    }
    out.append(object ? '}' : ']');
    if (open.isEmpty()) {
      done = true;
    }
    return this;
  }

  private void beforeValue() {
    if (done) {
      throw new IllegalStateException("the document is complete");
    }
    Level level = open.peek();
    if (level == null) {
      return; // the document's top value
    }
    if (level.object()) {
      if (!nameWritten) {
        throw new IllegalStateException("a value inside an object needs a name first");
      }
      nameWritten = false;
    } else {
      separate(level);
    }
  }

  /** The comma and line break (or space) before a member. */
  private void separate(Level level) {
    if (level.hasMembers()[0]) {
      out.append(',');
      if (level.inline()) {
        out.append(' ');
      }
    }
    level.hasMembers()[0] = true;
    if (!level.inline()) {
      newline();
    }
  }

  private void newline() {
    out.append('\n');
    for (int i = 0; i < open.size(); i++) {
      out.append("  ");
    }
  }

  private void string(String s) {
    out.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
            unicodeEscape(c);
          } else if (Character.isHighSurrogate(c)
              && i + 1 < n
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i)); // a pair: one code point, 4 bytes of UTF-8
          } else if (Character.isSurrogate(c)) {
            unicodeEscape(c); // alone it has no UTF-8 form
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private void unicodeEscape(char c) {
    out.append("\\u")
        .append(HEX[c >> 12 & 0xf])
        .append(HEX[c >> 8 & 0xf])
        .append(HEX[c >> 4 & 0xf])
        .append(HEX[c & 0xf]);
  }
}
