package dev.h2mux.core.launcher;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * The entry point of the executable jars ({@code h2-server.jar}, {@code h2-client.jar}). It is
 * compiled for Java 8, so that any Java can load it, and checks the Java it runs on before it loads
 * the program (compiled for Java 21): an older Java then says in one line which Java is needed,
 * which one it is, and how to run another, instead of failing with an {@code
 * UnsupportedClassVersionError}.
 *
 * <p>Which program it starts, and the name it speaks as, come from its jar's manifest ({@value
 * #MAIN_CLASS}, {@value #PROGRAM}), so both jars share this one class.
 */
public final class Launcher {
  /** The oldest Java h2mux runs on: it needs virtual threads. */
  static final int REQUIRED = 21;

  /** The manifest attribute naming the class whose {@code main} to run. */
  static final String MAIN_CLASS = "H2mux-Main-Class";

  /** The manifest attribute naming the program in messages, such as {@code h2-server}. */
  static final String PROGRAM = "H2mux-Program";

  private Launcher() {}

  public static void main(String[] args) throws Throwable {
    File jar = jarFile();
    Attributes manifest = manifest(jar);
    String program = value(manifest, PROGRAM, "h2mux");
    String version = System.getProperty("java.specification.version", "");
    if (featureVersion(version) < REQUIRED) {
      System.err.println(
          program
              + ": needs Java "
              + REQUIRED
              + " or newer, but this is Java "
              + version
              + " ("
              + System.getProperty("java.home")
              + "); point JAVA_HOME at a JDK "
              + REQUIRED
              + "+ and run: \"$JAVA_HOME/bin/java\" -jar "
              + typed(jar, program + ".jar"));
      System.exit(1);
    }
    String mainClass = value(manifest, MAIN_CLASS, null);
    if (mainClass == null) {
      System.err.println(program + ": the jar's manifest names no " + MAIN_CLASS);
      System.exit(1);
    }
    // By name: this class must not link to classes newer than itself.
    try {
      Class.forName(mainClass).getMethod("main", String[].class).invoke(null, (Object) args);
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

  /** The jar this class was loaded from, or null if it was not loaded from a jar. */
  private static File jarFile() {
    try {
      File file =
          new File(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return file.isFile() ? file : null;
    } catch (Exception | LinkageError e) {
      return null;
    }
  }

  private static Attributes manifest(File jar) {
    if (jar == null) return null;
    try (JarFile file = new JarFile(jar)) {
      return file.getManifest() == null ? null : file.getManifest().getMainAttributes();
    } catch (Exception e) {
      return null;
    }
  }

  private static String value(Attributes manifest, String name, String otherwise) {
    String value = manifest == null ? null : manifest.getValue(name);
    return value == null || value.isEmpty() ? otherwise : value;
  }

  /** The jar's path as the user can type it again: relative to the working directory if inside. */
  private static String typed(File jar, String otherwise) {
    if (jar == null) return otherwise;
    String cwd = new File("").getAbsolutePath() + File.separator;
    String path = jar.getPath();
    return path.startsWith(cwd) ? path.substring(cwd.length()) : path;
  }
}
