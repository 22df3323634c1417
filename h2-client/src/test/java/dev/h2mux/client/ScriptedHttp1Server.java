package dev.h2mux.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;

/**
 * A loopback HTTP/1.1 keep-alive server that counts what the client does to it: connections opened,
 * requests, and connections the client closed. {@code /hang} is never answered, {@code /bad} gets a
 * head with an invalid Content-Length; any other path gets {@code 200} with the body {@code ok
 * <connection number>}. An h2c Upgrade is declined by ignoring it. With a TLS context it offers
 * only {@code http/1.1} by ALPN.
 */
final class ScriptedHttp1Server implements AutoCloseable {
  final AtomicInteger connections = new AtomicInteger();
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger hanging = new AtomicInteger();

  /** Connections on which the server read the end of the stream: the client closed them. */
  final AtomicInteger closedByClient = new AtomicInteger();

  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  ScriptedHttp1Server() throws IOException {
    this(null);
  }

  ScriptedHttp1Server(SSLContext tls) throws IOException {
    if (tls == null) {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } else {
      SSLServerSocket ssl =
          (SSLServerSocket)
              tls.getServerSocketFactory()
                  .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
      SSLParameters parameters = ssl.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"http/1.1"});
      ssl.setSSLParameters(parameters);
      server = ssl;
    }
    acceptor =
        Thread.ofVirtual()
            .name("scripted-h1-accept")
            .start(
                () -> {
                  try {
                    while (true) {
                      Socket socket = server.accept();
                      sockets.add(socket);
                      int n = connections.incrementAndGet();
                      Thread.ofVirtual().name("scripted-h1-" + n).start(() -> serve(socket, n));
                    }
                  } catch (IOException e) {
                    // closed
                  }
                });
  }

  private void serve(Socket socket, int n) {
    try (socket) {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      OutputStream out = socket.getOutputStream();
      for (String line; (line = in.readLine()) != null; ) {
        String[] requestLine = line.split(" ");
        while ((line = in.readLine()) != null && !line.isEmpty()) {
          // headers ignored: the tests send no request bodies
        }
        if (line == null) break;
        requests.incrementAndGet();
        if (requestLine.length > 1 && requestLine[1].startsWith("/hang")) {
          hanging.incrementAndGet();
          continue; // never answered; the next read sees the client's close
        }
        if (requestLine.length > 1 && requestLine[1].startsWith("/bad")) {
          out.write(
              "HTTP/1.1 200 OK\r\ncontent-length: nope\r\n\r\n"
                  .getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          continue;
        }
        String body = "ok " + n;
        out.write(
            ("HTTP/1.1 200 OK\r\ncontent-length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }
      closedByClient.incrementAndGet();
    } catch (IOException e) {
      // reset by the client, or closed by close()
    }
  }

  int port() {
    return server.getLocalPort();
  }

  String url(String path) {
    return (server instanceof SSLServerSocket ? "https" : "http") + "://127.0.0.1:" + port() + path;
  }

  @Override
  public void close() throws Exception {
    server.close();
    for (Socket s : sockets) s.close();
    acceptor.join();
  }
}
