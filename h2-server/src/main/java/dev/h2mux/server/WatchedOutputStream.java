package dev.h2mux.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;

/**
 * A socket's output that tells its {@link WriteStallWatch} when a write began and that it ended, so
 * the watch can close the socket under a write the client never lets finish. Written by one thread
 * at a time (the connection's writer), read by the watch.
 */
final class WatchedOutputStream extends OutputStream {
  private final Socket socket;
  private final OutputStream out;

  /** When the write in progress began (never 0 then), or 0 while none is. */
  private volatile long writingSince;

  WatchedOutputStream(Socket socket, OutputStream out) {
    this.socket = socket;
    this.out = out;
  }

  @Override
  public void write(int b) throws IOException {
    begin();
    try {
      out.write(b);
    } finally {
      writingSince = 0;
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    begin();
    try {
      out.write(b, off, len);
    } finally {
      writingSince = 0;
    }
  }

  @Override
  public void flush() throws IOException {
    begin();
    try {
      out.flush();
    } finally {
      writingSince = 0;
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  private void begin() {
    writingSince = System.nanoTime() | 1; // odd, so never 0
  }

  /** True if a write is in progress and began more than {@code limitNanos} before {@code now}. */
  boolean blockedLongerThan(long limitNanos, long now) {
    long since = writingSince;
    return since != 0 && now - since > limitNanos;
  }

  /** Closes the socket, which makes the blocked write fail. */
  void abort() {
    Sockets.closeQuietly(socket);
  }

  SocketAddress remoteAddress() {
    return socket.getRemoteSocketAddress();
  }
}
