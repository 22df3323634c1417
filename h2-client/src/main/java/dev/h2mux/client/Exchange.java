package dev.h2mux.client;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * The measurements of one call of {@link Http2Client#send}, across its retries and redirects: what
 * {@link ExchangeInfo} reports. The calling thread writes the steps, the reading thread the body's
 * byte count, and the current {@link Upload} counts what it sent; {@link #info} may be called from
 * any thread.
 *
 * <p>Each request of the call (the first, and one per redirect followed) is a hop. A step's time is
 * measured from the start of its hop, the last time it happened in that hop, and the hops' times
 * are added up: curl's accounting, under which a call without redirects has every time from its
 * start.
 */
final class Exchange {
  private final long start = System.nanoTime();
  private volatile long hopStart = start;

  // This hop's steps, as System.nanoTime() values; 0 while a step has not happened in it.
  private volatile long resolvedAt;
  private volatile long connectedAt;
  private volatile long tlsDoneAt;
  private volatile long sendingAt;
  private volatile long firstByteAt;

  // The steps of the hops before this one, added up, in nanoseconds.
  private volatile long resolvedBefore;
  private volatile long connectedBefore;
  private volatile long tlsDoneBefore;
  private volatile long sendingBefore;
  private volatile long firstByteBefore;

  private volatile long endAt;
  private volatile int connectionsOpened;
  private volatile int redirects;
  private volatile InetSocketAddress remote;
  private volatile InetSocketAddress local;
  private volatile Upload upload;
  private volatile long downloaded;

  /** The name of the host to connect to (or the proxy's) is known: looked up or given. */
  void resolved() {
    resolvedAt = System.nanoTime();
  }

  /** This call opened a connection: its TCP handshake just ended. */
  void connected(Socket socket) {
    connectedAt = System.nanoTime();
    tlsDoneAt = 0;
    connectionsOpened++;
    if (socket.getRemoteSocketAddress() instanceof InetSocketAddress address) remote = address;
    if (socket.getLocalSocketAddress() instanceof InetSocketAddress address) local = address;
  }

  /** The connection this call opened finished its TLS handshake. */
  void tlsDone() {
    tlsDoneAt = System.nanoTime();
  }

  /** The exchange goes over a connection from {@code local} to {@code remote}. */
  void connection(InetSocketAddress remote, InetSocketAddress local) {
    this.remote = remote;
    this.local = local;
  }

  /** The request head is about to be sent: the connection is ready (curl's pretransfer). */
  void sending() {
    sendingAt = System.nanoTime();
  }

  /** The hop's final response head arrived. */
  void firstByte() {
    firstByteAt = System.nanoTime();
  }

  /**
   * A redirect is being followed: this hop's times are added up, and what was sent and received for
   * it is not counted.
   */
  void redirected() {
    long hop = hopStart;
    resolvedBefore += since(resolvedAt, hop);
    connectedBefore += since(connectedAt, hop);
    tlsDoneBefore += since(tlsDoneAt, hop);
    sendingBefore += since(sendingAt, hop);
    firstByteBefore += since(firstByteAt, hop);
    resolvedAt = connectedAt = tlsDoneAt = sendingAt = firstByteAt = 0;
    hopStart = System.nanoTime();
    redirects++;
    upload = null;
    downloaded = 0;
    endAt = 0; // the redirect's body ended; the call goes on
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
    long hop = hopStart;
    Upload sending = upload;
    return new ExchangeInfo(
        remote,
        local,
        connectionsOpened,
        redirects,
        Duration.ofNanos(resolvedBefore + since(resolvedAt, hop)),
        Duration.ofNanos(connectedBefore + since(connectedAt, hop)),
        Duration.ofNanos(tlsDoneBefore + since(tlsDoneAt, hop)),
        Duration.ofNanos(sendingBefore + since(sendingAt, hop)),
        Duration.ofNanos(firstByteBefore + since(firstByteAt, hop)),
        redirects == 0 ? Duration.ZERO : Duration.ofNanos(hop - start),
        Duration.ofNanos((end == 0 ? System.nanoTime() : end) - start),
        sending == null ? 0 : sending.bytesSent(),
        downloaded);
  }

  /** From {@code hop} to {@code at}, 0 if the step did not happen. */
  private static long since(long at, long hop) {
    return at == 0 ? 0 : Math.max(0, at - hop);
  }
}
