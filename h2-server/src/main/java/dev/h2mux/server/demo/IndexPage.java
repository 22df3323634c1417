package dev.h2mux.server.demo;

import dev.h2mux.server.demo.Routes.Route;
import dev.h2mux.server.demo.Routes.Section;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * The {@code /} page: every endpoint of the {@link Routes} table with its parameters, what HTTP/1.1
 * does with it, and the {@link Limits}. HTML (no external assets) for a client that prefers {@code
 * text/html}, such as a browser; plain text otherwise, such as for curl.
 */
final class IndexPage {
  /** Replaced per request by the request's own origin, so the examples can be pasted. */
  private static final String ORIGIN = "{origin}";

  private final String text;
  private final String html;

  IndexPage(List<Route> routes) {
    this.text = renderText(routes);
    this.html = renderHtml(routes);
  }

  /** Answers the page in the form the client prefers, with {@code vary: accept}. */
  void serve(DemoExchange x) throws IOException, BadRequestException {
    x.params.allowOnly("/");
    String authority = x.request.authority().isEmpty() ? "127.0.0.1:8080" : x.request.authority();
    String origin = x.request.scheme() + "://" + authority;
    x.response.headers().set("vary", "accept");
    if (prefersHtml(x.request.headers().get("accept"))) {
      x.bytes(
          200,
          "text/html; charset=utf-8",
          html.replace(ORIGIN, escape(origin)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } else {
      x.text(200, text.replace(ORIGIN, origin));
    }
  }

  /**
   * True if {@code accept} (RFC 9110 §12.5.1) names {@code text/html} with a quality above zero and
   * at least that of {@code text/plain}; a missing Accept, {@code *}{@code /*} alone (curl) or a
   * preference for text/plain get text.
   */
  static boolean prefersHtml(String accept) {
    if (accept == null) {
      return false;
    }
    double html = -1;
    double plain = -1;
    double any = -1;
    double anyText = -1;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      double q = 1;
      for (int i = 1; i < parts.length; i++) {
        String parameter = parts[i].trim().toLowerCase(Locale.ROOT);
        if (parameter.startsWith("q=")) {
          try {
            q = Double.parseDouble(parameter.substring(2));
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      switch (type) {
        case "text/html", "application/xhtml+xml" -> html = Math.max(html, q);
        case "text/plain" -> plain = Math.max(plain, q);
        case "text/*" -> anyText = Math.max(anyText, q);
        case "*/*" -> any = Math.max(any, q);
        default -> {}
      }
    }
    double plainQuality = plain >= 0 ? plain : anyText >= 0 ? anyText : any;
    return html > 0 && html >= plainQuality;
  }

  private static String renderText(List<Route> routes) {
    StringBuilder sb = new StringBuilder();
    sb.append("h2mux demo server: an HTTP/2 test target.\n")
        .append("HTTP/2 (h2c prior knowledge, h2c Upgrade, TLS with ALPN) and HTTP/1.1 on one\n")
        .append("port; every endpoint answers over each.\n\n")
        .append("Try:\n");
    for (String example : curlExamples()) {
      sb.append("  ").append(example).append('\n');
    }
    for (Section section : Section.values()) {
      sb.append('\n').append(section.title).append('\n');
      for (Route route : routes) {
        if (route.section() != section) {
          continue;
        }
        sb.append("  ")
            .append(route.methods().equals(Routes.ANY) ? "any" : route.methods())
            .append(' ')
            .append(route.pattern())
            .append(route.subpaths() ? "[/...]" : "")
            .append('\n');
        wrap(sb, route.summary());
        if (route.http1() != null) {
          wrap(sb, "HTTP/1.1: " + route.http1());
        }
        sb.append("      e.g. ").append(ORIGIN).append(route.example()).append('\n');
      }
    }
    sb.append("\nEvery parameter is checked: a bad one gets 400 and a text saying what is allowed.")
        .append("\nHeader values are shown byte for byte (each byte as U+0000..U+00FF).\n")
        .append("\nLimits\n");
    for (String limit : Limits.describe()) {
      wrap(sb, "- " + limit);
    }
    return sb.toString();
  }

  /** Appends {@code text} indented and wrapped at 80 columns, for a terminal. */
  private static void wrap(StringBuilder sb, String text) {
    int column = 0;
    for (String word : text.split(" ")) {
      if (column > 6 && column + 1 + word.length() > 80) {
        sb.append('\n');
        column = 0;
      }
      if (column == 0) {
        sb.append("      ");
        column = 6;
      } else {
        sb.append(' ');
        column++;
      }
      sb.append(word);
      column += word.length();
    }
    sb.append('\n');
  }

  private static String renderHtml(List<Route> routes) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>h2mux demo server</title>
        <style>
        body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
        table{border-collapse:collapse;width:100%}td,th{padding:.3rem .5rem;vertical-align:top;\
        border-bottom:1px solid #ddd;text-align:left}code,pre{font-family:ui-monospace,monospace}
        pre{background:#f4f4f4;padding:.5rem;overflow-x:auto}.h1{color:#555;font-size:.9em}
        </style></head>
        <body>
        <h1>h2mux demo server</h1>
        <p>An HTTP/2 test target: HTTP/2 (h2c prior knowledge, h2c Upgrade, TLS with ALPN) and
        HTTP/1.1 on one port; every endpoint answers over each.</p>
        <pre>""");
    for (String example : curlExamples()) {
      sb.append(escape(example)).append('\n');
    }
    sb.append("</pre>\n");
    for (Section section : Section.values()) {
      sb.append("<h2>").append(escape(section.title)).append("</h2>\n<table>\n");
      for (Route route : routes) {
        if (route.section() != section) {
          continue;
        }
        boolean linkable = route.allows("GET");
        sb.append("<tr><td><code>")
            .append(escape(route.methods().equals(Routes.ANY) ? "any" : route.methods()))
            .append("</code></td><td>")
            .append(linkable ? "<a href=\"" + escape(route.example()) + "\">" : "")
            .append("<code>")
            .append(escape(route.pattern() + (route.subpaths() ? "[/...]" : "")))
            .append("</code>")
            .append(linkable ? "</a>" : "")
            .append("</td><td>")
            .append(escape(route.summary()));
        if (route.http1() != null) {
          sb.append("<br><span class=\"h1\">HTTP/1.1: ")
              .append(escape(route.http1()))
              .append("</span>");
        }
        sb.append("</td></tr>\n");
      }
      sb.append("</table>\n");
    }
    sb.append("<p>Every parameter is checked: a bad one gets 400 and a text saying what is")
        .append(" allowed. Header values are shown byte for byte (each byte as")
        .append(" U+0000..U+00FF).</p>\n<h2>Limits</h2>\n<ul>\n");
    for (String limit : Limits.describe()) {
      sb.append("<li>").append(escape(limit)).append("</li>\n");
    }
    return sb.append("</ul>\n</body>\n</html>\n").toString();
  }

  private static List<String> curlExamples() {
    return List.of(
        "curl --http2-prior-knowledge " + ORIGIN + "/get",
        "curl --http2-prior-knowledge -i " + ORIGIN + "/status/103",
        "curl --http2-prior-knowledge '" + ORIGIN + "/reset?code=CANCEL&after=100'",
        "nghttp -v '" + ORIGIN + "/headers-big?kb=32'",
        "nghttp -v '" + ORIGIN + "/ping?count=3'");
  }

  /** Escapes text for HTML element content and attribute values. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
