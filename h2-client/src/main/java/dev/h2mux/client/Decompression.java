package dev.h2mux.client;

import dev.h2mux.core.http1.Http1Syntax;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Decodes gzip and deflate response bodies (RFC 9110 §8.4.1) for {@link
 * Http2ClientBuilder#decompress}, through {@code java.util.zip}, as the body is read.
 */
final class Decompression {
  /** What a request asks for when decompression is on. */
  static final String ACCEPT = "gzip, deflate";

  private Decompression() {}

  /**
   * {@code response} with its body decoded, if its {@code content-encoding} lists only codings we
   * decode; otherwise {@code response} as it is. An empty body (HEAD, 304) decodes to nothing.
   */
  static ClientResponse decode(ClientResponse response) {
    if (response.status() == 204 || response.status() == 304) return response;
    List<String> codings = new ArrayList<>();
    for (String coding : Http1Syntax.listElements(response.headers(), "content-encoding")) {
      switch (coding) {
        case "identity" -> {}
        case "gzip", "x-gzip", "deflate" -> codings.add(coding);
        default -> {
          return response; // a coding we don't decode: the body goes out as it came
        }
      }
    }
    if (codings.isEmpty()) return response;
    return response.withBody(new DecodedBody(response.rawBody(), codings));
  }

  /**
   * Decodes on first read: the codings were applied in order, so they are undone from the last. At
   * the decoded end the raw body is read to its end too, so its stream or connection is freed
   * rather than cancelled.
   */
  private static final class DecodedBody extends InputStream {
    private final BodyStream raw;
    private final Source source;
    private final List<String> codings;
    private final List<Inflater> inflaters = new ArrayList<>();
    private InputStream decoded;
    private boolean ended;

    DecodedBody(BodyStream raw, List<String> codings) {
      this.raw = raw;
      this.source = new Source(raw);
      this.codings = codings;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (ended) return -1;
      try {
        if (decoded == null) decoded = open();
        int n = decoded == null ? -1 : decoded.read(b, off, len);
        if (n < 0) finish();
        return n;
      } catch (IOException | RuntimeException e) {
        close();
        if (e == source.failure || !(e instanceof IOException)) throw e;
        // the bytes came, but are not what their content-encoding says (truncated, corrupt)
        ZipException corrupt =
            new ZipException(
                "the response body is not valid "
                    + String.join(", ", codings)
                    + ": "
                    + e.getMessage());
        corrupt.initCause(e);
        throw corrupt;
      }
    }

    /** The decoding chain, or null if the body is empty (an empty body decodes to nothing). */
    private InputStream open() throws IOException {
      PushbackInputStream first = new PushbackInputStream(source, 1);
      int b = first.read();
      if (b < 0) return null;
      first.unread(b);
      InputStream in = first;
      for (int i = codings.size() - 1; i >= 0; i--) {
        in = codings.get(i).equals("deflate") ? inflate(in) : new GZIPInputStream(in, 8192);
      }
      return in;
    }

    /**
     * "deflate" is zlib (RFC 1950) around deflate data; some servers send the raw data (RFC 1951).
     * A zlib header's first byte names method 8 and its first two bytes are a multiple of 31.
     */
    private InputStream inflate(InputStream in) throws IOException {
      PushbackInputStream peek = new PushbackInputStream(in, 2);
      int b0 = peek.read();
      int b1 = b0 < 0 ? -1 : peek.read();
      if (b1 >= 0) peek.unread(b1);
      if (b0 >= 0) peek.unread(b0);
      boolean zlib = b1 >= 0 && (b0 & 0x0f) == 8 && ((b0 << 8) | b1) % 31 == 0;
      Inflater inflater = new Inflater(!zlib);
      inflaters.add(inflater);
      return new InflaterInputStream(peek, inflater, 8192);
    }

    private void finish() throws IOException {
      ended = true;
      byte[] rest = new byte[512];
      while (raw.read(rest) >= 0) {
        // bytes after the encoded data (padding after a gzip member): read, so the body ends
      }
      release();
    }

    @Override
    public int available() throws IOException {
      return decoded == null || ended ? 0 : decoded.available();
    }

    /** The raw body as the decoders read it; remembers its own failure, which is no decoding's. */
    private static final class Source extends FilterInputStream {
      IOException failure;

      Source(InputStream raw) {
        super(raw);
      }

      @Override
      public int read() throws IOException {
        try {
          return super.read();
        } catch (IOException e) {
          failure = e;
          throw e;
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return super.read(b, off, len);
        } catch (IOException e) {
          failure = e;
          throw e;
        }
      }
    }

    @Override
    public void close() {
      ended = true;
      release();
      raw.close(); // cancels the exchange unless the body already ended
    }

    /** Frees the decoders' native memory. */
    private void release() {
      if (decoded != null) {
        try {
          decoded.close(); // a GZIPInputStream ends its own inflater; the raw body closes last
        } catch (IOException ignored) {
          // closing the raw body cannot fail
        }
      }
      for (Inflater inflater : inflaters) inflater.end();
      inflaters.clear();
    }
  }
}
