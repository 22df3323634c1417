package dev.h2mux.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * A request body: where its bytes come from, whether they can be sent again. Bytes, a file and a
 * stream supplier can (a retry or a redirect sends them again); a {@link ClientRequest.BodyWriter}
 * writes once.
 */
sealed interface RequestBody {
  /** The length in bytes, or -1 if not known before it is written. */
  long length();

  /** Whether it can be written again, for a retry or a redirect. */
  boolean replayable();

  /** Writes the whole body to {@code out}; does not close it. */
  void writeTo(OutputStream out) throws IOException;

  /** Bytes in memory, sent with the head in one write. */
  record Bytes(byte[] bytes) implements RequestBody {
    @Override
    public long length() {
      return bytes.length;
    }

    @Override
    public boolean replayable() {
      return true;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      out.write(bytes);
    }
  }

  /** A file's content; its size was read when the request was built. */
  record File(Path file, long length) implements RequestBody {
    @Override
    public boolean replayable() {
      return true;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      try (InputStream in = Files.newInputStream(file)) {
        in.transferTo(out);
      }
    }
  }

  /** What a fresh stream from {@code source} yields, each time it is sent. */
  record Stream(Supplier<? extends InputStream> source, long length) implements RequestBody {
    @Override
    public boolean replayable() {
      return true;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      try (InputStream in = source.get()) {
        in.transferTo(out);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
  }

  /** What a {@link ClientRequest.BodyWriter} writes, once. */
  record Writer(ClientRequest.BodyWriter writer) implements RequestBody {
    @Override
    public long length() {
      return -1;
    }

    @Override
    public boolean replayable() {
      return false;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      writer.writeTo(out);
    }
  }
}
