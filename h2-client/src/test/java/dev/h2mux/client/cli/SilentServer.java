package dev.h2mux.client.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback listener that accepts connections and never says a word: a TLS handshake, a proxy's
 * {@code CONNECT} or an HTTP/2 preface sent to it waits for ever, until the client's timeout.
 */
final class SilentServer implements AutoCloseable {
  private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  SilentServer() throws IOException {
    acceptor =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    while (true) accepted.add(socket.accept());
                  } catch (IOException e) {
                    // closed
                  }
                });
  }

  int port() {
    return socket.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    socket.close();
    for (Socket s : accepted) s.close();
    acceptor.join();
  }
}
