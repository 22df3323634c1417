package dev.h2mux.server;

import dev.h2mux.core.frame.FrameReader;
import dev.h2mux.core.io.PeekableInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A freshly accepted connection: completes the TLS handshake (if any), picks the protocol, and then
 * serves as that protocol's connection, forwarding shutdown requests to it.
 *
 * <p>Cleartext: if the first 24 bytes are the HTTP/2 client preface, HTTP/2 (prior knowledge);
 * otherwise HTTP/1.1 (which may still upgrade to h2c). The preface is only peeked, so the HTTP/2
 * connection reads it from the start. TLS: ALPN offers {@code h2} and {@code http/1.1}; no ALPN
 * means HTTP/1.1. On an {@linkplain ServerConfig#http2Only HTTP/2-only} port every connection is
 * HTTP/2: ALPN offers only {@code h2}, and a connection that does not start with the preface gets
 * GOAWAY(PROTOCOL_ERROR) from the HTTP/2 engine.
 */
final class AcceptedConnection implements ServerConnection {
  private static final Logger log = LoggerFactory.getLogger(AcceptedConnection.class);

  /**
   * How long a connection whose protocol is not known yet gets, once the server shuts down, to send
   * its first bytes: a client that connected just before the listener closed is served, a silent
   * one is closed.
   */
  static final long UNDECIDED_GRACE_MILLIS = 1_000;

  private final ServerConfig config;
  private final Socket rawSocket;
  private final WriteStallWatch writeWatch;
  private WatchedOutputStream watchedOutput;
  private final CountDownLatch decided = new CountDownLatch(1);
  private volatile ServerConnection delegate;
  private volatile boolean shutdownRequested;
  private volatile boolean closed;

  AcceptedConnection(ServerConfig config, Socket rawSocket, WriteStallWatch writeWatch) {
    this.config = config;
    this.rawSocket = rawSocket;
    this.writeWatch = writeWatch;
  }

  @Override
  public void serve() throws IOException {
    try {
      serveChosen();
    } finally {
      if (watchedOutput != null) writeWatch.forget(watchedOutput);
    }
  }

  private void serveChosen() throws IOException {
    ServerConnection chosen;
    try {
      chosen = choose();
      if (chosen == null) return; // closed without sending anything
      delegate = chosen;
    } finally {
      decided.countDown();
    }
    if (closed) {
      chosen.closeNow();
      return;
    }
    if (shutdownRequested) {
      chosen.shutdownGracefully();
    }
    log.debug(
        "{} from {}",
        chosen instanceof Http2ServerConnection ? "h2" : "http/1.1",
        rawSocket.getRemoteSocketAddress());
    chosen.serve();
  }

  private ServerConnection choose() throws IOException {
    Socket socket = rawSocket;
    String protocol = null;
    if (config.tls()) {
      SSLSocket ssl =
          (SSLSocket)
              config
                  .sslContext()
                  .getSocketFactory()
                  .createSocket(rawSocket, null, rawSocket.getPort(), true);
      ssl.setUseClientMode(false);
      SSLParameters parameters = ssl.getSSLParameters();
      parameters.setApplicationProtocols(
          config.http2Only() ? new String[] {"h2"} : new String[] {"h2", "http/1.1"});
      ssl.setSSLParameters(parameters);
      ssl.setSoTimeout(config.headerReadTimeoutMillis());
      ssl.startHandshake();
      protocol = ssl.getApplicationProtocol();
      socket = ssl;
    }
    DeadlineInputStream deadline = new DeadlineInputStream(socket, socket.getInputStream());
    deadline.arm(config.headerReadTimeoutMillis());
    PeekableInputStream in = new PeekableInputStream(deadline);
    // The watch closes the TCP socket, not an SSLSocket over it: closing that would first try to
    // write close_notify, behind the very write that is stuck.
    OutputStream out = watchedOutput = writeWatch.watch(rawSocket, socket.getOutputStream());
    boolean http2 =
        config.http2Only() || (config.tls() ? "h2".equals(protocol) : startsWithPreface(in));
    if (http2) {
      deadline.disarm(0);
      return new Http2ServerConnection(config, socket, in, out, config.scheme(), null);
    }
    if (!in.awaitData()) {
      return null;
    }
    return new Http1ServerConnection(config, socket, deadline, in, out);
  }

  /** Peeks until the bytes read so far differ from the preface, or all 24 match. */
  private static boolean startsWithPreface(PeekableInputStream in) throws IOException {
    for (int i = 0; i < FrameReader.PREFACE.length; i++) {
      int b = in.peek(i);
      if (b != (FrameReader.PREFACE[i] & 0xff)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void shutdownGracefully() {
    shutdownRequested = true;
    ServerConnection chosen = delegate;
    if (chosen != null) {
      chosen.shutdownGracefully();
      return;
    }
    // Nothing has been read as a request yet. A client that connected just before the listener
    // closed is probably sending its first bytes right now: closing under them would reset the
    // connection. Give it a moment to get served (serve() then shuts the protocol down at once).
    Thread.ofVirtual()
        .name("h2mux-undecided-" + rawSocket.getPort())
        .start(
            () -> {
              try {
                if (!decided.await(UNDECIDED_GRACE_MILLIS, TimeUnit.MILLISECONDS)) closeNow();
              } catch (InterruptedException e) {
                closeNow();
              }
            });
  }

  @Override
  public void sweep(long nowNanos) {
    ServerConnection chosen = delegate;
    if (chosen != null) chosen.sweep(nowNanos);
  }

  @Override
  public int closeNow() {
    closed = true;
    ServerConnection chosen = delegate;
    if (chosen != null) {
      // The protocol closes its socket itself, after its last words (a GOAWAY).
      return chosen.closeNow();
    }
    Sockets.closeQuietly(rawSocket);
    return 0;
  }
}
