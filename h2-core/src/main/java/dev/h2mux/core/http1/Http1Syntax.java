package dev.h2mux.core.http1;

import dev.h2mux.core.HttpFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Character classes and list parsing from RFC 9110 §5.6, shared by parser and writer, and the
 * persistence rule of RFC 9112 §9.3, shared by the server and the client.
 */
public final class Http1Syntax {
  private static final boolean[] TCHAR = new boolean[128];

  static {
    for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
    for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
    for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
  }

  private Http1Syntax() {}

  /**
   * {@return true if {@code s} is a non-empty token (field names, methods, codings)}
   *
   * @param s the text
   */
  public static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 128 || !TCHAR[c]) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@return true if every character of {@code s} is visible US-ASCII (0x21–0x7E)}
   *
   * @param s the text
   */
  public static boolean isVisibleAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /**
   * True if {@code s} may be a field value or reason phrase: HTAB, SP, visible ASCII and obs-text
   * (0x80–0xFF); no other control characters, no CR, no LF, no NUL.
   *
   * @param s the text
   * @return whether it may be sent as one
   */
  public static boolean isFieldValue(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\t') {
        continue;
      }
      if (c < 0x20 || c == 0x7f || c > 0xff) {
        return false;
      }
    }
    return true;
  }

  /**
   * Strips leading and trailing SP and HTAB.
   *
   * @param s the text
   * @return it without the optional whitespace around it
   */
  public static String trimOws(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) start++;
    while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) end--;
    return s.substring(start, end);
  }

  /**
   * True if {@code host} looks like {@code uri-host [ ":" port ]}: reg-name or IP-literal
   * characters only, so no whitespace, no {@code /}, no {@code @}. May be empty (RFC 9112 §3.2).
   *
   * @param host a Host field's value
   * @return whether it has that shape
   */
  public static boolean isValidHost(String host) {
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "-._~!$&'()*+,;=:[]%".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Splits every value of the field {@code name} on commas and returns the trimmed elements in
   * order, lowercased; empty elements are dropped (RFC 9110 §5.6.1).
   *
   * @param fields the fields
   * @param name the list field's name
   * @return the elements, lowercase
   */
  public static List<String> listElements(HttpFields fields, String name) {
    List<String> out = new ArrayList<>(2);
    for (String value : fields.all(name)) {
      for (String element : value.split(",", -1)) {
        String trimmed = trimOws(element);
        if (!trimmed.isEmpty()) {
          out.add(trimmed.toLowerCase(Locale.ROOT));
        }
      }
    }
    return out;
  }

  /**
   * True if the comma-separated field {@code name} has the element {@code token}, ignoring case.
   *
   * @param fields the fields
   * @param name the list field's name
   * @param token the element looked for
   * @return whether one of its elements is {@code token}
   */
  public static boolean hasElement(HttpFields fields, String name, String token) {
    return listElements(fields, name).contains(token.toLowerCase(Locale.ROOT));
  }

  /**
   * True if the connection persists after the message with these fields, by RFC 9112 §9.3 for a
   * recipient that is not a proxy: never if {@code Connection} has {@code close}; otherwise always
   * for HTTP/1.1, and for HTTP/1.0 only if {@code Connection} has {@code keep-alive}. The same rule
   * for a request the server reads and a response the client reads.
   *
   * @param minorVersion the message's HTTP/1 minor version: 0 or 1
   * @param fields the message's header fields
   * @return true if the connection may carry another message after this one
   */
  public static boolean isPersistent(int minorVersion, HttpFields fields) {
    if (!fields.contains("connection")) return minorVersion >= 1;
    List<String> options = listElements(fields, "connection");
    return !options.contains("close") && (minorVersion >= 1 || options.contains("keep-alive"));
  }
}
