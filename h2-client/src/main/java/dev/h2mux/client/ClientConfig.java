package dev.h2mux.client;

import dev.h2mux.core.engine.Http2Config;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Everything an {@link Http2Client} was built with (see {@link Http2Client.Builder} for each).
 *
 * @param maxRedirects how many redirects to follow, or -1 to follow none
 * @param proxy the HTTP proxy, or null
 * @param addressOverrides addresses to use instead of DNS, by {@code host:port} (host lowercase)
 */
record ClientConfig(
    Duration connectTimeout,
    Duration responseTimeout,
    Duration idleTimeout,
    Duration pingInterval,
    Duration pingTimeout,
    ConnectionMode mode,
    SSLContext sslContext,
    boolean insecure,
    int maxHttp1ConnectionsPerOrigin,
    int maxResponseHeadSize,
    Http2Config http2,
    TraceListener trace,
    int maxRedirects,
    ProxyConfig proxy,
    boolean decompress,
    Map<String, List<InetAddress>> addressOverrides) {

  /** An HTTP proxy: where it is, and the {@code proxy-authorization} to send it, or null. */
  record ProxyConfig(String host, int port, String authorization) {}

  /** The key of {@link #addressOverrides} for {@code host} and {@code port}. */
  static String overrideKey(String host, int port) {
    return host.toLowerCase(Locale.ROOT) + ":" + port;
  }

  /** The connect timeout as a socket timeout: at least 1 ms (0 would mean none). */
  int connectTimeoutMillis() {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
  }
}
