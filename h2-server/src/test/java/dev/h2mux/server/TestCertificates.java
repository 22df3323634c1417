package dev.h2mux.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Self-signed certificates made at test time with the JDK's keytool (and openssl, if present). */
final class TestCertificates {
  static final char[] PASSWORD = "changeit".toCharArray();

  final Path pkcs12;
  final Path certPem;
  final Path keyPem;

  private TestCertificates(Path pkcs12, Path certPem, Path keyPem) {
    this.pkcs12 = pkcs12;
    this.certPem = certPem;
    this.keyPem = keyPem;
  }

  /** Creates a keystore for CN=localhost (SAN 127.0.0.1, localhost) plus PEM exports of it. */
  static TestCertificates create(Path dir, String keyAlgorithm) throws Exception {
    Path store = dir.resolve("server-" + keyAlgorithm + ".p12");
    List<String> keySpec =
        keyAlgorithm.equals("EC")
            ? List.of("-keyalg", "EC", "-groupname", "secp256r1")
            : List.of("-keyalg", "RSA", "-keysize", "2048");
    run(
        concat(
            List.of(
                keytool(),
                "-genkeypair",
                "-alias",
                "server",
                "-dname",
                "CN=localhost",
                "-ext",
                "san=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit"),
            keySpec));
    Path cert = dir.resolve("cert-" + keyAlgorithm + ".pem");
    run(
        List.of(
            keytool(),
            "-exportcert",
            "-rfc",
            "-alias",
            "server",
            "-keystore",
            store.toString(),
            "-storepass",
            "changeit",
            "-file",
            cert.toString()));
    // PKCS#8 PEM straight from the keystore's key.
    KeyStore ks = load(store);
    Key key = ks.getKey("server", PASSWORD);
    Path keyPem = dir.resolve("key-" + keyAlgorithm + ".pem");
    Files.writeString(
        keyPem,
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    return new TestCertificates(store, cert, keyPem);
  }

  /**
   * Converts the PKCS#8 key to the traditional form ("RSA PRIVATE KEY" / "EC PRIVATE KEY") with
   * openssl; returns null if openssl is not installed.
   */
  Path traditionalKey(Path dir) throws Exception {
    Path openssl = Path.of("/usr/bin/openssl");
    if (!Files.isExecutable(openssl)) {
      return null;
    }
    Path out = dir.resolve("traditional-" + keyPem.getFileName());
    run(
        List.of(
            openssl.toString(),
            "pkey",
            "-in",
            keyPem.toString(),
            "-traditional",
            "-out",
            out.toString()));
    return out;
  }

  /** A client context that trusts exactly this certificate. */
  SSLContext clientContext() throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(load(pkcs12));
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  private static KeyStore load(Path store) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, PASSWORD);
    }
    return ks;
  }

  private static String keytool() {
    return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("command failed: " + command + "\n" + output);
    }
  }
}
