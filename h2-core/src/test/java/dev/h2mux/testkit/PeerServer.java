package dev.h2mux.testkit;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/2 server whose every connection is a {@link FramePeer} in the server role,
 * following a script: for behaviour a real server won't show on demand (refusals, GOAWAY at a
 * chosen point, protocol violations) against a client under test. Each connection runs its script
 * on a virtual thread of its own; what a script throws is kept in {@link #failures()}, except the
 * end of a connection the client closed. A script's reads wait as long as the client takes (no read
 * timeout): the test's own timeout bounds them, and {@link #close()} ends every wait.
 */
public final class PeerServer implements AutoCloseable {
  /** What to do with the {@code connection}-th connection (from 0). */
  @FunctionalInterface
  public interface Script {
    /** Plays one connection; the socket closes when it returns. */
    void run(int connection, FramePeer peer) throws Exception;
  }

  private final ServerSocket server;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<FramePeer> peers = new CopyOnWriteArrayList<>();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  /** Starts listening on an ephemeral loopback port. */
  public PeerServer(Script script) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofVirtual().name("peer-server-accept").start(() -> accept(script));
  }

  private void accept(Script script) {
    try {
      while (true) {
        Socket socket = server.accept();
        int n = accepted.getAndIncrement();
        threads.add(
            Thread.ofVirtual().name("peer-server-" + n).start(() -> serve(n, socket, script)));
      }
    } catch (IOException e) {
      // closed
    }
  }

  private void serve(int n, Socket socket, Script script) {
    try (socket) {
      FramePeer peer = FramePeer.server(socket).readTimeout(0);
      peers.add(peer);
      script.run(n, peer);
      peer.flush();
    } catch (SocketException | EOFException e) {
      // the client closed the connection
    } catch (Throwable t) {
      failures.add(t);
    }
  }

  /** The port it listens on. */
  public int port() {
    return server.getLocalPort();
  }

  /** {@code http://127.0.0.1:port} followed by {@code path}. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** The connections accepted so far. */
  public int connections() {
    return accepted.get();
  }

  /** The peers of the connections so far, in the order they were accepted; each has a trace. */
  public List<FramePeer> peers() {
    return List.copyOf(peers);
  }

  /** What scripts threw, other than the end of a connection. */
  public List<Throwable> failures() {
    return List.copyOf(failures);
  }

  /** Stops listening, closes every connection, and waits for the scripts to end. */
  @Override
  public void close() throws IOException {
    server.close();
    for (FramePeer peer : peers) peer.close();
    try {
      acceptor.join();
      for (Thread thread : threads) thread.join(FramePeer.TIMEOUT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
