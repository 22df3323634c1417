package dev.h2mux.client;

import java.net.SocketTimeoutException;

/**
 * Opening a connection took longer than the {@linkplain Http2ClientBuilder#connectTimeout connect
 * timeout}: looking the host up, the TCP handshake with each of its addresses, the proxy's tunnel,
 * the TLS handshake and the server's HTTP/2 preface all count against that one timeout, as curl's
 * {@code --connect-timeout} does (curl's exit code 28). {@link #step()} says which was under way
 * when the time ran out.
 */
public final class ConnectTimeoutException extends SocketTimeoutException {
  /** The steps of opening a connection, in order. */
  public enum Step {
    /** Looking the host (or the proxy) up. */
    NAME_LOOKUP,
    /** The TCP handshake with the last of the host's addresses. */
    CONNECT,
    /** Waiting for the proxy's answer to {@code CONNECT}. */
    PROXY_TUNNEL,
    /** The TLS handshake. */
    TLS_HANDSHAKE,
    /** Waiting for the server's HTTP/2 SETTINGS (prior knowledge, or ALPN {@code h2}). */
    HTTP2_PREFACE
  }

  private final Step step;

  ConnectTimeoutException(String message, Step step) {
    super(message);
    this.step = step;
  }

  /** The step that was under way when the connect timeout ran out. */
  public Step step() {
    return step;
  }
}
