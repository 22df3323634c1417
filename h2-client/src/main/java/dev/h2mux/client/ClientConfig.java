package dev.h2mux.client;

import dev.h2mux.core.engine.Http2Config;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Everything an {@link Http2Client} was built with (see {@link Http2ClientBuilder} for each).
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
  record ProxyConfig(String host, int port, String authorization) {
    /**
     * The proxy {@code http://[user:password@]host[:port]}, port 1080 by default (as for curl).
     *
     * @throws IllegalArgumentException if it is not an {@code http} URI with a host
     */
    static ProxyConfig of(URI proxy) {
      if (!"http".equalsIgnoreCase(proxy.getScheme()) || proxy.getHost() == null) {
        throw new IllegalArgumentException("not an http://host[:port] proxy: " + proxy);
      }
      String host = proxy.getHost();
      if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
      String userInfo = proxy.getUserInfo();
      String authorization =
          userInfo == null
              ? null
              : "Basic "
                  + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
      return new ProxyConfig(host, proxy.getPort() < 0 ? 1080 : proxy.getPort(), authorization);
    }
  }

  /** The key of {@link #addressOverrides} for {@code host} and {@code port}. */
  static String overrideKey(String host, int port) {
    return host.toLowerCase(Locale.ROOT) + ":" + port;
  }

  /** The PING timeout: as set, else the interval but at least 1 s; null without PINGs. */
  static Duration pingTimeout(Duration interval, Duration timeout) {
    if (timeout != null || interval == null) return timeout;
    return interval.compareTo(Duration.ofSeconds(1)) > 0 ? interval : Duration.ofSeconds(1);
  }

  /** The connect timeout as a socket timeout: at least 1 ms (0 would mean none). */
  int connectTimeoutMillis() {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
  }
}
