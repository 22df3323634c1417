package dev.h2mux.server;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import com.twitter.hpack.Encoder;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameReader;
import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.frame.FrameWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;

/**
 * A client that writes raw HTTP/2 frames (prior knowledge) and reads the server's frames without
 * interpreting them, for attacks and fuzzing. Field blocks it sends are encoded with twitter-hpack,
 * so the server's decoder stays in step; blocks it receives are not decoded.
 */
final class RawH2Client implements AutoCloseable {
  final Socket socket;
  private final BufferedOutputStream rawOut;
  final FrameWriter out;
  private final FrameReader in;
  private final Encoder encoder = new Encoder(4096);

  RawH2Client(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(10_000);
    socket.setTcpNoDelay(true);
    rawOut = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    out = new FrameWriter(rawOut);
    in =
        new FrameReader(
            new BufferedInputStream(socket.getInputStream(), 64 * 1024),
            FrameType.MAX_MAX_FRAME_SIZE);
  }

  /** The client preface and an empty SETTINGS frame, flushed. */
  RawH2Client preface() throws IOException {
    out.writePreface();
    out.writeHeader(6, FrameType.SETTINGS, 0, 0);
    rawOut.write(new byte[] {0, 4, 0, 0x10, 0, 0}); // INITIAL_WINDOW_SIZE 1 MiB
    flush();
    return this;
  }

  /** A field block for a GET (or {@code method}) of {@code path}, in this client's HPACK state. */
  byte[] request(String method, String path, String... extra) throws IOException {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    String[] head = {
      ":method", method, ":scheme", "http", ":authority", "localhost", ":path", path
    };
    for (String[] fields : new String[][] {head, extra}) {
      for (int i = 0; i < fields.length; i += 2) {
        encoder.encodeHeader(
            block, fields[i].getBytes(ISO_8859_1), fields[i + 1].getBytes(ISO_8859_1), false);
      }
    }
    return block.toByteArray();
  }

  OutputStream raw() {
    return rawOut;
  }

  void flush() throws IOException {
    rawOut.flush();
  }

  /** The next frame from the server, or null at the end of the connection. */
  Frame next() throws IOException {
    return in.readFrame();
  }

  /**
   * Reads until GOAWAY or the end of the connection, dropping other frames (it writes nothing: a
   * thread may be writing an attack meanwhile).
   *
   * @return the GOAWAY, or null if the connection ended without one
   */
  Frame.GoAway awaitGoAway() throws IOException {
    try {
      for (Frame frame; (frame = next()) != null; ) {
        if (frame instanceof Frame.GoAway g) return g;
      }
    } catch (java.net.SocketException reset) {
      // closed with our bytes unread
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
