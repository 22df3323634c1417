package dev.h2mux.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program to completion with a timeout. Its output goes to files (never to a pipe
 * that nobody drains), and the process is destroyed in {@code finally} whatever happens.
 */
final class Processes {
  private Processes() {}

  /** What a finished program left: exit code, stdout as a file and as text, stderr as text. */
  record Result(List<String> command, int exitCode, Path stdoutFile, String stdout, String stderr) {
    /** Both outputs, for assertion messages. */
    String describe() {
      return String.join(" ", command)
          + "\nexit code "
          + exitCode
          + "\n--- stdout (first 4000 chars) ---\n"
          + head(stdout)
          + "\n--- stderr (first 4000 chars) ---\n"
          + head(stderr);
    }

    private static String head(String s) {
      return s.length() <= 4000 ? s : s.substring(0, 4000) + "...";
    }
  }

  /**
   * Runs {@code command} in {@code workDir}, waits up to {@code timeout}.
   *
   * @throws AssertionError if it did not finish in time (it is destroyed first)
   */
  static Result run(Path workDir, Duration timeout, List<String> command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(workDir, "stdout-", ".bin");
    Path err = Files.createTempFile(workDir, "stderr-", ".txt");
    Process process =
        new ProcessBuilder(new ArrayList<>(command))
            .directory(workDir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            String.join(" ", command)
                + " did not finish within "
                + timeout
                + "\n--- stderr ---\n"
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      long size = Files.size(out);
      // Large binary outputs are compared by checksum; only keep text of small ones.
      String stdout =
          size <= 8 << 20
              ? Files.readString(out, StandardCharsets.ISO_8859_1)
              : "<" + size + " bytes>";
      return new Result(
          List.copyOf(command),
          process.exitValue(),
          out,
          stdout,
          Files.readString(err, StandardCharsets.ISO_8859_1));
    } finally {
      destroy(process);
    }
  }

  /** Destroys {@code process} (and its children), forcibly if it does not end within 5 seconds. */
  static void destroy(Process process) throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
