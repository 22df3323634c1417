package dev.h2mux.client.cli;

import dev.h2mux.client.cli.TransferErrors.WriteFailure;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a transfer's output goes: standard output, or a file that is created only when there is
 * something to write or the transfer succeeded, as curl does, so that a failed transfer (no
 * connection, or {@code -f} on an error status) leaves no empty file behind. Write failures are
 * {@link WriteFailure}s: exit code 23.
 */
final class OutputSink implements AutoCloseable {
  private final OutputStream stdout;
  private final Path file;
  private OutputStream out;

  /** Writes to {@code file}, or to {@code stdout} if it is null. */
  OutputSink(OutputStream stdout, Path file) {
    this.stdout = stdout;
    this.file = file;
  }

  void write(byte[] bytes, int offset, int length) throws WriteFailure {
    try {
      open().write(bytes, offset, length);
    } catch (IOException e) {
      throw e instanceof WriteFailure w ? w : new WriteFailure(e);
    }
  }

  void write(byte[] bytes) throws WriteFailure {
    write(bytes, 0, bytes.length);
  }

  /** Creates the file even if nothing was written: an empty body is an empty file. */
  void complete() throws WriteFailure {
    try {
      open().flush();
    } catch (IOException e) {
      throw e instanceof WriteFailure w ? w : new WriteFailure(e);
    }
  }

  private OutputStream open() throws WriteFailure {
    if (out == null) {
      try {
        out = file == null ? stdout : Files.newOutputStream(file);
      } catch (IOException e) {
        throw new WriteFailure(new IOException("cannot write " + file + ": " + e.getMessage(), e));
      }
    }
    return out;
  }

  /** Closes the file (never standard output, which is flushed). */
  @Override
  public void close() throws WriteFailure {
    if (out == null) return;
    try {
      if (file == null) out.flush();
      else out.close();
    } catch (IOException e) {
      throw new WriteFailure(e);
    }
  }
}
