package dev.h2mux.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens {@code --count} idle HTTP/2 connections to a server (connection preface, an empty
 * SETTINGS frame, and an ACK of the server's SETTINGS — nothing else), prints
 * {@code READY opened failed ...}, then holds them for {@code --hold} seconds (or until it is
 * killed, which is how the harness ends it) and closes them all.
 *
 * <p>Each connection gets a virtual thread that answers SETTINGS and PING, so that servers with
 * a SETTINGS-ACK timeout (nghttpd) keep the connection. At most {@code --parallel} connects
 * are in progress at once so that no accept backlog overflows.
 */
final class IdleConnections {
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EMPTY_SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};
  private static final byte[] SETTINGS_ACK = {0, 0, 0, 4, 1, 0, 0, 0, 0};

  public static void main(String[] args) throws Exception {
    String host = PeerSupport.option(args, "host", "127.0.0.1");
    int port = Integer.parseInt(PeerSupport.option(args, "port", "8080"));
    int count = Integer.parseInt(PeerSupport.option(args, "count", "5000"));
    int parallel = Integer.parseInt(PeerSupport.option(args, "parallel", "64"));
    long holdSeconds = Long.parseLong(PeerSupport.option(args, "hold", "120"));

    List<Socket> sockets = new java.util.ArrayList<>(count);
    ConcurrentLinkedQueue<Socket> opened = new ConcurrentLinkedQueue<>();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger acked = new AtomicInteger();
    CountDownLatch settled = new CountDownLatch(count);
    Semaphore connecting = new Semaphore(parallel);
    var threads = Executors.newVirtualThreadPerTaskExecutor();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      connecting.acquire();
      threads.execute(() -> {
        Socket socket = new Socket();
        boolean released = false;
        try {
          socket.setTcpNoDelay(true);
          socket.connect(new InetSocketAddress(host, port), 10_000);
          opened.add(socket);
          OutputStream out = socket.getOutputStream();
          out.write(PREFACE);
          out.write(EMPTY_SETTINGS);
          out.flush();
          released = true;
          connecting.release();
          serve(socket, settled, acked);
        } catch (IOException e) {
          failed.incrementAndGet();
        } finally {
          if (!released) {
            connecting.release();
            settled.countDown();
          }
        }
      });
    }
    boolean all = settled.await(60, TimeUnit.SECONDS);
    sockets.addAll(opened);
    System.out.printf("READY %d %d acked=%d settled=%s %.1fs%n", sockets.size(), failed.get(),
        acked.get(), all, (System.nanoTime() - start) / 1e9);
    System.out.flush();

    Thread.sleep(TimeUnit.SECONDS.toMillis(holdSeconds));
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    System.exit(0);
  }

  /** Reads frames: ACKs SETTINGS and PING; counts down once the server's SETTINGS came. */
  private static void serve(Socket socket, CountDownLatch settled, AtomicInteger acked) {
    boolean counted = false;
    try {
      InputStream raw = new BufferedInputStream(socket.getInputStream(), 1024);
      DataInputStream in = new DataInputStream(raw);
      OutputStream out = socket.getOutputStream();
      byte[] header = new byte[9];
      while (true) {
        in.readFully(header);
        int length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | (header[2] & 0xff);
        int type = header[3] & 0xff;
        int flags = header[4] & 0xff;
        byte[] payload = in.readNBytes(length);
        if (type == 4 && (flags & 1) == 0) { // SETTINGS, not an ACK
          out.write(SETTINGS_ACK);
          out.flush();
          if (!counted) {
            counted = true;
            acked.incrementAndGet();
            settled.countDown();
          }
        } else if (type == 6 && (flags & 1) == 0) { // PING
          byte[] pong = new byte[17];
          pong[2] = 8;
          pong[3] = 6;
          pong[4] = 1;
          System.arraycopy(payload, 0, pong, 9, 8);
          out.write(pong);
          out.flush();
        } else if (type == 7) { // GOAWAY: the server gave up on us
          break;
        }
      }
    } catch (IOException e) {
      // closed
    } finally {
      if (!counted) {
        settled.countDown();
      }
    }
  }
}
