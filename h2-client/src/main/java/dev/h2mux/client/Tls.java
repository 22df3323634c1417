package dev.h2mux.client;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/** TLS for {@code https://} origins: the context, SNI, host name verification and ALPN. */
final class Tls {
  private Tls() {}

  static SSLContext context(Http2Client.Settings settings) throws IOException {
    try {
      if (settings.insecure()) {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustAll()}, null);
        return context;
      }
      return settings.sslContext() != null ? settings.sslContext() : SSLContext.getDefault();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /**
   * Wraps a connected socket and runs the handshake.
   *
   * @param protocols the ALPN protocols to offer, most preferred first
   */
  static SSLSocket handshake(
      SSLContext context,
      Socket plain,
      Origin origin,
      boolean insecure,
      List<String> protocols,
      int timeoutMillis)
      throws IOException {
    SSLSocket socket =
        (SSLSocket)
            context.getSocketFactory().createSocket(plain, origin.host(), origin.port(), true);
    try {
      SSLParameters params = socket.getSSLParameters();
      params.setApplicationProtocols(protocols.toArray(String[]::new));
      if (!insecure) params.setEndpointIdentificationAlgorithm("HTTPS");
      if (!isIpLiteral(origin.host()))
        params.setServerNames(List.of(new SNIHostName(origin.host())));
      socket.setSSLParameters(params);
      socket.setSoTimeout(timeoutMillis);
      socket.startHandshake();
      socket.setSoTimeout(0);
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
  }

  /** Trusts every certificate and skips host name checks: the client's opt-in insecure mode. */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
