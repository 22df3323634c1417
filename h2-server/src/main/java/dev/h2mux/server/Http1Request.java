package dev.h2mux.server;

import dev.h2mux.core.HttpFields;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/** A request read from an HTTP/1.x connection. */
final class Http1Request implements Request {
  private final String method;
  private final String scheme;
  private final String authority;
  private final String path;
  private final String protocol;
  private final HttpFields headers;
  private final InputStream body;
  private final Supplier<HttpFields> trailers;
  private final InetSocketAddress remoteAddress;
  private final Connection connection;

  Http1Request(
      String method,
      String scheme,
      String authority,
      String path,
      String protocol,
      HttpFields headers,
      InputStream body,
      Supplier<HttpFields> trailers,
      InetSocketAddress remoteAddress,
      Connection connection) {
    this.method = method;
    this.scheme = scheme;
    this.authority = authority;
    this.path = path;
    this.protocol = protocol;
    this.headers = headers;
    this.body = body;
    this.trailers = trailers;
    this.remoteAddress = remoteAddress;
    this.connection = connection;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String scheme() {
    return scheme;
  }

  @Override
  public String authority() {
    return authority;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public HttpFields headers() {
    return headers;
  }

  @Override
  public HttpFields headersAsReceived() {
    return headers;
  }

  @Override
  public InputStream body() {
    return body;
  }

  @Override
  public HttpFields trailers() {
    return trailers.get();
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return remoteAddress;
  }

  @Override
  public Connection connection() {
    return connection;
  }

  @Override
  public String toString() {
    return method + " " + path + " " + protocol;
  }
}
