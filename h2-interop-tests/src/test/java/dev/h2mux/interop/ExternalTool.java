package dev.h2mux.interop;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds an external program (curl, nghttp, h2load, nghttpd) on the PATH.
 *
 * <p>Where it is missing the calling test is skipped, with a message naming the Debian package that
 * provides it; but with the environment variable {@code CI=true} nothing may be skipped, so a
 * missing program fails the test instead.
 */
final class ExternalTool {
  private ExternalTool() {}

  /**
   * Returns the path of {@code program}, or skips (fails when {@code CI=true}) the test.
   *
   * @param program the executable's name, such as {@code h2load}
   * @param debianPackage the Debian package that installs it, such as {@code nghttp2-client}
   */
  static Path require(String program, String debianPackage) {
    Path found = find(program);
    if (found == null) {
      String message =
          program + " not found on PATH; install it with: apt-get install " + debianPackage;
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message + " (CI=true: interop tests may not be skipped)");
      }
      assumeTrue(false, message);
    }
    return found;
  }

  /** The first executable named {@code program} in a PATH directory, or null. */
  static Path find(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
