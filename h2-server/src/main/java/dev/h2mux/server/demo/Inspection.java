package dev.h2mux.server.demo;

import dev.h2mux.core.HttpFields;
import dev.h2mux.server.Connection;
import dev.h2mux.server.Request;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * {@code /get}, {@code /anything} and {@code /headers}: the request as the server received it, as
 * JSON. Header values are shown byte for byte: each byte is the character of that code point
 * (ISO-8859-1), so {@code é} sent as UTF-8 shows as {@code Ã©}, and no byte is lost.
 */
final class Inspection {
  private Inspection() {}

  /** What the body was: its length and SHA-256. */
  record BodyDigest(long bytes, String sha256) {}

  /** {@code GET /get}: the whole document. */
  static void get(DemoExchange x) throws IOException, BadRequestException {
    answer(x, readBody(x));
  }

  /** {@code /anything}: the whole document, for any method and any path below it. */
  static void anything(DemoExchange x) throws IOException, BadRequestException {
    answer(x, readBody(x));
  }

  /** {@code GET /headers}: the header section alone. */
  static void headers(DemoExchange x) throws IOException {
    JsonWriter json = new JsonWriter().beginObject();
    fields(json.name("headers"), x.request.headersAsReceived());
    x.json(200, json.endObject());
  }

  private static void answer(DemoExchange x, BodyDigest body) throws IOException {
    JsonWriter json = new JsonWriter().beginObject();
    describe(x, json, body);
    x.json(200, json.endObject());
  }

  /** Writes the members describing the request into the open object of {@code json}. */
  static void describe(DemoExchange x, JsonWriter json, BodyDigest body) {
    Request request = x.request;
    json.member("method", request.method())
        .member("scheme", request.scheme())
        .member("authority", request.authority())
        .member("path", request.path());
    json.name("query").beginArray();
    for (Map.Entry<String, String> pair : x.params.pairs()) {
      json.beginInlineArray().value(pair.getKey()).value(pair.getValue()).endArray();
    }
    json.endArray();
    json.member("protocol", request.protocol()).member("client", address(request.remoteAddress()));
    connection(json.name("connection"), request.connection());
    fields(json.name("headers"), request.headersAsReceived());
    json.name("body")
        .beginInlineObject()
        .member("bytes", body.bytes())
        .member("sha256", body.sha256())
        .endObject();
    fields(json.name("trailers"), request.trailers());
  }

  /** Reads the whole body into a digest; 413 past {@link Limits#MAX_BODY_BYTES}. */
  static BodyDigest readBody(DemoExchange x) throws IOException, BadRequestException {
    MessageDigest sha256 = sha256();
    InputStream in = x.request.body();
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    for (int n; (n = in.read(buffer)) >= 0; ) {
      total += n;
      if (total > Limits.MAX_BODY_BYTES) {
        throw new BadRequestException(
            413,
            x.path
                + " reads request bodies of at most "
                + Limits.MAX_BODY_BYTES
                + " bytes; use /echo or /slow-window for more");
      }
      sha256.update(buffer, 0, n);
    }
    return new BodyDigest(total, HexFormat.of().formatHex(sha256.digest()));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** How the connection came to speak its protocol, in words. */
  static String negotiation(Connection connection) {
    if (connection.isSecure()) {
      String alpn = connection.applicationProtocol();
      return alpn == null ? "TLS without ALPN" : "TLS, ALPN " + alpn;
    }
    if (connection.protocol().equals("HTTP/2")) {
      return connection.isUpgraded() ? "h2c upgrade from HTTP/1.1" : "h2c prior knowledge";
    }
    return "cleartext";
  }

  private static void connection(JsonWriter json, Connection connection) {
    json.beginObject()
        .member("protocol", connection.protocol())
        .member("negotiation", negotiation(connection))
        .member("tls", connection.isSecure())
        .member("alpn", connection.applicationProtocol())
        .member("upgraded", connection.isUpgraded())
        .member("server", address(connection.localAddress()));
    if (connection.protocol().equals("HTTP/2")) {
      json.name("peer_settings").beginObject();
      for (Map.Entry<Integer, Long> setting : connection.peerSettings().entrySet()) {
        json.member(settingName(setting.getKey()), setting.getValue());
      }
      json.endObject();
    }
    json.endObject();
  }

  /** A list of fields as an array of {@code [name, value]} pairs, in order. */
  static void fields(JsonWriter json, HttpFields fields) {
    json.beginArray();
    for (int i = 0; i < fields.size(); i++) {
      json.beginInlineArray().value(fields.name(i)).value(fields.value(i)).endArray();
    }
    json.endArray();
  }

  static String settingName(int id) {
    return switch (id) {
      case Connection.SETTINGS_HEADER_TABLE_SIZE -> "SETTINGS_HEADER_TABLE_SIZE";
      case Connection.SETTINGS_ENABLE_PUSH -> "SETTINGS_ENABLE_PUSH";
      case Connection.SETTINGS_MAX_CONCURRENT_STREAMS -> "SETTINGS_MAX_CONCURRENT_STREAMS";
      case Connection.SETTINGS_INITIAL_WINDOW_SIZE -> "SETTINGS_INITIAL_WINDOW_SIZE";
      case Connection.SETTINGS_MAX_FRAME_SIZE -> "SETTINGS_MAX_FRAME_SIZE";
      case Connection.SETTINGS_MAX_HEADER_LIST_SIZE -> "SETTINGS_MAX_HEADER_LIST_SIZE";
      default -> "0x" + Integer.toHexString(id);
    };
  }

  /** {@code 127.0.0.1:8080} or {@code [::1]:8080}. */
  static String address(InetSocketAddress address) {
    if (address == null) {
      return null;
    }
    String host = address.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
