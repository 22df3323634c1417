package dev.h2mux.server.demo;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.http1.Http1Reasons;
import java.io.IOException;
import java.util.Locale;

/**
 * {@code /status/{code}}, {@code /redirect/{n}} and {@code /redirect-to?url=}: responses whose
 * status is the point.
 */
final class StatusAndRedirects {
  private StatusAndRedirects() {}

  /**
   * {@code /status/{code}}: answers with that status. A 1xx goes out as an interim response, then a
   * final 200 follows (RFC 9110 §15.2). Statuses whose RFC 9110 definition requires a field get it
   * (Allow, Location, WWW-Authenticate …); 204, 205 and 304 have no content.
   */
  static void status(DemoExchange x) throws IOException, BadRequestException {
    x.params.allowOnly("/status/{code}");
    int code = (int) Params.integer("/status/{code}", x.tail, 100, 599);
    if (code == 101) {
      throw new BadRequestException(
          "/status/101 is not possible: 101 Switching Protocols only answers an Upgrade request,"
              + " and HTTP/2 has none (RFC 9113 §8.6); try /status/100, /status/102..199");
    }
    if (code < 200) {
      HttpFields interim = new HttpFields();
      if (code == 103) {
        interim.add("link", "</get>; rel=preload; as=fetch; crossorigin");
      }
      x.response.sendInformational(code, interim);
      x.text(
          200,
          x.request.protocol().equals("HTTP/1.0")
              ? code
                  + reason(code)
                  + " was not sent: HTTP/1.0 clients get no 1xx (RFC 9110 §15.2)\n"
              : code + reason(code) + " was sent as an interim response; this is the final one\n");
      return;
    }
    switch (code) {
      case 301, 302, 303, 307, 308 -> x.response.headers().set("location", "/get");
      case 401 -> x.response.headers().set("www-authenticate", "Basic realm=\"h2mux demo\"");
      case 405 -> x.response.headers().set("allow", "GET, HEAD");
      case 407 -> x.response.headers().set("proxy-authenticate", "Basic realm=\"h2mux demo\"");
      case 416 -> x.response.headers().set("content-range", "bytes */0");
      case 426 -> x.response.headers().set("upgrade", "HTTP/2"); // dropped by HTTP/2 itself
      case 503 -> x.response.headers().set("retry-after", "1");
      default -> {}
    }
    if (code == 204 || code == 205 || code == 304) {
      // 204 and 304 have no content, 205 must not (RFC 9110 §15.3.5, §15.3.6, §15.4.5)
      x.response.status(code);
      if (code == 205) x.response.headers().set("content-length", "0");
      return;
    }
    x.text(code, code + reason(code) + "\n");
  }

  /** The reason phrase with a space before it, or empty for a code without one. */
  static String reason(int code) {
    String phrase = Http1Reasons.of(code);
    if (phrase.isEmpty()) {
      phrase =
          switch (code) {
            case 102 -> "Processing";
            case 103 -> "Early Hints";
            case 203 -> "Non-Authoritative Information";
            case 205 -> "Reset Content";
            case 300 -> "Multiple Choices";
            case 402 -> "Payment Required";
            case 406 -> "Not Acceptable";
            case 407 -> "Proxy Authentication Required";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 412 -> "Precondition Failed";
            case 416 -> "Range Not Satisfiable";
            case 418 -> "I'm a teapot";
            case 422 -> "Unprocessable Content";
            case 425 -> "Too Early";
            case 428 -> "Precondition Required";
            case 451 -> "Unavailable For Legal Reasons";
            default -> "";
          };
    }
    return phrase.isEmpty() ? "" : " " + phrase;
  }

  /**
   * {@code /redirect/{n}}: a chain of {@code n} redirects that ends at {@code /get}. {@code
   * ?status=} picks the redirect status (302 by default).
   */
  static void redirect(DemoExchange x) throws IOException, BadRequestException {
    x.params.allowOnly("/redirect/{n}", "status");
    int n = (int) Params.integer("/redirect/{n}", x.tail, 1, Limits.MAX_REDIRECTS);
    int status = redirectStatus(x.params);
    String next = n == 1 ? "/get" : "/redirect/" + (n - 1);
    if (x.params.has("status")) {
      next += "?status=" + status;
    }
    x.response.headers().set("location", next);
    x.empty(status);
  }

  /**
   * {@code /redirect-to?url=U}: one redirect to {@code U}, which must be on this origin: a path
   * ({@code /get}, not {@code //other}) or an absolute URL with this request's scheme and
   * authority. Anything else would make the demo an open redirector.
   */
  static void redirectTo(DemoExchange x) throws IOException, BadRequestException {
    x.params.allowOnly("/redirect-to", "url", "status");
    String url = x.params.get("url");
    if (url == null) {
      throw new BadRequestException("/redirect-to needs ?url=/some/path (on this server)");
    }
    int status = redirectStatus(x.params);
    x.response.headers().set("location", sameOrigin(x, url));
    x.empty(status);
  }

  /** Checks that {@code url} stays on the request's origin; returns it. */
  static String sameOrigin(DemoExchange x, String url) throws BadRequestException {
    if (url.length() > Limits.MAX_URL_LENGTH) {
      throw new BadRequestException("url is longer than " + Limits.MAX_URL_LENGTH + " characters");
    }
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '\\') {
        throw new BadRequestException(
            "url must be visible ASCII without spaces or backslashes (percent-encode the rest),"
                + " got "
                + Params.quote(url));
      }
    }
    String origin = x.request.scheme() + "://" + x.request.authority();
    String lower = url.toLowerCase(Locale.ROOT);
    boolean path = url.startsWith("/") && !url.startsWith("//");
    boolean absolute =
        !x.request.authority().isEmpty()
            && lower.startsWith(origin.toLowerCase(Locale.ROOT))
            && (url.length() == origin.length() || "/?#".indexOf(url.charAt(origin.length())) >= 0);
    if (!path && !absolute) {
      throw new BadRequestException(
          "url must be on this server: a path such as /get, or "
              + origin
              + "/...; other origins are refused (no open redirects), got "
              + Params.quote(url));
    }
    return url;
  }

  private static int redirectStatus(Params params) throws BadRequestException {
    int status = (int) params.integer("status", 300, 399, 302);
    if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
      throw new BadRequestException(
          "status must be a redirect: 301, 302, 303, 307 or 308, got " + status);
    }
    return status;
  }
}
