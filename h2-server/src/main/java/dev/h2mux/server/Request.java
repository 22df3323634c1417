package dev.h2mux.server;

import dev.h2mux.core.HttpFields;
import java.io.InputStream;
import java.net.InetSocketAddress;

/** A request as the {@link Handler} sees it, whichever protocol carried it. */
public interface Request {
  /** The method, such as {@code GET}. */
  String method();

  /** {@code http} or {@code https}. */
  String scheme();

  /** The authority ({@code :authority}, or the HTTP/1.1 Host header); may be empty. */
  String authority();

  /** The request target's path and query, such as {@code /a/b?c=d}. */
  String path();

  /** {@code HTTP/2}, {@code HTTP/1.1} or {@code HTTP/1.0}. */
  String protocol();

  /** The request's header fields (regular fields only, no pseudo-headers), frozen. */
  HttpFields headers();

  /**
   * The header section in the order it arrived, frozen: for HTTP/2 the pseudo-header fields first
   * ({@code :method}, {@code :scheme}, {@code :authority}, {@code :path}, in the client's order),
   * then {@link #headers()}; for HTTP/1.x the same as {@link #headers()}. Values are the bytes
   * received, one character per byte (ISO-8859-1). The request that carried an h2c Upgrade arrived
   * as HTTP/1.1: it has no pseudo-header fields, and lacks the fields HTTP/2 does not allow, such
   * as Host and Upgrade.
   */
  HttpFields headersAsReceived();

  /**
   * The request body, streamed as it arrives. Reading it opens the flow-control window for more; an
   * empty stream if the request has no body.
   */
  InputStream body();

  /**
   * The trailer fields; empty until {@link #body()} has been read to its end, and empty if the
   * request had none.
   */
  HttpFields trailers();

  /** The client's address. */
  InetSocketAddress remoteAddress();

  /** The connection this request arrived on. */
  Connection connection();
}
