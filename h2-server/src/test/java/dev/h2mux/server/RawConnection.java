package dev.h2mux.server;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.http1.BodyFraming;
import dev.h2mux.core.http1.ChunkedInputStream;
import dev.h2mux.core.http1.Http1Parser;
import dev.h2mux.core.http1.Http1ResponseHead;
import dev.h2mux.core.io.PeekableInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;

/** A test client that writes raw bytes and parses responses with the h2-core codec. */
final class RawConnection implements AutoCloseable {
  /** A parsed response; {@code head.status()} etc. */
  record Reply(Http1ResponseHead head, String body, HttpFields trailers) {
    int status() {
      return head.status();
    }

    String header(String name) {
      return head.headers().get(name);
    }
  }

  final Socket socket;
  final PeekableInputStream in;
  final OutputStream out;

  RawConnection(int port) throws IOException {
    this(new Socket(InetAddress.getLoopbackAddress(), port));
  }

  RawConnection(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(10_000);
    in = new PeekableInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  RawConnection send(String raw) throws IOException {
    out.write(raw.getBytes(ISO_8859_1));
    out.flush();
    return this;
  }

  /** Reads the next response head, informational ones included. */
  Http1ResponseHead readHead() throws IOException {
    Http1ResponseHead head = Http1Parser.readResponseHead(in, 64 * 1024);
    if (head == null) {
      throw new IOException("connection closed before a response");
    }
    return head;
  }

  /** Reads the next final response to a request with {@code method}, skipping 1xx. */
  Reply read(String method) throws IOException {
    Http1ResponseHead head = readHead();
    while (head.status() < 200) {
      head = readHead();
    }
    InputStream body =
        BodyFraming.forResponse(method, head.status(), head.headers()).open(in, 4096, 64 * 1024);
    String text = new String(body.readAllBytes(), ISO_8859_1);
    HttpFields trailers =
        body instanceof ChunkedInputStream chunked ? chunked.trailers() : HttpFields.empty();
    return new Reply(head, text, trailers);
  }

  Reply read() throws IOException {
    return read("GET");
  }

  /** True if the server closed the connection: the next read is the end of the stream. */
  boolean closedByServer() throws IOException {
    try {
      return in.read() == -1;
    } catch (java.net.SocketException e) {
      return true; // reset counts as closed
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
