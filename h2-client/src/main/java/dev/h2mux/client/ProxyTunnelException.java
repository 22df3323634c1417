package dev.h2mux.client;

import java.io.IOException;

/**
 * The HTTP proxy refused to open a tunnel (its answer to {@code CONNECT} was not 2xx), so an {@code
 * https} origin could not be reached through it (curl's exit code 56).
 */
public final class ProxyTunnelException extends IOException {
  private final int status;

  ProxyTunnelException(String message, int status) {
    super(message);
    this.status = status;
  }

  /** The proxy's status code, such as 403 or 407. */
  public int status() {
    return status;
  }
}
