package dev.h2mux.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Reads a JSON document with Python's strict {@code json} module (Debian package {@code python3}),
 * a parser that is not ours: it fails on anything RFC 8259 does not allow, such as a raw control
 * character in a string. An expression over the document {@code d} gives what the test compares, as
 * JSON with every non-ASCII character escaped.
 */
final class PythonJson {
  private static final String SCRIPT =
      "import json,sys\n"
          + "d = json.load(open(sys.argv[1], encoding='utf-8', errors='strict'))\n"
          + "print(json.dumps(eval(sys.argv[2]), ensure_ascii=True))\n";

  private PythonJson() {}

  /**
   * Evaluates {@code expression} over the document in {@code file}, such as {@code
   * d['headers'][0]}.
   *
   * @return the value as ASCII JSON, such as {@code [":method", "GET"]}
   */
  static String eval(Path file, String expression) throws Exception {
    Path python = ExternalTool.require("python3", "python3");
    Processes.Result result =
        Processes.run(
            file.getParent(),
            Duration.ofSeconds(30),
            List.of(python.toString(), "-c", SCRIPT, file.toString(), expression));
    assertThat(result.exitCode()).as("not JSON, or no such value: " + result.describe()).isZero();
    return result.stdout().strip();
  }
}
