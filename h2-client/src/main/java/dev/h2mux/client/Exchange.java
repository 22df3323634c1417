package dev.h2mux.client;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * The measurements of one call of {@link Http2Client#send}, across its retries and redirects: what
 * {@link ExchangeInfo} reports. The calling thread writes the connection steps, the reading thread
 * the body's byte count, and the current {@link Upload} counts what it sent; {@link #info} may be
 * called from any thread.
 */
final class Exchange {
  private final long start = System.nanoTime();
  private volatile long connectedAt;
  private volatile long tlsDoneAt;
  private volatile long firstByteAt;
  private volatile long endAt;
  private volatile int connectionsOpened;
  private volatile int redirects;
  private volatile InetSocketAddress remote;
  private volatile Upload upload;
  private volatile long downloaded;

  /** This call opened a connection: its TCP handshake just ended. */
  void connected(Socket socket) {
    connectedAt = System.nanoTime();
    tlsDoneAt = 0;
    connectionsOpened++;
    if (socket.getRemoteSocketAddress() instanceof InetSocketAddress address) remote = address;
  }

  /** The connection this call opened finished its TLS handshake. */
  void tlsDone() {
    tlsDoneAt = System.nanoTime();
  }

  /** The exchange goes over a connection to {@code address}. */
  void remote(InetSocketAddress address) {
    remote = address;
  }

  /** The final response head arrived (a redirect's head counts until it is followed). */
  void firstByte() {
    firstByteAt = System.nanoTime();
  }

  /** A redirect is being followed: what was sent and received for the last one is not counted. */
  void redirected() {
    redirects++;
    upload = null;
    downloaded = 0;
  }

  /** The body of the current attempt is being sent by {@code upload}. */
  void uploading(Upload upload) {
    this.upload = upload;
  }

  void downloaded(long n) {
    downloaded += n; // the reading thread
  }

  /** The response body ended or was closed; the first call counts. */
  void ended() {
    if (endAt == 0) endAt = System.nanoTime();
  }

  ExchangeInfo info() {
    long end = endAt;
    Upload sending = upload;
    return new ExchangeInfo(
        remote,
        connectionsOpened,
        redirects,
        since(connectedAt),
        since(tlsDoneAt),
        since(firstByteAt),
        Duration.ofNanos((end == 0 ? System.nanoTime() : end) - start),
        sending == null ? 0 : sending.bytesSent(),
        downloaded);
  }

  private Duration since(long at) {
    return at == 0 ? Duration.ZERO : Duration.ofNanos(at - start);
  }
}
