package dev.h2mux.server;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.Http2Exception;
import dev.h2mux.core.frame.Http2Settings;
import dev.h2mux.core.http.ConnectionFields;
import dev.h2mux.core.http1.BodyFraming;
import dev.h2mux.core.http1.Http1Exception;
import dev.h2mux.core.http1.Http1RequestHead;
import dev.h2mux.core.http1.Http1Syntax;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The server's side of the h2c upgrade (RFC 7540 §3.2; RFC 9113 §3.1 no longer defines it, and
 * clients such as curl still send it): whether a request asks for it, what the switch needs (the
 * client's settings and the whole request body, read before the 101), and the request as HTTP/2
 * stream 1 will carry it. A request whose body is too large to hold is served as HTTP/1.1.
 */
final class ServerUpgrade {
  /** The 101 response; the HTTP/2 connection preface follows it (RFC 7540 §3.2). */
  static final byte[] SWITCHING_PROTOCOLS =
      "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);

  private ServerUpgrade() {}

  /**
   * True if the request asks for h2c as RFC 7540 §3.2 requires: {@code Upgrade: h2c}, a {@code
   * Connection} field naming {@code Upgrade} and {@code HTTP2-Settings}, and exactly one {@code
   * HTTP2-Settings} field (§3.2.1).
   */
  static boolean isRequested(HttpFields fields) {
    return Http1Syntax.hasElement(fields, "upgrade", "h2c")
        && Http1Syntax.hasElement(fields, "connection", "upgrade")
        && Http1Syntax.hasElement(fields, "connection", "http2-settings")
        && fields.all("http2-settings").size() == 1;
  }

  /**
   * Reads what the switch needs: the client's settings, then the whole body, up to {@code
   * maxBuffered} bytes.
   *
   * @return the request to serve as stream 1, or null if the body is larger than {@code
   *     maxBuffered}: the request is then served as HTTP/1.1, with what was read of the body put
   *     back in front of the rest
   * @throws Http1Exception 400 if {@code HTTP2-Settings} is not a SETTINGS payload in base64url
   */
  static UpgradeRequest read(
      Http1RequestHead head,
      RequestTarget target,
      BodyFraming framing,
      Http1RequestBody body,
      long maxBuffered)
      throws IOException {
    byte[] settings = decodeSettings(head.headers().get("http2-settings"));
    byte[] buffered = readBody(framing, body, maxBuffered);
    if (!body.atEnd()) {
      body.prepend(buffered);
      return null;
    }
    return new UpgradeRequest(
        head.method(),
        target.path(),
        target.authority(),
        fieldsForHttp2(head.headers()),
        buffered,
        settings);
  }

  /** Sends the 101 response; the caller's HTTP/2 connection takes over the socket after it. */
  static void sendSwitchingProtocols(OutputStream out) throws IOException {
    out.write(SWITCHING_PROTOCOLS);
    out.flush();
  }

  /**
   * The payload of {@code HTTP2-Settings} (RFC 7540 §3.2.1): base64url, and a valid SETTINGS
   * payload (RFC 9113 §6.5), checked before the switch so that a bad one is answered with 400
   * rather than a connection that ends after the 101.
   */
  static byte[] decodeSettings(String value) throws Http1Exception {
    byte[] payload;
    try {
      payload = Base64.getUrlDecoder().decode(value.trim());
    } catch (IllegalArgumentException e) {
      throw new Http1Exception(400, "HTTP2-Settings is not base64url");
    }
    try {
      Http2Settings.parsePayload(payload);
    } catch (Http2Exception e) {
      throw new Http1Exception(400, "HTTP2-Settings is not a SETTINGS payload: " + e.getMessage());
    }
    return payload;
  }

  /**
   * The request's fields as HTTP/2 carries them: without the connection-specific ones (RFC 9113
   * §8.2.2, through {@link ConnectionFields}: Connection and what it names, Upgrade, Keep-Alive,
   * Proxy-Connection, Transfer-Encoding, TE other than {@code trailers}), without Host (it becomes
   * {@code :authority}) and without HTTP2-Settings (the upgrade's own, read already).
   */
  static HttpFields fieldsForHttp2(HttpFields fields) {
    HttpFields result = new HttpFields();
    ConnectionFields.copyForHttp2(fields, result);
    result.remove("host");
    result.remove("http2-settings");
    return result.freeze();
  }

  /**
   * Reads the body into memory, up to one byte past the limit; the body is at its end afterwards
   * exactly if it fit.
   */
  private static byte[] readBody(BodyFraming framing, Http1RequestBody body, long limit)
      throws IOException {
    if (framing.kind() == BodyFraming.Kind.CONTENT_LENGTH && framing.length() > limit) {
      return new byte[0];
    }
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    byte[] scratch = new byte[8192];
    while (buffer.size() <= limit) {
      int n = body.read(scratch, 0, (int) Math.min(scratch.length, limit + 1 - buffer.size()));
      if (n < 0) {
        break;
      }
      buffer.write(scratch, 0, n);
    }
    return buffer.toByteArray();
  }
}
