package dev.h2mux.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The server's TLS identity, turned into an {@link SSLContext} once, when created. ALPN ({@code
 * h2}, {@code http/1.1}) is configured by the server per connection.
 *
 * <pre>{@code
 * Http2Server.builder().tls(TlsConfig.fromPem(Path.of("cert.pem"), Path.of("key.pem")))
 * }</pre>
 */
public final class TlsConfig {
  private static final char[] IN_MEMORY_PASSWORD = "h2mux".toCharArray();

  private final SSLContext sslContext;

  private TlsConfig(SSLContext sslContext) {
    this.sslContext = sslContext;
  }

  /**
   * Uses a ready context as is.
   *
   * @param sslContext an initialized context with the server's key managers
   * @return the identity
   */
  public static TlsConfig of(SSLContext sslContext) {
    return new TlsConfig(Objects.requireNonNull(sslContext, "sslContext"));
  }

  /**
   * Loads a PEM certificate chain (leaf first) and its unencrypted PEM private key: PKCS#8 ({@code
   * BEGIN PRIVATE KEY}, RSA, EC or EdDSA), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC 1 ({@code
   * BEGIN EC PRIVATE KEY}).
   *
   * @param certificateChain the PEM file of the certificates, the server's own first
   * @param privateKey the PEM file of the certificate's private key, unencrypted
   * @return the identity
   * @throws IOException if a file cannot be read or holds no usable certificate or key; the message
   *     says which file and why
   */
  public static TlsConfig fromPem(Path certificateChain, Path privateKey) throws IOException {
    Objects.requireNonNull(certificateChain, "certificateChain");
    Objects.requireNonNull(privateKey, "privateKey");
    Certificate[] chain = PemFiles.readCertificates(certificateChain);
    PrivateKey key = PemFiles.readPrivateKey(privateKey);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", key, IN_MEMORY_PASSWORD, chain);
      return new TlsConfig(context(store, IN_MEMORY_PASSWORD));
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "cannot use the key in "
              + privateKey
              + " with the certificates in "
              + certificateChain
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Loads a PKCS#12 keystore holding one private key entry with its certificate chain.
   *
   * @param keystore the PKCS#12 file
   * @param password the store and key password
   * @return the identity
   * @throws IOException if the file cannot be read, the password is wrong, or it holds no key
   */
  public static TlsConfig fromPkcs12(Path keystore, char[] password) throws IOException {
    Objects.requireNonNull(keystore, "keystore");
    Objects.requireNonNull(password, "password");
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      return new TlsConfig(context(store, password));
    } catch (GeneralSecurityException | IOException e) {
      throw new IOException("cannot load PKCS#12 keystore " + keystore + ": " + e.getMessage(), e);
    }
  }

  /**
   * The context connections are created from.
   *
   * @return the TLS context
   */
  public SSLContext sslContext() {
    return sslContext;
  }

  private static SSLContext context(KeyStore store, char[] password)
      throws GeneralSecurityException {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }
}
