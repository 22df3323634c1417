package dev.h2mux.server;

import dev.h2mux.core.HttpFields;
import java.io.InputStream;
import java.net.InetSocketAddress;

/** A request as the {@link Handler} sees it, whichever protocol carried it. */
public interface Request {
  /**
   * The method.
   *
   * @return the method, such as {@code GET}, as sent (methods are case-sensitive)
   */
  String method();

  /**
   * The scheme: HTTP/2's {@code :scheme}, or over HTTP/1.x the connection's.
   *
   * @return {@code http} or {@code https}
   */
  String scheme();

  /**
   * The authority: {@code :authority}, or the HTTP/1.1 Host field (the absolute-form target's
   * authority if it has one).
   *
   * @return the authority, such as {@code example.com:8443}; may be empty
   */
  String authority();

  /**
   * The request target's path and query.
   *
   * @return the path and query, such as {@code /a/b?c=d}; {@code *} for {@code OPTIONS *}
   */
  String path();

  /**
   * The protocol that carried this request.
   *
   * @return {@code HTTP/2}, {@code HTTP/1.1} or {@code HTTP/1.0}
   */
  String protocol();

  /**
   * The request's header fields: regular fields only, no pseudo-header fields.
   *
   * @return the fields, frozen, names in lowercase
   */
  HttpFields headers();

  /**
   * The header section in the order it arrived, frozen: for HTTP/2 the pseudo-header fields first
   * ({@code :method}, {@code :scheme}, {@code :authority}, {@code :path}, in the client's order),
   * then {@link #headers()}; for HTTP/1.x the same as {@link #headers()}. Values are the bytes
   * received, one character per byte (ISO-8859-1). The request that carried an h2c Upgrade arrived
   * as HTTP/1.1: it has no pseudo-header fields, and lacks the fields HTTP/2 does not allow, such
   * as Host and Upgrade.
   *
   * @return the header section, frozen
   */
  HttpFields headersAsReceived();

  /**
   * The request body, streamed as it arrives. Reading it opens the flow-control window for more.
   *
   * @return the body; an empty stream if the request has none
   */
  InputStream body();

  /**
   * The trailer fields; empty until {@link #body()} has been read to its end.
   *
   * @return the trailers, frozen; empty if the request had none
   */
  HttpFields trailers();

  /**
   * The client's address.
   *
   * @return the remote end of the connection
   */
  InetSocketAddress remoteAddress();

  /**
   * The connection this request arrived on: what it is, and its HTTP/2 controls.
   *
   * @return the connection, the same object for every request on it
   */
  Connection connection();
}
