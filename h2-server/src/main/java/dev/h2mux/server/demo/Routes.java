package dev.h2mux.server.demo;

import java.io.IOException;
import java.util.List;

/**
 * The demo's endpoints: how each path is matched, which methods it takes, and what it does, in one
 * table that both the router and the index page read, so the documentation cannot drift from the
 * code.
 */
final class Routes {
  /** An endpoint's work; a {@link BadRequestException} becomes its status and message. */
  @FunctionalInterface
  interface Endpoint {
    void serve(DemoExchange exchange) throws IOException, BadRequestException;
  }

  /** The sections of the index page. */
  enum Section {
    INSPECTION("Inspect the request"),
    SHAPES("Shapes of responses"),
    PROTOCOL("Deliberate HTTP/2 behaviours"),
    BASICS("Basics");

    final String title;

    Section(String title) {
      this.title = title;
    }
  }

  /**
   * One endpoint. Made with {@link #route} and the withers below, so each table entry says what
   * every value is.
   *
   * @param section where the index page lists it
   * @param pattern the path: exact ({@code /get}), or ending in a parameter ({@code
   *     /status/{code}}), which matches every path that starts with what precedes the brace
   * @param subpaths true if paths below {@code pattern} match too ({@code /anything/x})
   * @param methods the methods allowed, such as {@code GET, HEAD}; {@code *} for any
   * @param waits true if the request may wait on purpose: it takes one of the {@link Limits}' slots
   * @param example a path to try, for the index page
   * @param summary what it does, with its parameters and their ranges
   * @param http1 what it does over HTTP/1.1 when that differs, or null
   * @param endpoint the code
   */
  record Route(
      Section section,
      String pattern,
      boolean subpaths,
      String methods,
      boolean waits,
      String example,
      String summary,
      String http1,
      Endpoint endpoint) {

    Route methods(String methods) {
      return new Route(
          section, pattern, subpaths, methods, waits, example, summary, http1, endpoint);
    }

    Route withSubpaths() {
      return new Route(section, pattern, true, methods, waits, example, summary, http1, endpoint);
    }

    Route waiting() {
      return new Route(
          section, pattern, subpaths, methods, true, example, summary, http1, endpoint);
    }

    Route example(String example) {
      return new Route(
          section, pattern, subpaths, methods, waits, example, summary, http1, endpoint);
    }

    Route summary(String summary) {
      return new Route(
          section, pattern, subpaths, methods, waits, example, summary, http1, endpoint);
    }

    Route http1(String http1) {
      return new Route(
          section, pattern, subpaths, methods, waits, example, summary, http1, endpoint);
    }

    /**
     * What {@code path} leaves after this route's prefix, or null if the route does not match.
     * Every request is matched against the table in order, so this compares in place rather than
     * building prefix strings.
     */
    String match(String path) {
      int brace = pattern.indexOf('{');
      if (brace >= 0) {
        return path.regionMatches(0, pattern, 0, brace) ? path.substring(brace) : null;
      }
      if (path.equals(pattern)) {
        return "";
      }
      int length = pattern.length();
      boolean below =
          subpaths
              && path.length() > length
              && path.charAt(length) == '/'
              && path.startsWith(pattern);
      return below ? path.substring(length) : null;
    }

    /** True if {@code methods} lists {@code method}, as one of its comma-separated names. */
    boolean allows(String method) {
      if (methods.equals(ANY)) {
        return true;
      }
      for (int start = 0; start < methods.length(); ) {
        while (methods.charAt(start) == ' ') {
          start++;
        }
        int end = methods.indexOf(',', start);
        if (end < 0) {
          end = methods.length();
        }
        if (end - start == method.length() && methods.startsWith(method, start)) {
          return true;
        }
        start = end + 1;
      }
      return false;
    }
  }

  /** Every method. */
  static final String ANY = "*";

  private static final String GET = "GET, HEAD";

  private Routes() {}

  /** A route for GET and HEAD that does not wait, with its example the pattern itself. */
  private static Route route(Section section, String pattern, Endpoint endpoint) {
    return new Route(section, pattern, false, GET, false, pattern, "", null, endpoint);
  }

