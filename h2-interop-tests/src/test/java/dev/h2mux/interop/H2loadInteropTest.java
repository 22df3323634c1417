package dev.h2mux.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.server.Http2Server;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The h2mux server under h2load (Debian package {@code nghttp2-client}). */
class H2loadInteropTest {
  private static final Pattern REQUESTS =
      Pattern.compile(
          "requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded, (\\d+) failed, (\\d+) errored, (\\d+) timeout");
  private static final Pattern STATUS_CODES =
      Pattern.compile("status codes: (\\d+) 2xx, (\\d+) 3xx, (\\d+) 4xx, (\\d+) 5xx");

  private static Http2Server server;
  @TempDir Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = H2muxServers.cleartext(new InteropHandler());
  }

  @AfterAll
  static void stopServer() {
    if (server != null) server.close();
  }

  /** 10 000 requests over 4 connections, 50 concurrent streams each: none may fail. */
  @Test
  void tenThousandRequestsFourConnectionsFiftyStreams() throws Exception {
    Path h2load = ExternalTool.require("h2load", "nghttp2-client");
    Processes.Result result =
        Processes.run(
            dir,
            Duration.ofSeconds(90),
            List.of(
                h2load.toString(),
                "-n",
                "10000",
                "-c",
                "4",
                "-m",
                "50",
                "-T",
                "30",
                "http://127.0.0.1:" + server.port() + "/"));

    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(result.stdout()).as(result.describe()).contains("Application protocol: h2c");
    Matcher requests = REQUESTS.matcher(result.stdout());
    assertThat(requests.find()).as(result.describe()).isTrue();
    assertThat(requests.group(1)).as("total").isEqualTo("10000");
    assertThat(requests.group(3)).as("done").isEqualTo("10000");
    assertThat(requests.group(4)).as("succeeded").isEqualTo("10000");
    assertThat(requests.group(5)).as("failed").isEqualTo("0");
    assertThat(requests.group(6)).as("errored").isEqualTo("0");
    assertThat(requests.group(7)).as("timeout").isEqualTo("0");
    Matcher codes = STATUS_CODES.matcher(result.stdout());
    assertThat(codes.find()).as(result.describe()).isTrue();
    assertThat(codes.group(1)).as("2xx").isEqualTo("10000");
  }
}
