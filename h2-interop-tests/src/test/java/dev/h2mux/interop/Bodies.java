package dev.h2mux.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Deterministic test bodies and their checksums. */
final class Bodies {
  static final int KIB = 1024;
  static final int MIB = 1024 * 1024;

  private Bodies() {}

  /**
   * The byte at {@code index} of every generated body: a pattern no shorter body repeats by chance.
   */
  static byte at(long index) {
    return (byte) ((index * 31 + (index >>> 11)) % 251);
  }

  /** The first {@code length} bytes of the pattern. */
  static byte[] pattern(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = at(i);
    }
    return bytes;
  }

  /** Writes the first {@code length} bytes of the pattern to {@code out}, 16 KiB at a time. */
  static void writePattern(OutputStream out, long length) throws IOException {
    byte[] chunk = new byte[16 * KIB];
    long written = 0;
    while (written < length) {
      int n = (int) Math.min(chunk.length, length - written);
      for (int i = 0; i < n; i++) {
        chunk[i] = at(written + i);
      }
      out.write(chunk, 0, n);
      written += n;
    }
  }

  /** Writes the first {@code length} bytes of the pattern to a new file. */
  static Path patternFile(Path dir, String name, long length) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      writePattern(out, length);
    }
    return file;
  }

  static String sha256(byte[] bytes) {
    MessageDigest digest = digest();
    digest.update(bytes);
    return HexFormat.of().formatHex(digest.digest());
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return sha256(in);
    }
  }

  static String sha256(InputStream in) throws IOException {
    MessageDigest digest = digest();
    byte[] buffer = new byte[64 * KIB];
    for (int n; (n = in.read(buffer)) != -1; ) {
      digest.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The checksum of the first {@code length} bytes of the pattern. */
  static String patternSha256(long length) {
    MessageDigest digest = digest();
    byte[] chunk = new byte[16 * KIB];
    long done = 0;
    while (done < length) {
      int n = (int) Math.min(chunk.length, length - done);
      for (int i = 0; i < n; i++) {
        chunk[i] = at(done + i);
      }
      digest.update(chunk, 0, n);
      done += n;
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
