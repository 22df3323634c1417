package dev.h2mux.client;

import dev.h2mux.core.engine.Http2Connection;
import java.net.InetSocketAddress;

/**
 * An HTTP/2 connection as the client holds it: the engine, its two ends' addresses, when a stream
 * last started or ended on it (for the idle timeout), and why the client closed it, if it did (for
 * the requests that fail with it).
 */
final class Http2Session {
  final Http2Connection connection;
  final String name;
  final InetSocketAddress remote;
  final InetSocketAddress local;

  /** This connection as the result of an acquire: one per connection, not one per request. */
  final ConnectResult.Http2 asResult = new ConnectResult.Http2(this);

  private volatile long lastActive = System.nanoTime();
  private volatile String closeReason;

  Http2Session(
      Http2Connection connection, String name, InetSocketAddress remote, InetSocketAddress local) {
    this.connection = connection;
    this.name = name;
    this.remote = remote;
    this.local = local;
  }

  /** A stream started or ended: the connection is not idle. */
  void touch() {
    lastActive = System.nanoTime();
  }

  long lastActive() {
    return lastActive;
  }

  /** True once the connection takes no new streams. */
  boolean isShutdown() {
    return connection.isShutdown();
  }

  /** Closes the connection, failing its streams; their requests are told {@code reason}. */
  void closeBecause(String reason) {
    closeReason = reason;
    connection.close();
  }

  /** Why the client closed the connection, or null if it did not. */
  String closeReason() {
    return closeReason;
  }

  @Override
  public String toString() {
    return name;
  }
}
