package dev.h2mux.client;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The sockets of one origin between their creation and their connection joining a pool, so that
 * {@link #closeAll} ends them: a connect, a TLS handshake, a proxy tunnel or an h2c Upgrade may be
 * waiting on one, the Upgrade perhaps without a timeout.
 */
final class OpeningSockets {
  private final Set<Socket> sockets = new HashSet<>();
  private boolean closed;

  /**
   * Tracks {@code socket}.
   *
   * @throws IOException (and closes the socket) if the client is closed
   */
  void add(Socket socket) throws IOException {
    synchronized (this) {
      if (!closed) {
        sockets.add(socket);
        return;
      }
    }
    closeQuietly(socket);
    throw new IOException("client closed");
  }

  /** Stops tracking {@code socket}: its connection is pooled, or it was closed. */
  synchronized void remove(Socket socket) {
    sockets.remove(socket);
  }

  /** Closes every tracked socket; later {@link #add}s fail. */
  void closeAll() {
    List<Socket> open;
    synchronized (this) {
      closed = true;
      open = new ArrayList<>(sockets);
      sockets.clear();
    }
    for (Socket s : open) closeQuietly(s);
  }

  static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
