package dev.h2mux.server.demo;

import dev.h2mux.server.Http2ErrorCode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request's query parameters, and the validation every endpoint applies to its parameters (query
 * and path alike): a value out of range, a malformed number, a parameter given twice or unknown to
 * the endpoint is a {@link BadRequestException} whose message says what is allowed.
 *
 * <p>The query is decoded as browsers encode forms (the WHATWG {@code
 * application/x-www-form-urlencoded} parser): {@code +} is a space, {@code %XX} a byte, a {@code %}
 * not followed by two hex digits stays as it is, and the bytes are read as UTF-8 with U+FFFD for
 * malformed sequences. Nothing is rejected while decoding, so the inspection endpoints can show any
 * query.
 */
final class Params {
  /** How much of a bad value a message quotes. */
  private static final int QUOTE_LIMIT = 64;

  private final String raw;
  private final List<Map.Entry<String, String>> pairs;

  private Params(String raw, List<Map.Entry<String, String>> pairs) {
    this.raw = raw;
    this.pairs = pairs;
  }

  /** Decodes {@code query} (the part after {@code ?}, without it; empty for none). */
  static Params parse(String query) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    for (String part : query.split("&", -1)) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = eq < 0 ? part : part.substring(0, eq);
      String value = eq < 0 ? "" : part.substring(eq + 1);
      pairs.add(Map.entry(formDecode(name), formDecode(value)));
    }
    return new Params(query, List.copyOf(pairs));
  }

  /** The query as it arrived, without the {@code ?}. */
  String raw() {
    return raw;
  }

  /** Every name/value pair, in order, repeats included. */
  List<Map.Entry<String, String>> pairs() {
    return pairs;
  }

  /**
   * Rejects any parameter not named here.
   *
   * @param endpoint the endpoint, for the message, such as {@code /drip}
   */
  Params allowOnly(String endpoint, String... names) throws BadRequestException {
    List<String> allowed = Arrays.asList(names);
    for (Map.Entry<String, String> pair : pairs) {
      if (!allowed.contains(pair.getKey())) {
        throw new BadRequestException(
            endpoint
                + (names.length == 0
                    ? " takes no parameters"
                    : " takes only " + String.join(", ", names))
                + "; got "
                + quote(pair.getKey()));
      }
    }
    return this;
  }

  /** The value of {@code name}, or null if absent. */
  String get(String name) throws BadRequestException {
    String found = null;
    for (Map.Entry<String, String> pair : pairs) {
      if (pair.getKey().equals(name)) {
        if (found != null) {
          throw new BadRequestException(name + " is given more than once");
        }
        found = pair.getValue();
      }
    }
    return found;
  }

  /** True if {@code name} is present. */
  boolean has(String name) throws BadRequestException {
    return get(name) != null;
  }

  /** The integer {@code name} in {@code min..max}, or {@code fallback} if absent. */
  long integer(String name, long min, long max, long fallback) throws BadRequestException {
    String value = get(name);
    return value == null ? fallback : integer(name, value, min, max);
  }

  /** The error code {@code name}, or {@code fallback} if absent; see {@link #errorCode(String)}. */
  Http2ErrorCode errorCode(String name, Http2ErrorCode fallback) throws BadRequestException {
    String value = get(name);
    return value == null ? fallback : errorCode(name, value);
  }

  /**
   * Parses a decimal integer of up to 18 digits in {@code min..max}: no sign, no spaces, no decimal
   * point.
   *
   * @param what the parameter, for the message
   */
  static long integer(String what, String text, long min, long max) throws BadRequestException {
    boolean digits = !text.isEmpty() && text.length() <= 18;
    for (int i = 0; digits && i < text.length(); i++) {
      digits = text.charAt(i) >= '0' && text.charAt(i) <= '9';
    }
    long value = digits ? Long.parseLong(text) : -1;
    if (!digits || value < min || value > max) {
      throw new BadRequestException(
          what + " must be an integer in " + min + ".." + max + ", got " + quote(text));
    }
    return value;
  }

  /**
   * Parses an HTTP/2 error code (RFC 9113 §7): its name in any case ({@code CANCEL}, {@code
   * cancel}), or its number in decimal or {@code 0x} hex ({@code 8}, {@code 0x8}).
   */
  static Http2ErrorCode errorCode(String what, String text) throws BadRequestException {
    String upper = text.toUpperCase(Locale.ROOT);
    int number = -1;
    try {
      number =
          upper.startsWith("0X")
              ? Integer.parseInt(upper.substring(2), 16)
              : Integer.parseInt(upper, 10);
    } catch (NumberFormatException e) {
      // a name, then
    }
    for (Http2ErrorCode code : Http2ErrorCode.values()) {
      if (code.name().equals(upper) || code.code() == number) {
        return code;
      }
    }
    throw new BadRequestException(
        what
            + " must be an HTTP/2 error code, by name (NO_ERROR, CANCEL, ...) or number (0..13),"
            + " got "
            + quote(text));
  }

  /** {@code text} in quotes, shortened and with anything unprintable escaped, for a message. */
  static String quote(String text) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < text.length() && i < QUOTE_LIMIT; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        sb.append(c);
      } else {
        sb.append(String.format("\\u%04x", (int) c));
      }
    }
    if (text.length() > QUOTE_LIMIT) {
      sb.append("...");
    }
    return sb.append('"').toString();
  }

  /**
   * The value of an ASCII hex digit, or -1. ({@link Character#digit} also takes other scripts'
   * digits, which a percent-escape must not contain.)
   */
  static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** The WHATWG form decoding of one name or value. */
  static String formDecode(String s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int hi = i + 2 < s.length() ? hexDigit(s.charAt(i + 1)) : -1;
      int lo = i + 2 < s.length() ? hexDigit(s.charAt(i + 2)) : -1;
      if (c == '%' && hi >= 0 && lo >= 0) {
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c == '+') {
        bytes.write(' ');
      } else if (c < 0x100) {
        bytes.write(c); // target bytes arrive one char per byte (ISO-8859-1)
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(utf8, 0, utf8.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8); // malformed sequences become U+FFFD
  }
}
