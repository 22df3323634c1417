package dev.h2mux.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The executable jars under a Java older than 21 (the machine's default Java 17 here and on CI):
 * one line saying which Java is needed, instead of an UnsupportedClassVersionError; under this
 * build's Java they run.
 */
class LauncherTest {
  private static final Pattern SPECIFICATION =
      Pattern.compile("java\\.specification\\.version = (\\d+)(?:\\.(\\d+))?");

  @TempDir Path dir;

  private static Path jar(String module) {
    Path jar = Path.of("..", module, "target", module + ".jar").toAbsolutePath().normalize();
    assumeTrue(Files.isRegularFile(jar), jar + " is built by mvn package (mvn verify builds it)");
    return jar;
  }

  /** The feature version of a {@code java}, from its settings; 0 if it can't say. */
  private static int featureVersion(Path java, Path dir) {
    try {
      Processes.Result result =
          Processes.run(
              dir,
              Duration.ofSeconds(30),
              List.of(java.toString(), "-XshowSettings:properties", "-version"));
      Matcher m = SPECIFICATION.matcher(result.stderr());
      if (!m.find()) return 0;
      int first = Integer.parseInt(m.group(1));
      return first == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : first;
    } catch (IOException | InterruptedException | AssertionError e) {
      return 0;
    }
  }

  /** A java older than 21: the default /usr/bin/java, or one under /usr/lib/jvm. */
  private Path oldJava() throws IOException {
    List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/bin/java")));
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> homes = Files.list(jvms)) {
        homes.sorted().map(home -> home.resolve("bin/java")).forEach(candidates::add);
      }
    }
    for (Path java : candidates) {
      if (Files.isExecutable(java)) {
        int version = featureVersion(java, dir);
        if (version > 0 && version < 21) return java;
      }
    }
    assumeTrue(false, "no Java older than 21 found at /usr/bin/java or under /usr/lib/jvm");
    return null;
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2-server", "h2-client"})
  void anOldJavaIsToldInOneLineWhichJavaIsNeeded(String module) throws Exception {
    Path jar = jar(module);
    Path java = oldJava();
    Processes.Result result =
        Processes.run(
            dir, Duration.ofSeconds(30), List.of(java.toString(), "-jar", jar.toString()));

    assertThat(result.exitCode()).as(result.describe()).isEqualTo(1);
    assertThat(result.stdout()).as(result.describe()).isEmpty();
    assertThat(result.stderr().lines()).as(result.describe()).hasSize(1);
    assertThat(result.stderr())
        .startsWith(module + ": needs Java 21 or newer, but this is Java ")
        .contains("JAVA_HOME", jar.getFileName().toString())
        .doesNotContain("Exception", "Error");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2-server", "h2-client"})
  void thisBuildsJavaRunsTheRealMain(String module) throws Exception {
    Path jar = jar(module);
    String java = ProcessHandle.current().info().command().orElseThrow();
    Processes.Result result =
        Processes.run(dir, Duration.ofSeconds(30), List.of(java, "-jar", jar.toString(), "--help"));

    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(result.stdout()).as(result.describe()).startsWith("Usage: ");
  }
}
