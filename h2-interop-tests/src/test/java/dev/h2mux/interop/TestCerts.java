package dev.h2mux.interop;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A self-signed EC certificate for {@code localhost} and {@code 127.0.0.1}, made once per test JVM
 * with the running JDK's keytool: as a PKCS#12 keystore (for servers) and as PEM (for curl), plus
 * an {@link SSLContext} that trusts exactly it (for Java clients).
 */
final class TestCerts {
  static final char[] PASSWORD = "interop".toCharArray();

  private static TestCerts instance;

  final Path dir;
  final Path pkcs12;
  final Path certificatePem;
  final KeyStore keyStore;
  final KeyStore trustStore;

  private TestCerts(Path dir) throws Exception {
    this.dir = dir;
    this.pkcs12 = dir.resolve("server.p12");
    this.certificatePem = dir.resolve("server.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    String password = new String(PASSWORD);
    check(
        Processes.run(
            dir,
            Duration.ofSeconds(60),
            List.of(
                keytool,
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "san=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                pkcs12.toString(),
                "-storepass",
                password,
                "-keypass",
                password)));
    check(
        Processes.run(
            dir,
            Duration.ofSeconds(60),
            List.of(
                keytool,
                "-exportcert",
                "-rfc",
                "-alias",
                "server",
                "-keystore",
                pkcs12.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                password,
                "-file",
                certificatePem.toString())));
    keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(pkcs12)) {
      keyStore.load(in, PASSWORD);
    }
    Certificate certificate = keyStore.getCertificate("server");
    trustStore = KeyStore.getInstance("PKCS12");
    trustStore.load(null, null);
    trustStore.setCertificateEntry("server", certificate);
  }

  /** The certificate, made on first use. */
  static synchronized TestCerts get() throws Exception {
    if (instance == null) {
      Path target = Path.of("target");
      Files.createDirectories(target);
      instance =
          new TestCerts(Files.createTempDirectory(target.toAbsolutePath(), "interop-certs-"));
    }
    return instance;
  }

  /** A client context that trusts only the test certificate. */
  SSLContext clientContext() throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trustManagerFactory().getTrustManagers(), null);
    return context;
  }

  TrustManagerFactory trustManagerFactory() throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trustStore);
    return tmf;
  }

  X509TrustManager trustManager() throws Exception {
    return (X509TrustManager) trustManagerFactory().getTrustManagers()[0];
  }

  private static void check(Processes.Result result) {
    if (result.exitCode() != 0) {
      throw new IllegalStateException("keytool failed: " + result.describe());
    }
  }
}
