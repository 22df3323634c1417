package dev.h2mux.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.testkit.EngineUnderTest;
import dev.h2mux.testkit.FramePeer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Two engines over loopback: {@link #client} in CLIENT role, {@link #server} in SERVER role. */
final class EnginePair implements AutoCloseable {
  final Http2Connection client;
  final Http2Connection server;
  final List<Throwable> handlerFailures = new CopyOnWriteArrayList<>();

  /** The most streams the server had open when one more arrived. */
  final AtomicInteger maxServerStreams = new AtomicInteger();

  private final ServerSocket listener;

  private EnginePair(ServerSocket listener, Http2Connection client, Http2Connection server) {
    this.listener = listener;
    this.client = client;
    this.server = server;
  }

  static EnginePair start(
      Http2Config clientConfig, Http2Config serverConfig, EngineUnderTest.StreamHandler handler)
      throws IOException {
    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    listener.setSoTimeout(FramePeer.TIMEOUT_MS);
    Socket clientSocket = new Socket();
    clientSocket.connect(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()),
        FramePeer.TIMEOUT_MS);
    Socket serverSocket = listener.accept();
    clientSocket.setTcpNoDelay(true);
    serverSocket.setTcpNoDelay(true);
    EnginePair[] self = new EnginePair[1];
    Http2Connection server =
        new Http2Connection(
            Http2Connection.Role.SERVER,
            serverConfig,
            serverSocket,
            serverSocket.getInputStream(),
            serverSocket.getOutputStream(),
            new Http2Connection.Listener() {
              @Override
              public void onStream(Http2Stream stream) {
                self[0].maxServerStreams.accumulateAndGet(
                    stream.connection().activeStreams(), Math::max);
                Thread.ofVirtual()
                    .start(
                        () -> {
                          try {
                            handler.handle(stream);
                          } catch (Throwable t) {
                            self[0].handlerFailures.add(t);
                            stream.reset(ErrorCode.INTERNAL_ERROR);
                          }
                        });
              }
            });
    Http2Connection client =
        new Http2Connection(
            Http2Connection.Role.CLIENT,
            clientConfig,
            clientSocket,
            clientSocket.getInputStream(),
            clientSocket.getOutputStream(),
            new Http2Connection.Listener() {});
    self[0] = new EnginePair(listener, client, server);
    server.start();
    client.start();
    return self[0];
  }

  @Override
  public void close() throws Exception {
    try {
      client.close();
      server.close();
      assertThat(client.awaitTermination(5, TimeUnit.SECONDS)).as("client ended").isTrue();
      assertThat(server.awaitTermination(5, TimeUnit.SECONDS)).as("server ended").isTrue();
    } finally {
      listener.close();
    }
  }
}
