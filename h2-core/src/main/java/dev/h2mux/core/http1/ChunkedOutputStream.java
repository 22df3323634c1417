package dev.h2mux.core.http1;

import dev.h2mux.core.HttpFields;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Encodes a chunked body (RFC 9112 §7.1). Small writes are gathered into chunks of up to the buffer
 * size; {@link #flush()} sends what is gathered as one chunk. {@link #finish(HttpFields)} (or
 * {@link #close()}) sends the last chunk and optional trailers and flushes; it does not close the
 * connection.
 */
public final class ChunkedOutputStream extends OutputStream {
  private static final byte[] CRLF = {'\r', '\n'};

  private final OutputStream out;
  private final byte[] buffer;
  private int count;
  private boolean finished;

  /**
   * Writes chunks of up to 8 KiB to {@code out}.
   *
   * @param out the connection's output, positioned after the head
   */
  public ChunkedOutputStream(OutputStream out) {
    this(out, 8192);
  }

  /**
   * Writes chunks of up to {@code bufferSize} bytes to {@code out}.
   *
   * @param out the connection's output, positioned after the head
   * @param bufferSize the largest chunk
   */
  public ChunkedOutputStream(OutputStream out, int bufferSize) {
    if (bufferSize < 1) {
      throw new IllegalArgumentException("bufferSize must be positive");
    }
    this.out = Objects.requireNonNull(out, "out");
    this.buffer = new byte[bufferSize];
  }

  @Override
  public void write(int b) throws IOException {
    ensureOpen();
    if (count == buffer.length) {
      writeBuffered();
    }
    buffer[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    ensureOpen();
    if (len == 0) {
      return;
    }
    if (count + len <= buffer.length) {
      System.arraycopy(b, off, buffer, count, len);
      count += len;
      return;
    }
    writeBuffered();
    if (len < buffer.length) {
      System.arraycopy(b, off, buffer, 0, len);
      count = len;
    } else {
      writeChunk(b, off, len);
    }
  }

  /** Sends the gathered bytes as a chunk and flushes the connection. */
  @Override
  public void flush() throws IOException {
    ensureOpen();
    writeBuffered();
    out.flush();
  }

  /**
   * Sends the gathered bytes, the last chunk, and the trailer section, then flushes.
   *
   * @param trailers trailer fields, or empty; names and values are checked like header fields
   * @throws IllegalArgumentException if a trailer name or value is not allowed on the wire
   * @throws IOException if writing fails
   */
  public void finish(HttpFields trailers) throws IOException {
    ensureOpen();
    byte[] trailerBytes = Http1HeadWriter.encodeFields(trailers);
    writeBuffered();
    finished = true;
    out.write('0');
    out.write(CRLF);
    out.write(trailerBytes);
    out.write(CRLF);
    out.flush();
  }

  /** {@return true once the last chunk was written} */
  public boolean isFinished() {
    return finished;
  }

  /** Finishes the body without trailers, unless already finished. */
  @Override
  public void close() throws IOException {
    if (!finished) {
      finish(HttpFields.empty());
    }
  }

  private void writeBuffered() throws IOException {
    if (count > 0) {
      writeChunk(buffer, 0, count);
      count = 0;
    }
  }

  private void writeChunk(byte[] b, int off, int len) throws IOException {
    out.write(Integer.toHexString(len).getBytes(StandardCharsets.US_ASCII));
    out.write(CRLF);
    out.write(b, off, len);
    out.write(CRLF);
  }

  private void ensureOpen() throws IOException {
    if (finished) {
      throw new IOException("chunked body already finished");
    }
  }
}
