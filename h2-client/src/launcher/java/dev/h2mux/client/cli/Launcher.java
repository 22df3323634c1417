package dev.h2mux.client.cli;

import java.io.File;
import java.lang.reflect.InvocationTargetException;

/**
 * The entry point of {@code h2-client.jar}. It is compiled for Java 8, so that any Java can load
 * it, and checks the Java it runs on before it loads the client (compiled for Java 21): an older
 * Java then says in one line which Java is needed, which one it is, and how to run another, instead
 * of failing with an {@code UnsupportedClassVersionError}.
 */
public final class Launcher {
  /** The oldest Java the client runs on: it needs virtual threads. */
  static final int REQUIRED = 21;

  private Launcher() {}

  public static void main(String[] args) throws Throwable {
    String version = System.getProperty("java.specification.version", "");
    if (featureVersion(version) < REQUIRED) {
      System.err.println(
          "h2-client: needs Java "
              + REQUIRED
              + " or newer, but this is Java "
              + version
              + " ("
              + System.getProperty("java.home")
              + "); point JAVA_HOME at a JDK "
              + REQUIRED
              + "+ and run: \"$JAVA_HOME/bin/java\" -jar "
              + jarPath());
      System.exit(1);
    }
    // By name: this class must not link to classes newer than itself.
    try {
      Class.forName("dev.h2mux.client.cli.Main")
          .getMethod("main", String[].class)
          .invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** The feature release of a {@code java.specification.version}: "1.8" is 8, "17" is 17. */
  static int featureVersion(String specification) {
    String v = specification.startsWith("1.") ? specification.substring(2) : specification;
    int end = 0;
    while (end < v.length() && Character.isDigit(v.charAt(end))) end++;
    return end == 0 ? 0 : Integer.parseInt(v.substring(0, end));
  }

  /** This jar, as the user can type it again. */
  private static String jarPath() {
    try {
      File jar =
          new File(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      String cwd = new File("").getAbsolutePath() + File.separator;
      String path = jar.getPath();
      return path.startsWith(cwd) ? path.substring(cwd.length()) : path;
    } catch (Exception | LinkageError e) {
      return "h2-client.jar";
    }
  }
}
