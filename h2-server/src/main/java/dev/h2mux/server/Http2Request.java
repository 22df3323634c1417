package dev.h2mux.server;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.engine.Http2Stream;
import dev.h2mux.core.http.RequestHead;
import java.io.InputStream;
import java.net.InetSocketAddress;

/** A request read from an HTTP/2 stream: its head's pseudo-header and regular fields, its body. */
final class Http2Request implements Request {
  private final Http2Stream stream;
  private final RequestHead head;
  private final String scheme;
  private final InetSocketAddress remote;
  private final Connection connection;

  /**
   * @param stream the stream the request came on; its head is read
   * @param scheme the connection's scheme, for a request without {@code :scheme}
   * @param remote the client's address
   * @param connection the connection, for {@link #connection()}
   */
  Http2Request(Http2Stream stream, String scheme, InetSocketAddress remote, Connection connection) {
    this.stream = stream;
    this.head = stream.request();
    this.scheme = scheme;
    this.remote = remote;
    this.connection = connection;
  }

  @Override
  public String method() {
    return head.method();
  }

  @Override
  public String scheme() {
    return head.scheme() == null ? scheme : head.scheme();
  }

  @Override
  public String authority() {
    return head.authority();
  }

  @Override
  public String path() {
    return head.path() == null ? "" : head.path();
  }

  @Override
  public String protocol() {
    return "HTTP/2";
  }

  @Override
  public HttpFields headers() {
    return head.headers();
  }

  @Override
  public HttpFields headersAsReceived() {
    HttpFields fields = new HttpFields();
    for (String name : head.pseudoHeaderNames()) {
      String value =
          switch (name) {
            case ":method" -> head.method();
            case ":scheme" -> head.scheme();
            case ":authority" -> head.authority();
            default -> head.path();
          };
      fields.add(name, value);
    }
    head.headers().forEach(fields::add);
    return fields.freeze();
  }

  @Override
  public InputStream body() {
    return stream.input();
  }

  @Override
  public HttpFields trailers() {
    return stream.trailers();
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return remote;
  }

  @Override
  public Connection connection() {
    return connection;
  }

  @Override
  public String toString() {
    return method() + " " + path() + " HTTP/2 (stream " + stream.id() + ")";
  }
}
