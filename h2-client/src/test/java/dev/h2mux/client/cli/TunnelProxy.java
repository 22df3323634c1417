package dev.h2mux.client.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP proxy for tests, on loopback: {@code CONNECT host:port} opens a tunnel to {@code
 * 127.0.0.1:port} (403 for port 1, so a refusal can be tested); a request for {@code
 * http://relay.test:PORT/...} goes to {@code 127.0.0.1:PORT} in origin form, and what follows its
 * head is relayed both ways (so an h2c Upgrade passes); any other request is answered by the proxy
 * itself with its request line, which shows an absolute-form target.
 */
final class TunnelProxy implements AutoCloseable {
  private static final int MAX_HEAD = 16 * 1024;
  private final ServerSocket listener;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;
  final AtomicInteger tunnels = new AtomicInteger();
  final AtomicInteger requests = new AtomicInteger();

  /** The heads of the requests relayed to {@code relay.test}, as they came. */
  final List<String> relayed = new CopyOnWriteArrayList<>();

  TunnelProxy() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofVirtual().name("test-proxy").start(this::accept);
  }

  int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    try {
      while (true) {
        Socket client = listener.accept();
        sockets.add(client);
        Thread.ofVirtual().start(() -> serve(client));
      }
    } catch (IOException closed) {
      // close() ends the loop
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      String head = readHead(in);
      String requestLine = head.substring(0, head.indexOf("\r\n"));
      String[] parts = requestLine.split(" ");
      if (parts[1].startsWith("http://relay.test:")) {
        relay(client, head, parts);
        return;
      }
      if (!parts[0].equals("CONNECT")) {
        requests.incrementAndGet();
        byte[] body = ("proxy got: " + requestLine + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(
            ("HTTP/1.1 200 OK\r\ncontent-length: " + body.length + "\r\nconnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        return;
      }
      int port = Integer.parseInt(parts[1].substring(parts[1].lastIndexOf(':') + 1));
      if (port == 1) {
        out.write(
            "HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return;
      }
      try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), port)) {
        sockets.add(upstream);
        tunnels.incrementAndGet();
        out.write(
            "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        Thread back = Thread.ofVirtual().start(() -> pipe(upstream, client));
        pipe(client, upstream);
        back.join();
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      // the test sees the failure on the client side
    }
  }

  /** Sends the request to the origin in origin form, then relays both ways until both end. */
  private void relay(Socket client, String head, String[] requestLine)
      throws IOException, InterruptedException {
    relayed.add(head);
    String rest = requestLine[1].substring("http://relay.test:".length());
    int slash = rest.indexOf('/');
    int port = Integer.parseInt(slash < 0 ? rest : rest.substring(0, slash));
    String target = slash < 0 ? "/" : rest.substring(slash);
    try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), port)) {
      sockets.add(upstream);
      String forwarded =
          requestLine[0]
              + " "
              + target
              + " "
              + requestLine[2]
              + head.substring(head.indexOf("\r\n"));
      upstream.getOutputStream().write(forwarded.getBytes(StandardCharsets.ISO_8859_1));
      Thread back = Thread.ofVirtual().start(() -> pipe(upstream, client));
      pipe(client, upstream);
      back.join();
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

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0 || head.size() > MAX_HEAD) throw new IOException("no request head");
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws Exception {
    listener.close();
    for (Socket s : sockets) s.close();
    acceptor.join();
  }
}
