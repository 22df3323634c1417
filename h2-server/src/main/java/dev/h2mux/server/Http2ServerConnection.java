package dev.h2mux.server;

import dev.h2mux.core.engine.AbuseLimits;
import dev.h2mux.core.engine.Http2Config;
import dev.h2mux.core.engine.Http2Connection;
import dev.h2mux.core.engine.Http2Stream;
import dev.h2mux.core.http.RequestHead;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * An HTTP/2 connection on the server: the h2-core engine in the server role, with every stream it
 * opens served by the {@link Handler} on a virtual thread of its own.
 */
final class Http2ServerConnection implements ServerConnection {
  private final ServerConfig config;
  private final Http2Connection connection;
  private final InetSocketAddress remote;
  private final String scheme;
  private final UpgradeRequest upgrade;
  private final Http2ConnectionHandle handle;

  /**
   * @param config the server's configuration
   * @param socket the connection's socket (an SSLSocket over TLS); closing it ends the connection
   * @param in input positioned at the start of the client connection preface
   * @param out the socket's output, unbuffered
   * @param scheme {@code http} or {@code https}
   * @param upgrade the request that asked for h2c, or null without an Upgrade
   */
  Http2ServerConnection(
      ServerConfig config,
      Socket socket,
      InputStream in,
      OutputStream out,
      String scheme,
      UpgradeRequest upgrade) {
    this.config = config;
    this.scheme = scheme;
    this.upgrade = upgrade;
    this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
    Http2Config engineConfig =
        Http2Config.DEFAULTS
            .withMaxConcurrentStreams(config.maxConcurrentStreams())
            .withInitialWindowSize(config.initialWindowSize())
            .withConnectionWindowSize(config.connectionWindowSize())
            .withMaxFrameSize(config.maxFrameSize())
            .withMaxHeaderListSize(config.maxHeaderListSize())
            .withIdleTimeout(config.idleTimeout())
            .withAbuseLimits(
                AbuseLimits.DEFAULTS.withHandshakeTimeout(config.http2HandshakeTimeout()));
    this.connection =
        new Http2Connection(
            Http2Connection.Role.SERVER,
            engineConfig,
            socket,
            in,
            out,
            new Http2Connection.Listener() {
              @Override
              public void onStream(Http2Stream stream) {
                dispatch(stream);
              }
            });
    connection.sweptByOwner(); // by the acceptor: see sweep
    this.handle = new Http2ConnectionHandle(connection, socket, upgrade != null);
  }

  @Override
  public void sweep(long nowNanos) {
    connection.sweep(nowNanos);
  }

  @Override
  public void serve() throws IOException {
    if (upgrade != null) {
      RequestHead head =
          new RequestHead(
              upgrade.method(), scheme, upgrade.authority(), upgrade.path(), upgrade.headers(), -1);
      // stream 1 reaches onStream (and so dispatch) once the client's preface is in
      connection.adoptUpgrade(head, upgrade.body(), upgrade.http2Settings());
    }
    connection.serve(); // the reader runs on this connection's own thread
  }

  private void dispatch(Http2Stream stream) {
    handle.streamAccepted(); // before the handler runs: a due GOAWAY names this stream last
    Thread.ofVirtual().name("h2mux-h2-stream-" + stream.id()).start(() -> handle(stream));
  }

  private void handle(Http2Stream stream) {
    new Http2Exchange(stream, scheme, remote, handle).run(config.handler());
  }

  @Override
  public void shutdownGracefully() {
    connection.shutdownGracefully();
  }

  @Override
  public int closeNow() {
    return connection.closeNow();
  }

  @Override
  public String toString() {
    return "h2 " + remote;
  }
}
