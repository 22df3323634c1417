package dev.h2mux.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a server's certificate chain and private key from PEM files (RFC 7468) for {@link
 * TlsConfig#fromPem}: certificates through the JDK's X.509 factory, and an unencrypted key in
 * PKCS#8, PKCS#1 (RSA) or SEC 1 (EC) form; every failure says which file and why.
 */
final class PemFiles {
  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

  private PemFiles() {}

  /** The certificates in {@code file}, in order (the server's own first). */
  static Certificate[] readCertificates(Path file) throws IOException {
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

  /** The first private key in {@code file}, past any EC PARAMETERS block. */
  static PrivateKey readPrivateKey(Path file) throws IOException {
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
          case "RSA PRIVATE KEY" -> pkcs8(Pkcs8.fromRsaPkcs1(der), "RSA");
          case "EC PRIVATE KEY" -> pkcs8(Pkcs8.fromSec1(der), "EC");
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
}
