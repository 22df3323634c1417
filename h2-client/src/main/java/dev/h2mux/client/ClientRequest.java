package dev.h2mux.client;

import dev.h2mux.core.HttpFields;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An immutable HTTP request: method, URI, header fields, an optional body and optional trailers.
 * Build one with {@link #builder(URI)}.
 *
 * <pre>{@code
 * ClientRequest get = ClientRequest.get(URI.create("http://localhost:8080/"));
 * ClientRequest post = ClientRequest.builder(uri).method("POST")
 *     .header("content-type", "application/json").body("{}".getBytes()).build();
 * }</pre>
 *
 * <p>A body from bytes, a file, or an {@link InputStream} supplier can be sent again, so such a
 * request may be retried on a fresh connection; a {@link BodyWriter} body is written once.
 */
public final class ClientRequest {
  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");

  /** Writes a request body as it is sent, for bodies that are produced rather than stored. */
  @FunctionalInterface
  public interface BodyWriter {
    /** Writes the whole body to {@code out}; the client ends the body when this returns. */
    void writeTo(OutputStream out) throws IOException;
  }

  private final String method;
  private final URI uri;
  private final HttpFields headers;
  private final RequestBody body;
  private final HttpFields trailers;
  private final Duration timeout;
  private final RedirectHook redirectHook;
  private final InterimResponseListener interimListener;
  private final boolean expectContinue;

  private ClientRequest(Builder b) {
    this.method = b.method;
    this.uri = b.uri;
    this.headers = b.headers.copy().freeze();
    this.body = b.body;
    this.trailers = b.trailers == null ? HttpFields.empty() : b.trailers.copy().freeze();
    this.timeout = b.timeout;
    this.redirectHook = b.redirectHook;
    this.interimListener = b.interimListener;
    this.expectContinue = b.expectContinue;
  }

  /** A GET request for {@code uri}. */
  public static ClientRequest get(URI uri) {
    return builder(uri).build();
  }

  /** A builder for a request to {@code uri} ({@code http} or {@code https}), GET by default. */
  public static Builder builder(URI uri) {
    return new Builder(uri);
  }

  /** A builder for a request to {@code uri}. */
  public static Builder builder(String uri) {
    return new Builder(URI.create(uri));
  }

  /** The method, such as {@code GET}. */
  public String method() {
    return method;
  }

  /** The absolute URI. */
  public URI uri() {
    return uri;
  }

  /** The header fields, frozen (no pseudo-headers; {@code host} is taken from the URI). */
  public HttpFields headers() {
    return headers;
  }

  /** The trailer fields sent after the body, frozen; empty if none. */
  public HttpFields trailers() {
    return trailers;
  }

  /** True if the request has a body. */
  public boolean hasBody() {
    return body != null;
  }

  /** The body length if known in advance, or -1. */
  public long contentLength() {
    return body == null ? 0 : body.length();
  }

  /** The response timeout for this request, or null to use the client's. */
  public Duration timeout() {
    return timeout;
  }

  /** The hook that sees the redirects this request's call follows, or null. */
  public RedirectHook redirectHook() {
    return redirectHook;
  }

  /** The listener of this request's interim (1xx) responses, or null. */
  public InterimResponseListener interimListener() {
    return interimListener;
  }

  /**
   * Whether the body waits for the server's {@code 100 Continue} over HTTP/1.1: asked with {@link
   * Builder#expectContinue}, or by an {@code expect: 100-continue} field of the request's own.
   */
  public boolean expectsContinue() {
    return expectContinue || "100-continue".equalsIgnoreCase(headers.get("expect"));
  }

  /** This request without its expectation: for a server that refused it with 417. */
  ClientRequest withoutExpectation() {
    Builder b = toBuilder().expectContinue(false);
    if ("100-continue".equalsIgnoreCase(headers.get("expect"))) b.removeHeader("expect");
    return b.build();
  }

  /** True if the body (if any) can be sent again. */
  public boolean isReplayable() {
    return body == null || body.replayable();
  }

  /**
   * True if the request may be sent again after a failure that the server may have seen (RFC 9110
   * §9.2.2): an idempotent method and a replayable body.
   */
  public boolean isIdempotent() {
    return IDEMPOTENT.contains(method) && isReplayable();
  }

  /**
   * The length the body must have: its own if known, else a {@code content-length} header's, else
   * -1.
   *
   * @throws IllegalArgumentException if the header is not a length
   */
  long declaredLength() {
    if (body == null) return 0;
    if (body.length() >= 0) return body.length();
    String header = headers.get("content-length");
    if (header == null) return -1;
    try {
      long length = Long.parseLong(header.trim());
      if (length >= 0) return length;
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException("invalid content-length: " + header);
  }

  /** True if the body is an array in memory: it is sent at once, with the head. */
  boolean isBodyInMemory() {
    return body instanceof RequestBody.Bytes;
  }

  /**
   * A builder that starts as a copy of this request: method, URI, fields, body, trailers, timeout
   * and redirect hook.
   */
  public Builder toBuilder() {
    Builder b = new Builder(uri);
    b.method = method;
    headers.forEach(b.headers::add);
    b.body = body;
    b.trailers = trailers.isEmpty() ? null : trailers.copy();
    b.timeout = timeout;
    b.redirectHook = redirectHook;
    b.interimListener = interimListener;
    b.expectContinue = expectContinue;
    return b;
  }

  /** The path and query to send, {@code /} if the URI has none. */
  String target() {
    String path = uri.getRawPath();
    if (path == null || path.isEmpty()) path = "/";
    String query = uri.getRawQuery();
    return query == null ? path : path + "?" + query;
  }

  /** Writes the body to {@code out}; does not close it. */
  void writeBody(OutputStream out) throws IOException {
    if (body == null) return;
    // Application code must not end the body itself: trailers may follow.
    body.writeTo(new dev.h2mux.core.http1.UncloseableOutputStream(out));
  }

  /** Builds a {@link ClientRequest}. Not thread-safe. */
  public static final class Builder {
    private URI uri;
    private String method = "GET";
    private HttpFields headers = new HttpFields();
    private RequestBody body;
    private HttpFields trailers;
    private Duration timeout;
    private RedirectHook redirectHook;
    private InterimResponseListener interimListener;
    private boolean expectContinue;

    private Builder(URI uri) {
      uri(uri);
    }

    /** Sets the URI: absolute, {@code http} or {@code https}, with a host. */
    public Builder uri(URI uri) {
      Objects.requireNonNull(uri, "uri");
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException("not an http or https URI: " + uri);
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        throw new IllegalArgumentException("URI without a host: " + uri);
      }
      this.uri = uri;
      return this;
    }

    /** Sets the method (a token, case-sensitive), {@code GET} by default. */
    public Builder method(String method) {
      Objects.requireNonNull(method, "method");
      if (method.isEmpty()
          || !method
              .chars()
              .allMatch(c -> c > ' ' && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0)) {
        throw new IllegalArgumentException("invalid method: " + method);
      }
      this.method = method;
      return this;
    }

    /** Adds a header field. Connection-specific fields are dropped for HTTP/2. */
    public Builder header(String name, String value) {
      checkField(name, value);
      headers.add(name, value);
      return this;
    }

    private static void checkField(String name, String value) {
      if (name.isEmpty() || name.startsWith(":")) {
        throw new IllegalArgumentException("invalid header name: " + name);
      }
      if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf(0) >= 0) {
        throw new IllegalArgumentException("invalid character in the value of " + name);
      }
    }

    /** Replaces every header field named {@code name}. */
    public Builder setHeader(String name, String value) {
      headers.remove(name);
      return header(name, value);
    }

    /**
     * Replaces every header field by {@code fields}, in their order, checked as {@link #header}.
     */
    public Builder headers(HttpFields fields) {
      HttpFields replaced = new HttpFields();
      for (int i = 0; i < fields.size(); i++) {
        checkField(fields.name(i), fields.value(i));
        replaced.add(fields.name(i), fields.value(i));
      }
      headers = replaced;
      return this;
    }

    /** Removes every header field named {@code name}. */
    public Builder removeHeader(String name) {
      headers.remove(name);
      return this;
    }

    /** Sends {@code bytes} as the body (replayable). */
    public Builder body(byte[] bytes) {
      this.body = new RequestBody.Bytes(bytes.clone());
      return this;
    }

    /** Sends {@code text} in UTF-8 as the body (replayable). */
    public Builder body(String text) {
      return body(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends the file's content as the body (replayable; its size is read now).
     *
     * @throws UncheckedIOException if the file can't be read
     */
    public Builder body(Path file) {
      try {
        this.body = new RequestBody.File(file, Files.size(file));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
      return this;
    }

    /**
     * Sends what the stream from {@code source} yields as the body. {@code source} is called again
     * for a retry, so each call must give a fresh stream of the same bytes.
     *
     * @param length the body length if known, or -1
     */
    public Builder body(Supplier<? extends InputStream> source, long length) {
      this.body = new RequestBody.Stream(Objects.requireNonNull(source, "source"), length);
      return this;
    }

    /** Sends what {@code writer} writes as the body; such a request is never retried. */
    public Builder body(BodyWriter writer) {
      this.body = new RequestBody.Writer(Objects.requireNonNull(writer, "writer"));
      return this;
    }

    /**
     * Sends trailer fields after the body (HTTP/2 trailers, or an HTTP/1.1 chunked trailer section;
     * a body of known length then goes chunked).
     */
    public Builder trailers(HttpFields trailers) {
      for (int i = 0; i < trailers.size(); i++) {
        if (trailers.name(i).startsWith(":")) {
          throw new IllegalArgumentException("pseudo-header in trailers: " + trailers.name(i));
        }
      }
      this.trailers = trailers.copy();
      return this;
    }

    /** Sends no body and no trailers. */
    Builder noBody() {
      this.body = null;
      this.trailers = null;
      return this;
    }

    /**
     * Shows each redirect the call follows to {@code hook}, which may change the request that
     * follows it; none by default. Only with {@link Http2ClientBuilder#followRedirects}.
     */
    public Builder onRedirect(RedirectHook hook) {
      this.redirectHook = hook;
      return this;
    }

    /** Shows the interim (1xx) responses to this request to {@code listener}; none by default. */
    public Builder onInterimResponse(InterimResponseListener listener) {
      this.interimListener = listener;
      return this;
    }

    /**
     * Over HTTP/1.1, sends {@code expect: 100-continue} and holds the body back until the server's
     * {@code 100 Continue}, for at most 1 s (RFC 9110 §10.1.1, and curl's wait); off by default. A
     * server that answers first (a 401, a 413) gets no body, and one that answers {@code 417} gets
     * the request again without the expectation. Over HTTP/2 the body is sent at once, without the
     * field (as curl does: the client does not see HTTP/2 interim responses).
     */
    public Builder expectContinue(boolean expect) {
      this.expectContinue = expect;
      return this;
    }

    /** Overrides the client's response timeout for this request. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** The request. */
    public ClientRequest build() {
      return new ClientRequest(this);
    }
  }

  @Override
  public String toString() {
    return method + " " + uri;
  }
}
