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

  /** {@code HTTP/2} or {@code HTTP/1.1}. */
  String protocol();

  /** The request's header fields (regular fields only, no pseudo-headers), frozen. */
  HttpFields headers();

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
}
