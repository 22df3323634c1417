package dev.h2mux.client;

import dev.h2mux.core.HttpFields;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A response: status and headers at once, the body streamed as it arrives. Read the body once,
 * through {@link #body()} or one of {@link #bytes()}, {@link #string()} and {@link #toFile}.
 * Reading opens the HTTP/2 flow-control window for more, so a slow reader slows the server down
 * rather than making the client buffer.
 *
 * <p>Close the response (or read its body to the end) to free its stream or connection; closing it
 * before the end cancels the exchange (HTTP/2 RST_STREAM CANCEL).
 */
public final class ClientResponse implements AutoCloseable {
  private final int status;
  private final String reason;
  private final HttpFields headers;
  private final Protocol protocol;
  private final BodyStream raw;
  private final InputStream body;
  private final Supplier<HttpFields> trailers;
  private final URI uri;
  private final Exchange exchange;

  /**
   * @param reason the HTTP/1.1 reason phrase, empty for HTTP/2
   */
  ClientResponse(
      int status,
      String reason,
      HttpFields headers,
      Protocol protocol,
      BodyStream body,
      Supplier<HttpFields> trailers,
      URI uri,
      Exchange exchange) {
    this(status, reason, headers, protocol, body, body, trailers, uri, exchange);
  }

  private ClientResponse(
      int status,
      String reason,
      HttpFields headers,
      Protocol protocol,
      BodyStream raw,
      InputStream body,
      Supplier<HttpFields> trailers,
      URI uri,
      Exchange exchange) {
    this.status = status;
    this.reason = reason;
    this.headers = headers;
    this.protocol = protocol;
    this.raw = raw;
    this.body = body;
    this.trailers = trailers;
    this.uri = uri;
    this.exchange = exchange;
  }

  /** This response with its body read through {@code decoded} (which reads the raw body). */
  ClientResponse withBody(InputStream decoded) {
    return new ClientResponse(
        status, reason, headers, protocol, raw, decoded, trailers, uri, exchange);
  }

  /** The body as it arrives, before any decoding. */
  BodyStream rawBody() {
    return raw;
  }

  /** The measurements of the call that produced this response. */
  Exchange exchange() {
    return exchange;
  }

  /** The status code, such as 200. */
  public int status() {
    return status;
  }

  /**
   * The reason phrase of an HTTP/1.1 status line ({@code OK} in {@code HTTP/1.1 200 OK}), as the
   * server sent it; empty for HTTP/2, which has none (RFC 9113 §8.3.2), and when the server sent
   * none. It is for people: the status code is what means something (RFC 9112 §4).
   */
  public String reason() {
    return reason;
  }

  /** The header fields (lowercase names), frozen. */
  public HttpFields headers() {
    return headers;
  }

  /** The protocol that carried the exchange. */
  public Protocol protocol() {
    return protocol;
  }

  /**
   * The URI this response answers: the request's, or after {@linkplain
   * Http2ClientBuilder#followRedirects followed redirects} the last one's (curl's {@code
   * url_effective}).
   */
  public URI uri() {
    return uri;
  }

  /**
   * What the call that produced this response did on the network: addresses, connections opened,
   * times and byte counts. A snapshot; its total time and byte counts are final once the body has
   * been read to its end or closed.
   */
  public ExchangeInfo info() {
    return exchange.info();
  }

  /**
   * The body as a stream. Failures while reading (the server reset the stream or closed the
   * connection) are {@link Http2ClientException}s.
   */
  public InputStream body() {
    return body;
  }

  /** Reads the whole body into memory. */
  public byte[] bytes() throws IOException {
    try (InputStream in = body) {
      return in.readAllBytes();
    }
  }

  /** Reads the whole body as text, in the charset of {@code content-type} (UTF-8 by default). */
  public String string() throws IOException {
    return new String(bytes(), charset());
  }

  /**
   * Writes the whole body to {@code file}, replacing it.
   *
   * @return the number of bytes written
   */
  public long toFile(Path file) throws IOException {
    try (InputStream in = body;
        OutputStream out =
            Files.newOutputStream(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
      return in.transferTo(out);
    }
  }

  /** The trailer fields; empty until the body was read to its end, and if there were none. */
  public HttpFields trailers() {
    return trailers.get();
  }

  /**
   * Abandons the exchange: an HTTP/2 stream is reset with CANCEL, an HTTP/1.1 connection closed.
   */
  public void cancel() {
    raw.abort();
  }

  /** Frees the exchange; cancels it if the body was not read to its end. */
  @Override
  public void close() {
    if (body != raw) {
      try {
        body.close(); // a decoder's resources; it closes the raw body too
      } catch (IOException ignored) {
        // the raw body's abort below cannot fail
      }
    }
    raw.close();
  }

  private Charset charset() {
    String type = headers.get("content-type");
    if (type != null) {
      for (String param : type.split(";")) {
        String p = param.trim();
        if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
          try {
            return Charset.forName(p.substring(8).replace("\"", "").trim());
          } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
          }
        }
      }
    }
    return StandardCharsets.UTF_8;
  }

  @Override
  public String toString() {
    return protocol + " " + status;
  }
}
