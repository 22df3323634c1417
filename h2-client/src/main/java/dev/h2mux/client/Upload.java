package dev.h2mux.client;

import dev.h2mux.core.engine.StreamResetException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A request body sent on its own virtual thread while the caller waits for the response and then
 * reads it: full duplex. A server that answers while the body still arrives (an echo, gRPC, a
 * proxy) stops reading once its answer backs up; a client that read no answer until its body was
 * sent would wait for it forever.
 *
 * <p>A failure is told apart by where it happened. If the body's own source fails (its writer
 * throws, its file can't be read, it is longer or shorter than its declared length), that is the
 * caller's to hear: it is kept as a {@link RequestBodyException}, the exchange is cut so the server
 * learns the body is incomplete, and the caller gets it from {@code send} or from the response
 * body. If the stream or connection underneath fails, the caller sees that on its own side; the
 * upload just ends, cutting the exchange only where nothing else would end it.
 */
final class Upload {
  /** Ends a body written whole: END_STREAM or trailers, the last chunk, the final flush. */
  @FunctionalInterface
  interface Finish {
    void finish() throws IOException;
  }

  private final Sink sink;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile IOException cause;
  private volatile boolean succeeded;

  private Upload(OutputStream out, long declaredLength) {
    this.sink = new Sink(out, declaredLength);
  }

  /**
   * Starts sending {@code request}'s body to {@code out} on a virtual thread of {@code client}.
   *
   * @param declaredLength the length the request announced, or -1; the body must match it
   * @param finish run after the whole body was written
   * @param cut cuts the exchange: resets the stream or closes the connection
   * @param cutOnTransportFailure whether a failure of {@code out} also needs {@link #cut}: an
   *     HTTP/2 stream waiting for credit does, an HTTP/1.1 connection whose response may still be
   *     arriving must not
   */
  static Upload start(
      Http2Client client,
      ClientRequest request,
      OutputStream out,
      long declaredLength,
      Finish finish,
      Runnable cut,
      boolean cutOnTransportFailure,
      Exchange exchange) {
    Upload upload = new Upload(out, declaredLength);
    exchange.uploading(upload);
    client
        .newThread("upload", () -> upload.run(request, finish, cut, cutOnTransportFailure))
        .start();
    return upload;
  }

  private void run(ClientRequest request, Finish finish, Runnable cut, boolean cutOnTransport) {
    try {
      request.writeBody(sink);
      sink.checkComplete();
      sink.underlying(finish);
      succeeded = true;
    } catch (Throwable e) {
      if (sink.stopped) {
        // the exchange no longer wants the body
      } else if (sink.transportFailure == null) {
        cause = new RequestBodyException("the request body failed: " + e.getMessage(), e);
        cut.run();
      } else if (cutOnTransport && !(sink.transportFailure instanceof StreamResetException)) {
        cause = sink.transportFailure; // a credit timeout: the stream itself is still open
        cut.run();
      }
      if (e instanceof Error error) throw error;
    } finally {
      ended.countDown();
    }
  }

  /** True once the upload ended, whether it succeeded or not. */
  boolean isDone() {
    return ended.getCount() == 0;
  }

  /** True if the whole body was sent and ended. */
  boolean succeeded() {
    return succeeded;
  }

  /** The failure for which the upload cut the exchange, or null (see the class comment). */
  IOException cause() {
    return cause;
  }

  long bytesSent() {
    return sink.sent;
  }

  /** Sends no more: the next write ends the upload quietly (the server wants no more). */
  void stop() {
    sink.stopped = true;
  }

  /**
   * Waits until the upload ended.
   *
   * @throws IOException the failure for which it cut the exchange
   */
  void awaitEnd() throws IOException {
    try {
      ended.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for the request body to be sent");
    }
    if (cause != null) throw cause;
  }

  /** Waits up to {@code millis} for the upload to end; true if it did. */
  boolean awaitEnd(long millis) throws InterruptedIOException {
    try {
      return ended.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for the request body to be sent");
    }
  }

  /**
   * What the body is written to: counts bytes, holds the body to its declared length, and notes
   * which failures came from the stream or connection beneath rather than from the body's source.
   */
  private static final class Sink extends OutputStream {
    private final OutputStream out;
    private final long declaredLength;
    volatile long sent;
    volatile boolean stopped;
    volatile IOException transportFailure;

    Sink(OutputStream out, long declaredLength) {
      this.out = out;
      this.declaredLength = declaredLength;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (declaredLength >= 0 && sent + len > declaredLength) {
        throw new IOException("the body is longer than its declared length " + declaredLength);
      }
      underlying(() -> out.write(b, off, len));
      sent += len; // the upload thread only
    }

    @Override
    public void flush() throws IOException {
      underlying(out::flush);
    }

    void checkComplete() throws IOException {
      if (declaredLength >= 0 && sent != declaredLength) {
        throw new IOException(
            "the body ended after " + sent + " of its declared " + declaredLength + " bytes");
      }
    }

    void underlying(Finish step) throws IOException {
      if (stopped) throw new IOException("the exchange wants no more of the body");
      try {
        step.finish();
      } catch (IOException | RuntimeException e) {
        IOException io = e instanceof IOException i ? i : new IOException(e);
        if (transportFailure == null) transportFailure = io;
        throw io;
      }
    }
  }
}