  /** The table, in the order the index page shows it. */
  static List<Route> all(Conditional cache, Endpoint index) {
    return List.of(
        route(Section.BASICS, "/", index)
            .summary(
                "This index: HTML for browsers, text for curl (by Accept). With --dir,"
                    + " DIR/index.html instead."),
        route(Section.INSPECTION, "/get", Inspection::get)
            .example("/get?a=1&a=2")
            .summary(
                "The request as JSON: method, scheme, authority, path, query, protocol and how the"
                    + " connection negotiated it, the client's SETTINGS, the header fields in"
                    + " order (pseudo-headers too, for HTTP/2), body size and SHA-256, trailers,"
                    + " client address."),
        route(Section.INSPECTION, "/anything", Inspection::anything)
            .withSubpaths()
            .methods(ANY)
            .example("/anything/x?y=z")
            .summary("Like /get, for any method and any path below /anything."),
        route(Section.INSPECTION, "/headers", Inspection::headers)
            .summary("Only the header fields, in the order they arrived, as JSON."),
        route(Section.SHAPES, "/status/{code}", StatusAndRedirects::status)
            .methods(ANY)
            .example("/status/418")
            .summary(
                "Answers with status code 100..599. A 1xx (not 101) is sent as an interim"
                    + " response, then a final 200."),
        route(Section.SHAPES, "/delay/{ms}", Pacing::delay)
            .methods(ANY)
            .waiting()
            .example("/delay/1000")
            .summary(
                "Waits ms (0.."
                    + Limits.MAX_WAIT_MILLIS
                    + ") milliseconds, then answers like"
                    + " /anything."),
        route(Section.SHAPES, "/stream/{n}", Pacing::stream)
            .waiting()
            .example("/stream/5?interval=200")
            .summary(
                "n (1.."
                    + Limits.MAX_STREAM_CHUNKS
                    + ") JSON lines, each flushed as its own DATA"
                    + " frame; ?interval=ms (0.."
                    + Limits.MAX_STREAM_INTERVAL_MILLIS
                    + ") between them.")
            .http1("each line is its own chunk"),
        route(Section.SHAPES, "/drip", Pacing::drip)
            .waiting()
            .example("/drip?bytes=10&duration=2000")
            .summary(
                "bytes (0.."
                    + Limits.MAX_DRIP_BYTES
                    + ", default 10) of '*' spread over"
                    + " duration ms (0.."
                    + Limits.MAX_WAIT_MILLIS
                    + ", default 2000), after the"
                    + " head."),
        route(Section.SHAPES, "/trailers", Bodies::trailers)
            .methods(ANY)
            .example("/trailers?x-demo=1")
            .summary(
                "Each query parameter as a response trailer, then the request's trailers echoed,"
                    + " and x-request-bytes.")
            .http1("trailers after the last chunk"),
        route(Section.SHAPES, "/redirect/{n}", StatusAndRedirects::redirect)
            .methods(ANY)
            .example("/redirect/3")
            .summary(
                "n (1.."
                    + Limits.MAX_REDIRECTS
                    + ") redirects, ending at /get;"
                    + " ?status=301|302|303|307|308 (default 302)."),
        route(Section.SHAPES, "/redirect-to", StatusAndRedirects::redirectTo)
            .methods(ANY)
            .example("/redirect-to?url=/get")
            .summary(
                "One redirect to ?url=, which must be on this server (a path, or this origin's"
                    + " URL); ?status= as above."),
        route(Section.SHAPES, "/gzip", Bodies::gzip)
            .summary(
                "The /get document gzip-compressed, with content-encoding: gzip (curl"
                    + " --compressed)."),
        route(Section.SHAPES, "/cache", cache::cache)
            .summary(
                "ETag and Last-Modified; 304 when If-None-Match matches or If-Modified-Since is"
                    + " not older."),
        route(Section.SHAPES, "/range/{n}", Conditional::range)
            .example("/range/100")
            .summary(
                "n (0.."
                    + Limits.MAX_RANGE_BYTES
                    + ") letters with Accept-Ranges: one byte range"
                    + " gives 206, past the end 416; several ranges get the whole content."),
        route(Section.PROTOCOL, "/reset", StreamBehaviours::reset)
            .methods(ANY)
            .example("/reset?code=CANCEL&after=100")
            .summary(
                "RST_STREAM with ?code= (a name or 0..13, default CANCEL); with ?after=N, after a"
                    + " 200 head and N body bytes, else before any response.")
            .http1("closes the connection, cutting the chunked body short"),
        route(Section.PROTOCOL, "/goaway", ConnectionBehaviours::goAway)
            .methods(ANY)
            .example("/goaway?after=1")
            .summary(
                "GOAWAY with ?code= (default NO_ERROR) once ?after=N (0.."
                    + Limits.MAX_GOAWAY_AFTER
                    + ", default 0) more streams are accepted, then the graceful close.")
            .http1("closes after N more requests, the last with Connection: close"),
        route(Section.PROTOCOL, "/headers-big", StreamBehaviours::headersBig)
            .example("/headers-big?kb=32")
            .summary(
                "kb (1.."
                    + Limits.MAX_HEADERS_KIB
                    + ", default 32) KiB of response header"
                    + " fields, split into HEADERS and CONTINUATION frames; 400 if more than the"
                    + " client's SETTINGS_MAX_HEADER_LIST_SIZE.")
            .http1("one large head"),
        route(Section.PROTOCOL, "/slow-window", StreamBehaviours::slowWindow)
            .methods("POST, PUT")
            .waiting()
            .example("/slow-window?rate=65536")
            .summary(
                "Reads the request body at ?rate= bytes/s ("
                    + Limits.MIN_READ_RATE
                    + ".."
                    + Limits.MAX_READ_RATE
                    + ", default 65536), so the client's flow control must"
                    + " wait; answers size, SHA-256 and the most bytes found unread.")
            .http1("TCP flow control instead"),
        route(Section.PROTOCOL, "/ping", ConnectionBehaviours::ping)
            .waiting()
            .example("/ping?count=3")
            .summary(
                "Sends ?count= (1.."
                    + Limits.MAX_PINGS
                    + ", default 3) PING frames during the"
                    + " response and reports each round trip, and all in the trailer"
                    + " x-ping-rtt-ms.")
            .http1("400: HTTP/1.1 has no PING"),
        route(Section.BASICS, "/bytes/{n}", Bodies::bytes)
            .example("/bytes/1024")
            .summary(
                "n (0.."
                    + Limits.MAX_BYTES
                    + ") bytes of a fixed pattern (byte k is k mod 256),"
                    + " with content-length."),
        route(Section.BASICS, "/echo", Bodies::echo)
            .methods("POST, PUT")
            .summary("The request body back as it arrives, with its content-type and trailers."));
  }
}
