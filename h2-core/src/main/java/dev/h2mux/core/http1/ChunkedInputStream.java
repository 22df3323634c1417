package dev.h2mux.core.http1;

import dev.h2mux.core.HttpFields;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Set;

/**
 * Decodes a chunked body (RFC 9112 §7.1) from a connection, then exposes its trailers.
 *
 * <p>Chunk extensions are skipped, but the whole chunk-size line is bounded; a size of more than 60
 * bits, a missing CRLF after chunk data, or a bare CR/LF is an {@link Http1Exception} (400). The
 * trailer section is bounded too ({@link HeadTooLargeException}); framing fields that must not be
 * trailers (Content-Length, Transfer-Encoding, Host, Connection, TE, Trailer) are dropped. Closing
 * this stream does not close the connection.
 */
public final class ChunkedInputStream extends InputStream {
  private static final Set<String> DROPPED_TRAILERS =
      Set.of("content-length", "transfer-encoding", "host", "connection", "te", "trailer");

  private final InputStream in;
  private final int maxLineLength;
  private final int maxTrailerSize;
  private long chunkRemaining;
  private boolean started;
  private boolean done;
  private boolean closed;
  private HttpFields trailers = HttpFields.empty();

  /**
   * Reads a chunked body (RFC 9112 §7.1).
   *
   * @param in the connection's buffered input, positioned at the first chunk
   * @param maxLineLength the limit for a chunk-size line including extensions and CRLF
   * @param maxTrailerSize the limit for the trailer section including its final CRLF
   */
  public ChunkedInputStream(InputStream in, int maxLineLength, int maxTrailerSize) {
    this.in = Objects.requireNonNull(in, "in");
    if (maxLineLength < 8 || maxTrailerSize < 2) {
      throw new IllegalArgumentException("limits too small");
    }
    this.maxLineLength = maxLineLength;
    this.maxTrailerSize = maxTrailerSize;
  }

  /** {@return the trailer fields, frozen; empty until the last chunk was read, or if none} */
  public HttpFields trailers() {
    return trailers;
  }

  /** {@return true once the last chunk and the trailer section were read} */
  public boolean isComplete() {
    return done;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("body stream closed");
    }
    if (done) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    if (chunkRemaining == 0) {
      if (started) {
        expectCrlf();
      }
      started = true;
      chunkRemaining = readChunkSize();
      if (chunkRemaining == 0) {
        HttpFields fields = Http1Parser.readTrailers(in, maxTrailerSize);
        for (String name : DROPPED_TRAILERS) {
          fields.remove(name);
        }
        trailers = fields.freeze();
        done = true;
        return -1;
      }
    }
    int n = in.read(b, off, (int) Math.min(len, chunkRemaining));
    if (n < 0) {
      throw new EOFException("connection ended within a chunk");
    }
    chunkRemaining -= n;
    return n;
  }

  @Override
  public int available() throws IOException {
    return closed || done ? 0 : (int) Math.min(in.available(), chunkRemaining);
  }

  /** Marks this stream closed; the connection stays open. */
  @Override
  public void close() {
    closed = true;
  }

  private void expectCrlf() throws IOException {
    int cr = in.read();
    int lf = cr < 0 ? -1 : in.read();
    if (lf < 0) {
      throw new EOFException("connection ended after chunk data");
    }
    if (cr != '\r' || lf != '\n') {
      throw new Http1Exception(400, "chunk data not followed by CRLF");
    }
  }

  private long readChunkSize() throws IOException {
    String line =
        Http1Parser.readLine(
            in,
            maxLineLength,
            () -> new Http1Exception(400, "chunk-size line longer than " + maxLineLength));
    long size = 0;
    int i = 0;
    for (; i < line.length(); i++) {
      int digit = hexDigit(line.charAt(i));
      if (digit < 0) {
        break;
      }
      if (size >= 1L << 56) {
        throw new Http1Exception(400, "chunk size too large");
      }
      size = (size << 4) | digit;
    }
    if (i == 0) {
      throw new Http1Exception(400, "malformed chunk size");
    }
    String rest = Http1Syntax.trimOws(line.substring(i));
    if (!rest.isEmpty() && (rest.charAt(0) != ';' || !Http1Syntax.isFieldValue(rest))) {
      throw new Http1Exception(400, "malformed chunk extension");
    }
    return size;
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
}
