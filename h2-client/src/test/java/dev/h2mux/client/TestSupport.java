package dev.h2mux.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Helpers shared by the client tests. */
final class TestSupport {
  private TestSupport() {}

  /** Polls {@code condition} until it holds; fails the test after {@code timeout}. */
  static void awaitCondition(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      LockSupport.parkNanos(5_000_000);
    }
  }

  /** Names of live threads, virtual ones included (from a JSON thread dump). */
  static Set<String> liveThreadNames() throws IOException {
    Set<String> names = new HashSet<>();
    Thread.getAllStackTraces().keySet().forEach(t -> names.add(t.getName()));
    Path dump = Files.createTempFile("threads", ".json");
    Files.delete(dump);
    try {
      // Reflection: the tests compile inside the client module, which doesn't read jdk.management.
      Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
      Class<?> beanType = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
      Object bean = factory.getMethod("getPlatformMXBean", Class.class).invoke(null, beanType);
      @SuppressWarnings({"unchecked", "rawtypes"})
      Class<Enum> format =
          (Class<Enum>)
              Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
      @SuppressWarnings("unchecked")
      Object json = Enum.valueOf(format, "JSON");
      beanType.getMethod("dumpThreads", String.class, format).invoke(bean, dump.toString(), json);
      for (String line : Files.readAllLines(dump)) {
        int at = line.indexOf("\"name\": \"");
        if (at >= 0) {
          String rest = line.substring(at + 9);
          names.add(rest.substring(0, rest.indexOf('"')));
        }
      }
    } catch (ReflectiveOperationException e) {
      throw new IOException("thread dump failed", e);
    } finally {
      Files.deleteIfExists(dump);
    }
    return names;
  }

  /** Threads whose names start with {@code prefix}. */
  static List<String> threadsNamed(String prefix) throws IOException {
    return liveThreadNames().stream().filter(n -> n.startsWith(prefix)).sorted().toList();
  }

  /** TCP sockets of this process connected to {@code remotePort} on loopback (Linux /proc). */
  static int socketsTo(int remotePort) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.collect(Collectors.toList())) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) inodes.add(target.substring(8, target.length() - 1));
        } catch (IOException e) {
          // the fd closed meanwhile
        }
      }
    }
    int count = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(table);
      if (!Files.exists(p)) continue;
      for (String line : Files.readAllLines(p)) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10 || !f[2].contains(":")) continue;
        int rem = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
        if (rem == remotePort && inodes.contains(f[9])) count++;
      }
    }
    return count;
  }

  /** A deterministic byte pattern: byte i of a stream is {@code (i * 31 + i / 4096) & 0xff}. */
  static byte patternByte(long i) {
    return (byte) (i * 31 + i / 4096);
  }

  /** A stream of {@code length} pattern bytes, generated as read. */
  static java.io.InputStream patternStream(long length) {
    return new java.io.InputStream() {
      long pos;

      @Override
      public int read() {
        return pos < length ? patternByte(pos++) & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= length) return -1;
        int n = (int) Math.min(len, length - pos);
        for (int i = 0; i < n; i++) b[off + i] = patternByte(pos++);
        return n;
      }
    };
  }

  static String sha256(java.io.InputStream in) throws IOException {
    try {
      var digest = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) >= 0; ) digest.update(buffer, 0, n);
      return java.util.HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
