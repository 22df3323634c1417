package dev.h2mux.client.cli;

import dev.h2mux.client.ClientRequest;
import dev.h2mux.client.ClientResponse;
import dev.h2mux.client.Protocol;
import dev.h2mux.core.HttpFields;
import dev.h2mux.core.http.ConnectionFields;
import java.net.URI;
import java.util.Locale;

/**
 * A message head as curl shows it, in HTTP/1.1 form whatever the protocol: the start line, one
 * {@code name: value} line per field, an empty line, each ending in CRLF. It is what {@code -i},
 * {@code -I} and {@code -D} write, what {@code -v} prefixes with {@code > } and {@code < }, and
 * what {@code size_header} and {@code size_request} count.
 */
final class HeadText {
  private HeadText() {}

  /**
   * The response head. The status line is {@code HTTP/1.1 200 OK} with the server's reason phrase,
   * or {@code HTTP/2 200 } for HTTP/2, which has none: the space before it stays, as RFC 9112 §4
   * wants and as curl writes it.
   */
  static String response(ClientResponse response) {
    return response(response.protocol(), response.status(), response.reason(), response.headers());
  }

  /** A response head from its parts; {@code reason} empty for HTTP/2. */
  static String response(Protocol protocol, int status, String reason, HttpFields headers) {
    StringBuilder sb = new StringBuilder(256);
    sb.append(protocol).append(' ').append(status).append(' ').append(reason).append("\r\n");
    fields(sb, headers);
    return sb.append("\r\n").toString();
  }

  /** Trailer fields as {@code name: value} lines, without a final empty line. */
  static String trailers(HttpFields trailers) {
    StringBuilder sb = new StringBuilder();
    fields(sb, trailers);
    return sb.toString();
  }

  /**
   * The request head as the client sends it over {@code protocol}: {@code host} first (HTTP/2
   * carries it as {@code :authority}), then the request's fields (for HTTP/2 without the
   * connection-specific ones, RFC 9113 §8.2.2), then the {@code content-length} the client adds for
   * a body of known length.
   *
   * @param absoluteForm whether the target is the whole URI, as sent to an HTTP proxy
   */
  static String request(ClientRequest request, Protocol protocol, boolean absoluteForm) {
    StringBuilder sb = new StringBuilder(256);
    URI uri = request.uri();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) path += "?" + uri.getRawQuery();
    if (absoluteForm) path = uri.getScheme() + "://" + authority(uri) + path;
    sb.append(request.method()).append(' ').append(path).append(' ').append(protocol);
    sb.append("\r\n");
    HttpFields headers = request.headers();
    String host = headers.get("host");
    sb.append("host: ").append(host != null ? host : authority(uri)).append("\r\n");
    HttpFields rest = new HttpFields();
    if (protocol == Protocol.HTTP_2) ConnectionFields.copyForHttp2(headers, rest);
    else headers.forEach(rest::add);
    rest.remove("host");
    fields(sb, rest);
    if (request.hasBody() && request.contentLength() >= 0 && !headers.contains("content-length")) {
      sb.append("content-length: ").append(request.contentLength()).append("\r\n");
    }
    return sb.append("\r\n").toString();
  }

  /** Host and port as the client sends them: the port left out if it is the scheme's default. */
  static String authority(URI uri) {
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    boolean tls = uri.getScheme().equalsIgnoreCase("https");
    int port = uri.getPort();
    return port < 0 || port == (tls ? 443 : 80) ? host : host + ":" + port;
  }

  private static void fields(StringBuilder sb, HttpFields fields) {
    for (int i = 0; i < fields.size(); i++) {
      sb.append(fields.name(i)).append(": ").append(fields.value(i)).append("\r\n");
    }
  }
}
