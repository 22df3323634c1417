package dev.h2mux.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
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
    Certificate[] chain = readCertificates(certificateChain);
    PrivateKey key = readPrivateKey(privateKey);
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

  private static Certificate[] readCertificates(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    try {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(bytes));
      if (certs.isEmpty()) {
        throw new IOException("no certificate in " + file);
      }
      return certs.toArray(new Certificate[0]);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read certificates from " + file + ": " + e.getMessage(), e);
    }
  }

  private static PrivateKey readPrivateKey(Path file) throws IOException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    Matcher m = PEM_BLOCK.matcher(pem);
    while (m.find()) {
      String type = m.group(1);
      if (type.endsWith("PARAMETERS")) {
        continue; // "EC PARAMETERS" blocks may precede the key
      }
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(m.group(2));
      } catch (IllegalArgumentException e) {
        throw new IOException("invalid base64 in " + file);
      }
      try {
        return switch (type) {
          case "PRIVATE KEY" -> pkcs8(der, "RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");
          case "RSA PRIVATE KEY" -> pkcs8(Der.rsaPkcs1ToPkcs8(der), "RSA");
          case "EC PRIVATE KEY" -> pkcs8(Der.sec1ToPkcs8(der), "EC");
          case "ENCRYPTED PRIVATE KEY" ->
              throw new IOException(
                  "the private key in "
                      + file
                      + " is encrypted; decrypt it first "
                      + "(openssl pkcs8 -in key.pem -out plain.pem)");
          default ->
              throw new IOException(
                  "unsupported PEM block \""
                      + type
                      + "\" in "
                      + file
                      + "; expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY");
        };
      } catch (IllegalArgumentException e) {
        throw new IOException("malformed private key in " + file + ": " + e.getMessage(), e);
      }
    }
    throw new IOException("no PEM private key in " + file);
  }

  private static PrivateKey pkcs8(byte[] der, String... algorithms) throws IOException {
    for (String algorithm : algorithms) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IOException("not a " + String.join(", ", algorithms) + " private key");
  }

  /** Just enough DER to wrap PKCS#1 and SEC 1 keys in a PKCS#8 PrivateKeyInfo. */
  private static final class Der {
    private static final byte[] RSA_ALGORITHM = {
      0x30,
      0x0d,
      0x06,
      0x09,
      0x2a,
      (byte) 0x86,
      0x48,
      (byte) 0x86,
      (byte) 0xf7,
      0x0d,
      0x01,
      0x01,
      0x01,
      0x05,
      0x00
    };
    private static final byte[] EC_PUBLIC_KEY_OID = {
      0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
    };
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
      return tlv(0x30, VERSION_0, RSA_ALGORITHM, tlv(0x04, pkcs1));
    }

    /** SEC 1 ECPrivateKey: SEQUENCE { INTEGER 1, OCTET STRING, [0] curve OID, [1] BIT STRING }. */
    static byte[] sec1ToPkcs8(byte[] sec1) {
      int[] seq = header(sec1, 0, 0x30);
      int pos = seq[0];
      int end = seq[0] + seq[1];
      byte[] curve = null;
      while (pos < end) {
        int[] element = header(sec1, pos, -1);
        if ((sec1[pos] & 0xff) == 0xa0) {
          int[] oid = header(sec1, element[0], 0x06);
          curve = Arrays.copyOfRange(sec1, element[0], oid[0] + oid[1]);
        }
        pos = element[0] + element[1];
      }
      if (curve == null) {
        throw new IllegalArgumentException("EC key without named curve parameters");
      }
      return tlv(0x30, VERSION_0, tlv(0x30, EC_PUBLIC_KEY_OID, curve), tlv(0x04, sec1));
    }

    /** Returns {contentStart, contentLength} of the element at {@code pos}. */
    private static int[] header(byte[] der, int pos, int expectedTag) {
      if (pos + 2 > der.length || (expectedTag >= 0 && (der[pos] & 0xff) != expectedTag)) {
        throw new IllegalArgumentException("unexpected DER structure");
      }
      int len = der[pos + 1] & 0xff;
      int start = pos + 2;
      if (len >= 0x80) {
        int count = len & 0x7f;
        if (count == 0 || count > 3 || start + count > der.length) {
          throw new IllegalArgumentException("unsupported DER length");
        }
        len = 0;
        for (int i = 0; i < count; i++) {
          len = (len << 8) | (der[start++] & 0xff);
        }
      }
      if (start + len > der.length) {
        throw new IllegalArgumentException("truncated DER");
      }
      return new int[] {start, len};
    }

    private static byte[] tlv(int tag, byte[]... parts) {
      ByteArrayOutputStream content = new ByteArrayOutputStream();
      for (byte[] part : parts) {
        content.writeBytes(part);
      }
      int len = content.size();
      ByteArrayOutputStream out = new ByteArrayOutputStream(len + 6);
      out.write(tag);
      if (len < 0x80) {
        out.write(len);
      } else if (len < 0x100) {
        out.write(0x81);
        out.write(len);
      } else if (len < 0x10000) {
        out.write(0x82);
        out.write(len >> 8);
        out.write(len);
      } else {
        out.write(0x83);
        out.write(len >> 16);
        out.write(len >> 8);
        out.write(len);
      }
      out.writeBytes(content.toByteArray());
      return out.toByteArray();
    }
  }
}
