package dev.h2mux.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An HTTP/1.x request body as the handler sees it: sends 100 Continue on the first read if the
 * client expects it (RFC 9110 §10.1.1) and the response has not begun, remembers whether the end
 * was reached and why reading failed, and leaves the connection open when closed.
 */
final class Http1RequestBody extends InputStream {
  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final OutputStream out;
  private final boolean expectContinue;
  private InputStream source;

  /** The response, once there is one: 100 Continue must not follow its head. */
  private Http1Response response;

  private boolean continueSent;
  private boolean atEnd;
  private IOException error;
  private boolean closed;

  /**
   * @param source the body as its framing delimits it
   * @param expectContinue true if the client waits for 100 Continue before it sends the body
   * @param out the connection's buffered output, for the 100 Continue
   */
  Http1RequestBody(InputStream source, boolean expectContinue, OutputStream out) {
    this.source = source;
    this.expectContinue = expectContinue;
    this.out = out;
  }

  void response(Http1Response response) {
    this.response = response;
  }

  /** True if the client waits for 100 Continue before sending the body. */
  boolean expectsContinue() {
    return expectContinue;
  }

  /** True once 100 Continue went out: ours, or the handler's own. */
  boolean continueSent() {
    return continueSent || (response != null && response.continueSent());
  }

  /** True if the client expects 100 Continue and has not had it: the body is not on its way. */
  boolean awaitingContinue() {
    return expectContinue && !continueSent();
  }

  /** True once a read reached the end of the body. */
  boolean atEnd() {
    return atEnd;
  }

  /** What a read of the body failed with, or null. */
  IOException error() {
    return error;
  }

  /** Puts bytes already read back in front of the rest. */
  void prepend(byte[] bytes) {
    source = new SequenceInputStream(new ByteArrayInputStream(bytes), source);
    atEnd = false;
  }

  /**
   * Reads and discards what the handler left of the body, so that the next request can be read.
   *
   * @return true if the end was reached within {@code limit} bytes
   */
  boolean discardRest(long limit) throws IOException {
    byte[] scratch = new byte[8192];
    for (long left = limit; left > 0; ) {
      int n = source.read(scratch, 0, (int) Math.min(scratch.length, left));
      if (n < 0) {
        return true;
      }
      left -= n;
    }
    return false;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("request body closed");
    }
    if (atEnd) {
      return -1;
    }
    if (awaitingContinue() && (response == null || !response.isCommitted())) {
      continueSent = true;
      out.write(CONTINUE);
      out.flush();
    }
    try {
      int n = source.read(b, off, len);
      if (n < 0) {
        atEnd = true;
      }
      return n;
    } catch (IOException e) {
      error = e;
      throw e;
    }
  }

  @Override
  public int available() throws IOException {
    return closed || atEnd ? 0 : source.available();
  }

  @Override
  public void close() {
    closed = true;
  }
}
