package dev.h2mux.client;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameReader;
import dev.h2mux.core.frame.FrameWriter;
import dev.h2mux.core.frame.Http2Settings;
import dev.h2mux.core.hpack.HpackDecoder;
import dev.h2mux.core.hpack.HpackEncoder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
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
 * A loopback HTTP/2 server that follows a script written in raw frames, for behaviour a real server
 * won't show on demand: refusals, GOAWAY at a chosen point, protocol violations.
 */
final class ScriptedH2Server implements AutoCloseable {
  /** What to do with the n-th connection (0-based). */
  @FunctionalInterface
  interface Script {
    void run(int connection, Peer peer) throws Exception;
  }

  private final ServerSocket server;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  ScriptedH2Server(Script script) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor =
        Thread.ofVirtual()
            .name("scripted-h2-accept")
            .start(
                () -> {
                  try {
                    while (true) {
                      Socket socket = server.accept();
                      sockets.add(socket);
                      int n = accepted.getAndIncrement();
                      Thread.ofVirtual()
                          .name("scripted-h2-" + n)
                          .start(
                              () -> {
                                try (socket) {
                                  Peer peer = new Peer(socket);
                                  script.run(n, peer);
                                  peer.out.flush();
                                } catch (Exception e) {
                                  if (!(e instanceof java.net.SocketException)
                                      && !(e instanceof java.io.EOFException)) {
                                    failures.add(e);
                                  }
                                }
                              });
                    }
                  } catch (IOException e) {
                    // closed
                  }
                });
  }

  int port() {
    return server.getLocalPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  int connections() {
    return accepted.get();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) s.close();
    try {
      acceptor.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One connection's server end, speaking frames. */
  static final class Peer {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    final FrameReader reader;
    final FrameWriter writer;
    final HpackEncoder encoder = new HpackEncoder();
    final HpackDecoder decoder = new HpackDecoder(65536, 4096);

    /** The :path of the last request read. */
    String lastPath = "";

    /** False: PINGs are counted but not answered, like a peer that stopped responding. */
    volatile boolean answerPings = true;

    /** When each PING (not ACK) arrived, in {@link System#nanoTime} units. */
    final List<Long> pingTimes = new CopyOnWriteArrayList<>();

    Peer(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream());
      this.out = new BufferedOutputStream(socket.getOutputStream());
      this.reader = new FrameReader(in, 16384);
      this.writer = new FrameWriter(out);
    }

    /** Reads the client preface, sends our SETTINGS. */
    void handshake(Http2Settings settings) throws IOException {
      reader.readPreface();
      writer.settings(new Frame.Settings(false, settings));
      out.flush();
    }

    void handshake() throws IOException {
      handshake(Http2Settings.EMPTY.with(Http2Settings.MAX_CONCURRENT_STREAMS, 100));
    }

    /**
     * The next frame that is not connection housekeeping: SETTINGS are acknowledged, PINGs
     * answered, WINDOW_UPDATEs skipped. Null at the end of the stream.
     */
    Frame next() throws IOException {
      while (true) {
        Frame f = reader.readFrame();
        if (f == null) return null;
        switch (f) {
          case Frame.Settings s -> {
            if (!s.ack()) {
              writer.settings(Frame.Settings.ACK);
              out.flush();
            }
          }
          case Frame.Ping p -> {
            if (!p.ack()) {
              pingTimes.add(System.nanoTime());
              if (answerPings) {
                writer.ping(true, p.payload());
                out.flush();
              }
            }
          }
          case Frame.WindowUpdate w -> {}
          default -> {
            return f;
          }
        }
      }
    }

    /** Waits for a request's HEADERS; returns its stream id. */
    int awaitRequest() throws IOException {
      while (true) {
        Frame f = next();
        if (f == null) throw new java.io.EOFException("client closed");
        if (f instanceof Frame.Headers h) {
          lastPath = String.valueOf(decoder.decode(h.block()).fields().get(":path"));
          return h.streamId();
        }
      }
    }

    /** Reads frames until one of {@code type} arrives; null at the end of the stream. */
    <T extends Frame> T awaitFrame(Class<T> type) throws IOException {
      for (Frame f; (f = next()) != null; ) {
        if (type.isInstance(f)) return type.cast(f);
      }
      return null;
    }

    void headers(int streamId, HttpFields fields, boolean endStream) throws IOException {
      writer.headers(streamId, encoder.encode(fields), endStream, null);
      out.flush();
    }

    void data(int streamId, byte[] bytes, boolean endStream) throws IOException {
      writer.data(streamId, bytes, 0, bytes.length, endStream);
      out.flush();
    }

    /** A complete 200 response with a text body. */
    void respond(int streamId, String body) throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      headers(
          streamId,
          HttpFields.of(":status", "200", "content-length", Integer.toString(bytes.length)),
          false);
      data(streamId, bytes, true);
    }

    void rst(int streamId, ErrorCode error) throws IOException {
      writer.rstStream(streamId, error.code());
      out.flush();
    }

    void goAway(int lastStreamId, ErrorCode error) throws IOException {
      writer.goAway(lastStreamId, error.code(), new byte[0]);
      out.flush();
    }

    /** Reads until the client closes the connection. */
    void drain() throws IOException {
      while (next() != null) {
        // discard
      }
    }
  }
}
