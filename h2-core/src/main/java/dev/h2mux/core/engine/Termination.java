package dev.h2mux.core.engine;

import dev.h2mux.core.engine.GracefulShutdown.Ending;
import dev.h2mux.core.engine.StreamResetException.Reason;
import dev.h2mux.core.frame.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a connection, once: the last GOAWAY ({@link GracefulShutdown#endLocked} decides
 * which), every stream left and every PING not answered failed, the writer told to finish, the
 * listener told. The socket closes without destroying what was sent ({@link LingeringClose}): once
 * the writer's last frame is out and the reader saw the peer close, or after that class's bounds.
 * Termination is complete when the reader, the writer and the socket's close have all ended.
 */
final class Termination {
  private static final Logger log = LoggerFactory.getLogger(Termination.class);

  private final Http2Connection connection;
  private final ReentrantLock lock;

  /** Counted down by the reader, the writer, and the socket's close. */
  private final CountDownLatch terminated = new CountDownLatch(3);

  private final CountDownLatch writerDone = new CountDownLatch(1);
  private final CountDownLatch readerDone = new CountDownLatch(1);
  private final LingeringClose lingering;

  /** Guarded by the connection's lock. */
  private boolean closed;

  Termination(Http2Connection connection, Socket socket) {
    this.connection = connection;
    this.lock = connection.lock;
    this.lingering = new LingeringClose(socket, connection.toString(), terminated::countDown);
  }

  /** True once the connection ended. */
  boolean isClosedLocked() {
    assert lock.isHeldByCurrentThread();
    return closed;
  }

  /**
   * Ends the connection as {@code ending}, with {@code error} and {@code debug} for a GOAWAY of our
   * own; a no-op after the first call. Returns the number of streams that were still open.
   */
  int end(Ending ending, ErrorCode error, String debug) {
    List<Http2Stream> left;
    List<CompletableFuture<Void>> unanswered;
    boolean failure = ending == Ending.GOAWAY && error != ErrorCode.NO_ERROR;
    lock.lock();
    try {
      if (closed) return 0;
      closed = true;
      left = connection.streams.clearLocked();
      unanswered = connection.pings.takeAllLocked();
      connection.shutdown.endLocked(ending, error, debug);
      connection.flow.wakeWritersLocked();
      connection.streams.slotFreed.signalAll();
      String why = failure ? "connection error: " + debug : "connection closed";
      ErrorCode code = ending == Ending.GOAWAY ? error : ErrorCode.CANCEL;
      for (Http2Stream stream : left) {
        Reason reason =
            connection.shutdown.refusedByPeerLocked(stream.id())
                ? Reason.REFUSED
                : Reason.CONNECTION_CLOSED;
        stream.failLocked(new StreamResetException(why, code, reason), true);
      }
    } finally {
      lock.unlock();
    }
    connection.shutdown.ended();
    // After an error only the GOAWAY matters; after a clean end what is queued still goes out.
    connection.writer.finish(failure);
    lingering.watch(connection + "-closer", writerDone, readerDone);
    IOException closedException = new IOException("connection closed");
    for (CompletableFuture<Void> ping : unanswered) ping.completeExceptionally(closedException);
    try {
      connection.listener.onClose(connection);
    } catch (RuntimeException e) {
      log.warn("{}: listener failed in onClose", connection, e);
    }
    return left.size();
  }

  /** The writer thread ends; {@code failed} if the socket could not be written. */
  void writerEnded(boolean failed) {
    if (failed) {
      // The socket can't be written any more: nothing left to preserve.
      end(Ending.LOST, ErrorCode.NO_ERROR, "");
      lingering.close();
    } else {
      lingering.outputDone(); // FIN after the last frame; the reader lingers for the peer's
    }
    writerDone.countDown();
    terminated.countDown();
  }

  /** The reader thread ends: it reads what the peer still sends until the socket closes. */
  void readerEnded(InputStream in) {
    lingering.discardInput(in); // never close with unread input: see LingeringClose
    readerDone.countDown();
    terminated.countDown();
  }

  /** Waits until both threads ended and the socket closed; true if within the timeout. */
  boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    return terminated.await(timeout, unit);
  }

  /** Waits until both threads ended and the socket closed. */
  void await() throws InterruptedException {
    terminated.await();
  }
}
