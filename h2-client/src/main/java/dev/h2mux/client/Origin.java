package dev.h2mux.client;

import java.net.URI;
import java.util.Locale;

/** Scheme, host and port: what one pool of connections serves (RFC 6454). */
record Origin(String scheme, String host, int port) {
  static Origin of(URI uri) {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    int port = uri.getPort();
    if (port < 0) port = scheme.equals("https") ? 443 : 80;
    return new Origin(scheme, host, port);
  }

  boolean tls() {
    return scheme.equals("https");
  }

  /** The authority to send: host, bracketed if IPv6, with the port unless it is the default. */
  String authority() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    boolean defaultPort = tls() ? port == 443 : port == 80;
    return defaultPort ? h : h + ":" + port;
  }

  @Override
  public String toString() {
    return scheme + "://" + authority();
  }
}
