package dev.h2mux.core.engine;

import static dev.h2mux.core.frame.ErrorCode.PROTOCOL_ERROR;
import static dev.h2mux.core.frame.Http2Exception.connectionError;

import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameReader;
import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.frame.Http2Exception;
import dev.h2mux.core.io.PeekableInputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Reads the start of a connection — the client preface (server side) and the peer's first frame —
 * under one deadline for all of it, so a silent peer, or one that trickles a byte at a time (each
 * read well within any socket timeout), is closed when it runs out (h2o and nghttpd allow 10 s).
 */
final class Handshake {
  /** Sets the socket's read timeout. */
  @FunctionalInterface
  interface ReadTimeout {
    void set(long millis) throws IOException;
  }

  /** What is waited for before the first frame is read: a SETTINGS frame is a few dozen bytes. */
  private static final int FIRST_FRAME_WAITED_FOR = 4096;

  private final PeekableInputStream in;
  private final ReadTimeout readTimeout;
  private final long deadline;

  private Handshake(PeekableInputStream in, ReadTimeout readTimeout, Duration timeout) {
    this.in = in;
    this.readTimeout = readTimeout;
    this.deadline = System.nanoTime() + timeout.toNanos();
  }

  /**
   * Returns the peer's first frame, after checking the client preface if {@code server}; null if
   * the timeout ran out first.
   *
   * @throws Http2Exception PROTOCOL_ERROR for a wrong preface (at its first wrong byte) or an end
   *     of the stream before the first frame
   */
  static Frame read(
      PeekableInputStream in,
      FrameReader reader,
      boolean server,
      Duration timeout,
      ReadTimeout readTimeout)
      throws IOException {
    return new Handshake(in, readTimeout, timeout).read(reader, server);
  }

  private Frame read(FrameReader reader, boolean server) throws IOException {
    try {
      if (server) {
        for (int i = 0; i < FrameReader.PREFACE.length; i++) {
          if (!awaitBuffered(i + 1) || in.peek(i) != (FrameReader.PREFACE[i] & 0xff)) {
            throw connectionError(PROTOCOL_ERROR, "invalid connection preface");
          }
        }
        reader.readPreface();
      }
      if (awaitBuffered(FrameType.HEADER_LENGTH)) {
        int length = in.peek(0) << 16 | in.peek(1) << 8 | in.peek(2);
        // Longer than this, the rest gets the time left for each read.
        awaitBuffered(Math.min(FrameType.HEADER_LENGTH + length, FIRST_FRAME_WAITED_FOR));
      }
      readTimeout.set(millisLeft());
      Frame first = reader.readFrame();
      if (first == null) {
        throw connectionError(PROTOCOL_ERROR, "the preface must start with SETTINGS, got nothing");
      }
      return first;
    } catch (SocketTimeoutException e) {
      return null;
    } catch (Http2Exception e) {
      throw e;
    } catch (IOException e) {
      if (e.getCause() instanceof SocketTimeoutException) return null; // stalled inside the frame
      throw e;
    }
  }

  private long millisLeft() throws SocketTimeoutException {
    long left = deadline - System.nanoTime();
    if (left <= 0) throw new SocketTimeoutException("handshake timeout");
    return Math.max(1, left / 1_000_000);
  }

  /** Waits until {@code n} bytes are buffered; false at the end of the stream. */
  private boolean awaitBuffered(int n) throws IOException {
    while (in.buffered() < n) {
      readTimeout.set(millisLeft());
      if (in.peek(in.buffered()) < 0) return false;
    }
    return true;
  }
}
