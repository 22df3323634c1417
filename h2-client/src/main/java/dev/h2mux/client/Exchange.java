package dev.h2mux.client;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;

/**
 * The measurements of one call of {@link Http2Client#send}, across its retries and redirects: what
 * {@link ExchangeInfo} reports. The calling thread writes the connection steps; the upload thread
 * writes its byte count, the reading thread the body's; {@link #info} may be called from any.
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
  private volatile long uploaded;
  private volatile long downloaded;

  /** This call opened a connection: its TCP handshake just ended. */
  void connected(Socket socket) {
    connectedAt = System.nanoTime();
    tlsDoneAt = 0;
    connectionsOpened++;
    remote(socket);
  }

  /** The connection this call opened finished its TLS handshake. */
  void tlsDone() {
    tlsDoneAt = System.nanoTime();
  }

  /** The connection that carries the exchange now. */
  void remote(Socket socket) {
    SocketAddress address = socket.getRemoteSocketAddress();
    if (address instanceof InetSocketAddress inet) remote = inet;
  }

  /** The final response head arrived (a redirect's head counts until it is followed). */
  void firstByte() {
    firstByteAt = System.nanoTime();
  }

  /** A redirect is being followed: what was sent and received for the last one is not counted. */
  void redirected() {
    redirects++;
    uploaded = 0;
    downloaded = 0;
  }

  /** A new attempt sends the body again. */
  void uploadStarted() {
    uploaded = 0;
  }

  void uploaded(long n) {
    uploaded += n; // one upload thread at a time
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
    return new ExchangeInfo(
        remote,
        connectionsOpened,
        redirects,
        since(connectedAt),
        since(tlsDoneAt),
        since(firstByteAt),
        Duration.ofNanos((end == 0 ? System.nanoTime() : end) - start),
        uploaded,
        downloaded);
  }

  private Duration since(long at) {
    return at == 0 ? Duration.ZERO : Duration.ofNanos(at - start);
  }
}
