package dev.h2mux.server.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionsTest {
  @TempDir Path dir;

  @Test
  void defaults() throws Exception {
    Options options = Options.parse();
    assertThat(options.host()).isEqualTo(InetAddress.getByName("127.0.0.1"));
    assertThat(options.port()).isEqualTo(8080);
    assertThat(options.dir()).isNull();
    assertThat(options.tls()).isFalse();
    assertThat(options.http2Only()).isFalse();
    assertThat(options.gracefulTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(options.help()).isFalse();
  }

  @Test
  void http2OnlyAndGracefulTimeout() throws Exception {
    Options options = Options.parse("--h2-only", "--graceful-timeout", "5");
    assertThat(options.http2Only()).isTrue();
    assertThat(options.gracefulTimeout()).isEqualTo(java.time.Duration.ofSeconds(5));
    assertThat(Options.parse("--graceful-timeout=0").gracefulTimeout()).isZero();
  }

  @Test
  void everyFlagInBothForms() throws Exception {
    Path cert = Files.writeString(dir.resolve("c.pem"), "x");
    Path key = Files.writeString(dir.resolve("k.pem"), "x");
    Options options =
        Options.parse(
            "--host",
            "::1",
            "--port=0",
            "--dir",
            dir.toString(),
            "--tls-cert",
            cert.toString(),
            "--tls-key=" + key);
    assertThat(options.host()).isEqualTo(InetAddress.getByName("::1"));
    assertThat(options.port()).isZero();
    assertThat(options.dir()).isEqualTo(dir);
    assertThat(options.tlsCert()).isEqualTo(cert);
    assertThat(options.tlsKey()).isEqualTo(key);
    assertThat(options.tls()).isTrue();
  }

  @Test
  void helpWinsAndDocumentsEveryFlag() throws Exception {
    assertThat(Options.parse("--port", "nope", "--help").help()).isTrue();
    assertThat(Options.parse("--help", "--port", "nope").help()).isTrue();
    assertThat(Options.USAGE)
        .contains(
            "--host",
            "--port",
            "--dir",
            "--tls-cert",
            "--tls-key",
            "--h2-only",
            "--graceful-timeout",
            "--help");
  }

  private void rejected(String message, String... args) {
    assertThatThrownBy(() -> Options.parse(args))
        .isInstanceOf(Options.UsageException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void errors() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x");
    rejected("unknown option --verbose", "--verbose");
    rejected("unknown option extra", "extra");
    rejected("--port needs a value", "--port");
    rejected("--port must be a number", "--port", "http");
    rejected("--port must be a number", "--port", "-1");
    rejected("--port must be a number", "--port", "65536");
    rejected("--port must be a number", "--port", "99999999999");
    rejected("--port must be a number", "--port=");
    rejected("--dir", "--dir", dir.resolve("missing").toString());
    rejected("not a readable directory", "--dir", file.toString());
    rejected("--tls-cert and --tls-key go together", "--tls-cert", file.toString());
    rejected(
        "--tls-key", "--tls-cert", file.toString(), "--tls-key", dir.resolve("nokey").toString());
    rejected("cannot resolve --host", "--host", "no such host.invalid");
    rejected("--graceful-timeout must be a number of seconds", "--graceful-timeout", "-1");
    rejected("--graceful-timeout must be a number of seconds", "--graceful-timeout", "3601");
    rejected("--graceful-timeout must be a number of seconds", "--graceful-timeout", "1.5");
    rejected("--graceful-timeout must be a number of seconds", "--graceful-timeout=");
    rejected("--graceful-timeout needs a value", "--graceful-timeout");
  }
}
