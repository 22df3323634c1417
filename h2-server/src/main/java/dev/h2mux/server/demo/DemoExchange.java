package dev.h2mux.server.demo;

import dev.h2mux.server.Request;
import dev.h2mux.server.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One request to the demo as its endpoints see it: the request and response, the path apart from
 * the query, the parameters, the part of the path after the route's prefix, and the replies that
 * every endpoint uses. Replies set {@code content-length} and send no body to HEAD.
 */
final class DemoExchange {
  final Request request;
  final Response response;

  /** The path without the query, such as {@code /status/418}. */
  final String path;

  /** The query parameters. */
  final Params params;

  /** What follows the matched route's prefix, such as {@code 418}; empty for exact routes. */
  final String tail;

  private DemoExchange(
      Request request, Response response, String path, Params params, String tail) {
    this.request = request;
    this.response = response;
    this.path = path;
    this.params = params;
    this.tail = tail;
  }

  /** Splits the request target into path and query. */
  static DemoExchange of(Request request, Response response) {
    String target = request.path();
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    Params params = Params.parse(q < 0 ? "" : target.substring(q + 1));
    return new DemoExchange(request, response, path, params, "");
  }

  /** This exchange with {@code tail} as the part after the route's prefix. */
  DemoExchange withTail(String tail) {
    return new DemoExchange(request, response, path, params, tail);
  }

  /** True for a HEAD request: the head says it all (RFC 9110 §9.3.2). */
  boolean isHead() {
    return request.method().equals("HEAD");
  }

  /** True if the request came over HTTP/2. */
  boolean isHttp2() {
    return request.protocol().equals("HTTP/2");
  }

  /** The response body. */
  OutputStream body() throws IOException {
    return response.body();
  }

  /** Answers {@code text} as {@code text/plain} UTF-8. */
  void text(int status, String text) throws IOException {
    bytes(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /** Answers a finished JSON document. */
  void json(int status, JsonWriter json) throws IOException {
    bytes(status, "application/json", json.utf8());
  }

  /** Answers {@code body} with its type and length. */
  void bytes(int status, String contentType, byte[] body) throws IOException {
    response.status(status);
    response.headers().set("content-type", contentType);
    response.headers().set("content-length", Integer.toString(body.length));
    if (!isHead()) {
      response.body().write(body);
    }
  }

  /** Answers without content: {@code content-length: 0}. */
  void empty(int status) {
    response.status(status);
    response.headers().set("content-length", "0");
  }

  /** 405 with the methods the route allows (RFC 9110 §15.5.6 requires {@code allow}). */
  void methodNotAllowed(String allow) throws IOException {
    response.headers().set("allow", allow);
    text(405, request.method() + " is not allowed on " + path + "; allowed: " + allow + "\n");
  }

  /** 400 with what was wrong and what is allowed. */
  void badRequest(String message) throws IOException {
    text(400, message + "\nEvery endpoint and its parameters: GET /\n");
  }
}
