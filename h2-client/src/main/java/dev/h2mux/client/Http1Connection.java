package dev.h2mux.client;

import dev.h2mux.core.io.PeekableInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * One HTTP/1.1 connection: the socket, its buffered input and output, the peer's address, and when
 * it went idle.
 */
final class Http1Connection {
  final Socket socket;
  final PeekableInputStream in;
  final OutputStream out;
  final String name;
  final InetSocketAddress remote;
  final InetSocketAddress local;

  /** Guarded by the pool's lock: when it was last released as idle. */
  long idleSince;

  Http1Connection(Dialed dialed) throws IOException {
    this(dialed.socket(), dialed.name(), dialed.remote(), dialed.local());
  }

  Http1Connection(Socket socket, String name, InetSocketAddress remote, InetSocketAddress local)
      throws IOException {
    this.socket = socket;
    this.in = new PeekableInputStream(socket.getInputStream());
    this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    this.name = name;
    this.remote = remote;
    this.local = local;
  }

  boolean isClosed() {
    return socket.isClosed();
  }

  void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
