package dev.h2mux.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening side of a server: one platform thread, {@code h2mux-acceptor-<port>}, accepts
 * connections and serves each on a virtual thread of its own ({@code h2mux-conn-<port>-<n>}), as an
 * {@link AcceptedConnection}; every connection is tracked until its thread ends, for the shutdown
 * to drain.
 *
 * <p>Between accepts, at least every {@link #sweepPeriodNanos}, the same thread sweeps the
 * connections for those idle past the idle timeout ({@link ServerConnection#sweep}): HTTP/1.1 then
 * waits for its next request, and an HTTP/2 reader for its next frame, without a timed read, whose
 * timer task per wait (a virtual thread's) cost more than the rest of the wait. A platform thread's
 * timed accept is the kernel's poll timeout, no task. The same sweep runs the {@link
 * WriteStallWatch}, which closes connections whose client stopped reading.
 */
final class Acceptor {
  private static final Logger log = LoggerFactory.getLogger(Acceptor.class);

  private final ServerConfig config;
  private final ServerSocket listener;
  private final ThreadFactory connectionThreads;
  private final Thread thread;
  private final WriteStallWatch writeWatch;
  private final Map<ServerConnection, Thread> connections = new ConcurrentHashMap<>();
  private volatile boolean closing;

  /** An acceptor of {@code listener}, a bound socket, not yet started. */
  Acceptor(ServerConfig config, ServerSocket listener) {
    this.config = config;
    this.listener = listener;
    int port = listener.getLocalPort();
    this.connectionThreads = Thread.ofVirtual().name("h2mux-conn-" + port + "-", 0).factory();
    this.thread = Thread.ofPlatform().name("h2mux-acceptor-" + port).unstarted(this::acceptLoop);
    this.writeWatch = new WriteStallWatch(config.idleTimeout());
  }

  void start() {
    thread.start();
  }

  /**
   * Stops accepting: closes the listening socket, so that new connections are refused; the accept
   * thread then ends. The connections accepted go on.
   */
  void stop() {
    closing = true;
    Sockets.closeQuietly(listener);
  }

  /** The number of connection outputs the write watch looks at. */
  int writeWatchCount() {
    return writeWatch.watched();
  }

  /** The accept thread. */
  Thread thread() {
    return thread;
  }

  /** The number of connections whose thread has not ended. */
  int connectionCount() {
    return connections.size();
  }

  /** A snapshot of the connections whose thread has not ended. */
  List<ServerConnection> connections() {
    return List.copyOf(connections.keySet());
  }

  /** A snapshot of the threads of the connections, those still running. */
  List<Thread> connectionThreads() {
    return List.copyOf(connections.values());
  }

  /**
   * How often idle connections are looked for: a quarter of the idle timeout, so one is closed at
   * most a quarter late, and at most every 100 ms, between 1 ms and 100 ms.
   */
  static long sweepPeriodNanos(Duration idleTimeout) {
    long quarter = idleTimeout.toNanos() / 4;
    return Math.clamp(
        quarter, TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(100));
  }

  private void acceptLoop() {
    long period = sweepPeriodNanos(config.idleTimeout());
    try {
      listener.setSoTimeout((int) TimeUnit.NANOSECONDS.toMillis(period));
    } catch (SocketException e) {
      if (!closing) log.warn("cannot set the accept timeout, no longer accepting connections", e);
      return;
    }
    long lastSweep = System.nanoTime();
    while (!closing) {
      Socket socket = null;
      try {
        socket = listener.accept();
      } catch (SocketTimeoutException e) {
        // time to sweep
      } catch (SocketException e) {
        if (!closing) {
          log.warn("accept failed, no longer accepting connections", e);
        }
        return;
      } catch (IOException e) {
        log.debug("accept failed", e);
        continue;
      }
      long now = System.nanoTime();
      if (now - lastSweep >= period) {
        lastSweep = now;
        for (ServerConnection connection : connections.keySet()) connection.sweep(now);
        writeWatch.sweep(now);
      }
      if (socket == null) continue;
      // Even when closing: a connection accepted is served (and shut down gracefully) rather
      // than reset, since its client may already have sent a request.
      try {
        socket.setTcpNoDelay(true);
        ServerConnection connection = new AcceptedConnection(config, socket, writeWatch);
        Thread connectionThread = connectionThreads.newThread(() -> run(connection));
        connections.put(connection, connectionThread);
        connectionThread.start();
      } catch (IOException | RuntimeException e) {
        log.debug("cannot set up connection from {}", socket.getRemoteSocketAddress(), e);
        Sockets.closeQuietly(socket);
      }
    }
  }

  private void run(ServerConnection connection) {
    try {
      connection.serve();
    } catch (IOException e) {
      log.debug("connection ended: {}", e.toString());
    } catch (RuntimeException | Error e) {
      log.warn("connection failed", e);
    } finally {
      connection.closeNow();
      connections.remove(connection);
    }
  }
}
