package dev.h2mux.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** TLS for {@code https://} origins: the context, SNI, host name verification and ALPN. */
final class Tls {
  private Tls() {}

  static SSLContext context(ClientConfig settings) throws IOException {
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
   * A context that trusts exactly the certificates of a PEM file: each {@code -----BEGIN
   * CERTIFICATE-----} block, with any text between blocks ignored (CA bundles carry names and
   * comments there).
   *
   * @throws UncheckedIOException if the file can't be read
   * @throws IllegalArgumentException if it holds no certificate or a broken one
   */
  static SSLContext trusting(Path pemFile) {
    String pem;
    try {
      pem = Files.readString(pemFile, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pemFile + ": " + e.getMessage(), e);
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      int count = 0;
      for (int at = pem.indexOf(BEGIN); at >= 0; at = pem.indexOf(BEGIN, at)) {
        int end = pem.indexOf(END, at);
        if (end < 0) throw new IllegalArgumentException(pemFile + ": a certificate is not ended");
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(at + BEGIN.length(), end));
        Certificate certificate = factory.generateCertificate(new ByteArrayInputStream(der));
        store.setCertificateEntry("ca-" + count++, certificate);
        at = end + END.length();
      }
      if (count == 0) throw new IllegalArgumentException(pemFile + " holds no PEM certificate");
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(pemFile + ": " + e.getMessage(), e);
    }
  }

  private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
  private static final String END = "-----END CERTIFICATE-----";

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
      ConnectBudget budget)
      throws IOException {
    String step = "the TLS handshake with " + origin;
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
      socket.setSoTimeout(budget.remainingMillis(ConnectTimeoutException.Step.TLS_HANDSHAKE, step));
      try {
        socket.startHandshake();
      } catch (SocketTimeoutException e) {
        throw (ConnectTimeoutException)
            budget.exceeded(ConnectTimeoutException.Step.TLS_HANDSHAKE, step).initCause(e);
      }
      socket.setSoTimeout(0);
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Whether {@code host} is an IPv4 or IPv6 address rather than a name. */
  static boolean isIpLiteral(String host) {
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
