package dev.h2mux.core.http1;

import dev.h2mux.core.HttpFields;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes HTTP/1.1 request and response heads. It tolerates nothing that could split or smuggle a
 * message: methods and field names must be tokens, targets visible ASCII, and values and reason
 * phrases free of CR, LF, NUL and other control characters (HTAB excepted) and of characters beyond
 * ISO-8859-1; anything else is an {@link IllegalArgumentException} and nothing is written. Each
 * head goes out in one {@code write} call; the caller flushes.
 */
public final class Http1HeadWriter {
  private Http1HeadWriter() {}

  /**
   * Writes {@code HTTP/1.1 <status> <reason>} and the fields.
   *
   * @param out where to write
   * @param status the three-digit status code
   * @param reason the reason phrase, or null for the standard one
   * @param fields the header fields
   * @throws IOException if writing fails
   */
  public static void writeResponseHead(
      OutputStream out, int status, String reason, HttpFields fields) throws IOException {
    out.write(encodeResponseHead(status, reason, fields));
  }

  /**
   * Encodes what {@link #writeResponseHead} writes.
   *
   * @param status the three-digit status code
   * @param reason the reason phrase, or null for the standard one
   * @param fields the header fields
   * @return the head's bytes, ending with the empty line
   * @throws IllegalArgumentException for a status without three digits or a forbidden character
   */
  public static byte[] encodeResponseHead(int status, String reason, HttpFields fields) {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("status must have three digits: " + status);
    }
    String phrase = reason != null ? reason : Http1Reasons.of(status);
    if (!Http1Syntax.isFieldValue(phrase)) {
      throw new IllegalArgumentException("reason phrase has a forbidden character");
    }
    StringBuilder sb = new StringBuilder(128 + fields.size() * 32);
    sb.append("HTTP/1.1 ").append(status).append(' ').append(phrase).append("\r\n");
    appendFields(sb, fields);
    sb.append("\r\n");
    return latin1(sb);
  }

  /**
   * Writes {@code <method> <target> HTTP/1.1} and the fields.
   *
   * @param out where to write
   * @param method the method, a token
   * @param target the request target, visible ASCII
   * @param fields the header fields
   * @throws IOException if writing fails
   */
  public static void writeRequestHead(
      OutputStream out, String method, String target, HttpFields fields) throws IOException {
    if (!Http1Syntax.isToken(method)) {
      throw new IllegalArgumentException("method is not a token: " + method);
    }
    if (target.isEmpty() || !Http1Syntax.isVisibleAscii(target)) {
      throw new IllegalArgumentException("request target must be non-empty visible ASCII");
    }
    StringBuilder sb = new StringBuilder(128 + fields.size() * 32);
    sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    appendFields(sb, fields);
    sb.append("\r\n");
    out.write(latin1(sb));
  }

  /**
   * Encodes field lines (each ending in CRLF, no final empty line), as for a trailer section.
   *
   * @param fields the fields
   * @return their lines' bytes
   */
  public static byte[] encodeFields(HttpFields fields) {
    StringBuilder sb = new StringBuilder(fields.size() * 32);
    appendFields(sb, fields);
    return latin1(sb);
  }

  private static void appendFields(StringBuilder sb, HttpFields fields) {
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.name(i);
      String value = fields.value(i);
      if (!Http1Syntax.isToken(name)) {
        throw new IllegalArgumentException("field name is not a token: " + name);
      }
      if (!Http1Syntax.isFieldValue(value)) {
        throw new IllegalArgumentException("value of field " + name + " has a forbidden character");
      }
      sb.append(name).append(": ").append(value).append("\r\n");
    }
  }

  private static byte[] latin1(StringBuilder sb) {
    byte[] bytes = new byte[sb.length()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) sb.charAt(i); // every char was checked to be at most 0xFF
    }
    return bytes;
  }
}
