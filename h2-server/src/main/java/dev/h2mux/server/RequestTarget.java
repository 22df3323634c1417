package dev.h2mux.server;

import dev.h2mux.core.http1.Http1Exception;
import dev.h2mux.core.http1.Http1RequestHead;
import dev.h2mux.core.http1.Http1Syntax;
import java.util.Locale;
import java.util.Objects;

/**
 * An HTTP/1.x request target as path and authority (RFC 9112 §3.2): origin-form with the Host
 * field, absolute-form with its own authority, or asterisk-form for {@code OPTIONS *}. CONNECT's
 * authority-form is refused (501): the server does not tunnel.
 *
 * @param path the path and query; {@code *} for asterisk-form
 * @param authority the authority: the absolute-form's, or else the Host field (empty without one)
 */
record RequestTarget(String path, String authority) {
  /**
   * The target of {@code head}.
   *
   * @throws Http1Exception 400 for a target of no known form or an invalid authority, 501 for
   *     CONNECT
   */
  static RequestTarget parse(Http1RequestHead head) throws Http1Exception {
    String target = head.target();
    String host = Objects.requireNonNullElse(head.headers().get("host"), "");
    if (head.method().equals("CONNECT")) {
      throw new Http1Exception(501, "CONNECT is not supported");
    }
    if (target.equals("*")) {
      if (!head.method().equals("OPTIONS")) {
        throw new Http1Exception(400, "asterisk-form is only for OPTIONS");
      }
      return new RequestTarget("*", host);
    }
    if (target.startsWith("/")) {
      return new RequestTarget(target, host);
    }
    String lower = target.toLowerCase(Locale.ROOT);
    int authorityStart = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
    if (authorityStart < 0) {
      throw new Http1Exception(400, "invalid request target");
    }
    int end = authorityStart;
    while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
      end++;
    }
    String authority = target.substring(authorityStart, end);
    if (authority.isEmpty() || !Http1Syntax.isValidHost(authority)) {
      throw new Http1Exception(400, "invalid authority in request target");
    }
    String path = target.substring(end);
    return new RequestTarget(
        path.isEmpty() || path.charAt(0) == '?' ? "/" + path : path, authority);
  }
}
