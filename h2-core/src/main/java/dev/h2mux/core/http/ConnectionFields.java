package dev.h2mux.core.http;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.http1.Http1Syntax;
import java.util.List;

/**
 * The connection-specific header fields, which HTTP/2 does not carry (RFC 9113 §8.2.2): {@code
 * connection}, {@code keep-alive}, {@code proxy-connection}, {@code transfer-encoding} and {@code
 * upgrade}, every field that {@code connection} names (RFC 9110 §7.6.1), and {@code te} with any
 * value but {@code trailers}. The receiving side rejects them ({@link Http2Messages}); a sender
 * that turns an HTTP/1.1 message into HTTP/2 drops them ({@link #copyForHttp2}).
 */
public final class ConnectionFields {
  private ConnectionFields() {}

  /**
   * {@return true for the five fields RFC 9113 §8.2.2 names}
   *
   * @param name a field name, lowercase
   */
  public static boolean isConnectionSpecific(String name) {
    return switch (name) {
      case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" -> true;
      default -> false;
    };
  }

  /**
   * {@return true if a received {@code te} value is allowed in HTTP/2: exactly {@code trailers}}
   *
   * @param value the field's value
   */
  public static boolean isAllowedTe(String value) {
    return value.equals("trailers");
  }

  /**
   * Adds to {@code to} the fields of {@code from} that HTTP/2 may carry: without the connection
   * specific ones and those that {@code connection} names, and {@code te} only as {@code trailers}
   * (sent when the HTTP/1.1 value lists it). {@code host} is kept: the caller decides whether it
   * becomes {@code :authority}.
   *
   * @param from HTTP/1.1 fields, or fields an application gave
   * @param to where the fields HTTP/2 may carry are added
   */
  public static void copyForHttp2(HttpFields from, HttpFields to) {
    // Most messages have none of these fields: they are copied whole, without a field-by-field add.
    if (!hasFieldToDrop(from)) {
      to.addAll(from);
      return;
    }
    // Only a message with a Connection field pays for parsing it.
    List<String> named =
        from.contains("connection") ? Http1Syntax.listElements(from, "connection") : List.of();
    for (int i = 0; i < from.size(); i++) {
      String name = from.name(i);
      if (isConnectionSpecific(name) || named.contains(name)) continue;
      if (name.equals("te")) {
        if (listsTrailers(from.value(i))) to.add("te", "trailers");
        continue;
      }
      to.add(name, from.value(i));
    }
  }

  /** True if {@code fields} has a connection-specific field or {@code te}, which need a look. */
  private static boolean hasFieldToDrop(HttpFields fields) {
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.name(i);
      if (isConnectionSpecific(name) || name.equals("te")) return true;
    }
    return false;
  }

  private static boolean listsTrailers(String value) {
    for (String element : value.split(",", -1)) {
      String coding = Http1Syntax.trimOws(element);
      int parameters = coding.indexOf(';');
      if (parameters >= 0) coding = Http1Syntax.trimOws(coding.substring(0, parameters));
      if (coding.equalsIgnoreCase("trailers")) return true;
    }
    return false;
  }
}
