package dev.h2mux.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.FrameWriter;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A socket that fails under the writer while the reader is still waiting: the connection must end
 * with its streams reset, so a handler writing a response learns why (a StreamResetException) and
 * is not left with a bare "connection closed" for a stream that looks open.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WriterFailureTest {
  @Test
  void aWriteFailureResetsTheStreamsInFlight() throws Exception {
    AtomicBoolean fail = new AtomicBoolean();
    CountDownLatch handlerStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Throwable> handlerSaw = new CompletableFuture<>();
    CompletableFuture<Http2Stream> handled = new CompletableFuture<>();
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket()) {
      client.connect(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
      Socket accepted = listener.accept();
      OutputStream failing =
          new FilterOutputStream(accepted.getOutputStream()) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              if (fail.get()) throw new IOException("simulated write failure");
              out.write(b, off, len);
            }
          };
      Http2Connection engine =
          new Http2Connection(
              Http2Connection.Role.SERVER,
              Http2Config.DEFAULTS,
              accepted,
              accepted.getInputStream(),
              failing,
              new Http2Connection.Listener() {
                @Override
                public void onStream(Http2Stream stream) {
                  Thread.ofVirtual()
                      .start(
                          () -> {
                            try {
                              handled.complete(stream);
                              handlerStarted.countDown();
                              release.await();
                              stream.sendHeaders(HttpFields.of(":status", "200"), false);
                              for (int i = 0; i < 100; i++) stream.output().write(new byte[16_384]);
                              stream.output().close();
                              handlerSaw.complete(null);
                            } catch (Throwable t) {
                              handlerSaw.complete(t);
                            }
                          });
                }
              });
      engine.start();
      BufferedOutputStream raw = new BufferedOutputStream(client.getOutputStream());
      FrameWriter out = new FrameWriter(raw);
      out.writePreface();
      out.settings(
          new dev.h2mux.core.frame.Frame.Settings(false, dev.h2mux.core.frame.Http2Settings.EMPTY));
      out.headers(1, new byte[] {(byte) 0x82, (byte) 0x86, (byte) 0x84, 0x41, 1, 'x'}, true, null);
      raw.flush();
      assertThat(handlerStarted.await(5, TimeUnit.SECONDS)).isTrue();
      fail.set(true); // the socket's writes fail from now on; the client stays silent
      release.countDown();
      assertThat(handlerSaw)
          .succeedsWithin(Duration.ofSeconds(5))
          .isInstanceOf(StreamResetException.class);
      assertThat(handled.get().isReset()).isTrue();
      assertThat(engine.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }
}
