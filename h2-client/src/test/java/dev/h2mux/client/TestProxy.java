package dev.h2mux.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP proxy for tests: {@code CONNECT host:port} opens a tunnel (or is refused with 407
 * when {@link #refuse} is set); a request in absolute form is answered by the proxy itself with
 * {@code proxied <request line>}. Every request line and {@code proxy-authorization} it saw is
 * recorded. {@link #tunnelDelayMillis} and {@link #relayDelayMillis} make it a slow proxy: one that
 * takes its time to answer {@code CONNECT}, and to pass on the origin's first bytes.
 */
final class TestProxy implements AutoCloseable {
  final List<String> requestLines = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final List<String> hosts = new CopyOnWriteArrayList<>();
  volatile boolean refuse;
  volatile long tunnelDelayMillis;
  volatile long relayDelayMillis;
  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  TestProxy() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    while (true) {
                      Socket socket = server.accept();
                      sockets.add(socket);
                      Thread.ofVirtual().start(() -> serve(socket));
                    }
                  } catch (IOException e) {
                    // closed
                  }
                });
  }

  int port() {
    return server.getLocalPort();
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (true) {
        List<String> head = readHead(in);
        if (head == null) return;
        String line = head.get(0);
        requestLines.add(line);
        String authorization = null;
        for (String field : head.subList(1, head.size())) {
          int colon = field.indexOf(':');
          String name = field.substring(0, colon).trim().toLowerCase();
          String value = field.substring(colon + 1).trim();
          if (name.equals("proxy-authorization")) authorization = value;
          if (name.equals("host")) hosts.add(value);
        }
        authorizations.add(String.valueOf(authorization));
        String[] parts = line.split(" ");
        if (parts[0].equals("CONNECT")) {
          tunnel(socket, parts[1]);
          return;
        }
        byte[] body = ("proxied " + line).getBytes(StandardCharsets.UTF_8);
        out.write(
            ("HTTP/1.1 200 OK\r\ncontent-length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private void tunnel(Socket client, String target) throws IOException {
    OutputStream out = client.getOutputStream();
    if (refuse) {
      out.write(
          "HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n"
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return;
    }
    int colon = target.lastIndexOf(':');
    String host = target.substring(0, colon).replace("[", "").replace("]", "");
    try (Socket origin = new Socket(host, Integer.parseInt(target.substring(colon + 1)))) {
      sockets.add(origin);
      slow(tunnelDelayMillis);
      out.write(
          "HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      Thread up = Thread.ofVirtual().start(() -> pipe(client, origin));
      slow(relayDelayMillis);
      pipe(origin, client);
      try {
        up.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A slow proxy at work: time passes, nothing is synchronised on it. */
  private static void slow(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pipe(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException e) {
      // one side closed
    }
  }

  /** A request head, line by line without CRLF; null at the end of the stream. */
  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (int b; (b = in.read()) >= 0; ) {
      if (b == '\n') {
        String text = line.toString().replace("\r", "");
        if (text.isEmpty()) return lines;
        lines.add(text);
        line.setLength(0);
      } else {
        line.append((char) b);
      }
    }
    return null;
  }

  @Override
  public void close() throws Exception {
    server.close();
    for (Socket s : sockets) s.close();
    acceptor.join();
  }
}
