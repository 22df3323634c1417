package dev.h2mux.client.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the CLI (in this JVM or as its own process) and curl, and keeps what each left. */
final class CliRun {
  private static final long TIMEOUT_SECONDS = 60;

  private CliRun() {}

  /** Exit code, standard output and standard error of one run. */
  record Result(int code, byte[] stdout, String err) {
    String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    /**
     * The messages on standard error, the lines that start with the program's name (curl or
     * h2-client), which is replaced by {@code PROG}; without curl's progress meter.
     */
    String errAsProg() {
      StringBuilder sb = new StringBuilder();
      err.lines()
          .map(l -> l.replaceFirst("^.*?(curl|h2-client): ", "PROG: "))
          .filter(l -> l.startsWith("PROG: "))
          .forEach(l -> sb.append(l).append('\n'));
      return sb.toString();
    }

    String describe() {
      return "exit " + code + "\n--- stdout ---\n" + out() + "\n--- stderr ---\n" + err;
    }
  }

  /** The CLI through its testable entry point, with an empty standard input. */
  static Result ours(String... args) {
    return oursWithStdin("", args);
  }

  /** The CLI through its testable entry point, with {@code stdin} as standard input. */
  static Result oursWithStdin(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    int code =
        Main.run(
            args,
            in,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false,
            null);
    return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
  }

  /** The CLI's {@code main} in its own JVM, in {@code dir}: the real exit status and directory. */
  static Result oursProcess(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    return run(dir, command);
  }

  /** curl with {@code args} in {@code dir}; skips the test if curl is missing (fails on CI). */
  static Result curl(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(curlPath().toString());
    command.addAll(List.of(args));
    return run(dir, command);
  }

  static Path curlPath() {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (entry.isEmpty()) continue;
      Path candidate = Path.of(entry, "curl");
      if (Files.isExecutable(candidate)) return candidate;
    }
    String message = "curl not found on PATH; install it with: apt-get install curl";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(message + " (CI=true: no skipping)");
    Assumptions.abort(message);
    return null;
  }

  private static Result run(Path dir, List<String> command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("cli-stdout-", ".bin");
    Path err = Files.createTempFile("cli-stderr-", ".txt");
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        fail(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      return new Result(
          process.exitValue(),
          Files.readAllBytes(out),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
