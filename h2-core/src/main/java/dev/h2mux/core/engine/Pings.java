package dev.h2mux.core.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The PINGs we sent (RFC 9113 §6.7), each with the future its ACK completes: the application's
 * liveness checks, and the round trips that a graceful shutdown ({@link GracefulShutdown}) and an
 * early response ({@link EarlyResponses}) wait for. Guarded by the connection's lock.
 */
final class Pings {
  private final Http2Connection connection;
  private final ReentrantLock lock;
  private final ConnectionWriter writer;
  private final Map<Long, CompletableFuture<Void>> pending = new HashMap<>();
  private long nextPayload = 1;

  Pings(Http2Connection connection) {
    this.connection = connection;
    this.lock = connection.lock;
    this.writer = connection.writer;
  }

  /** Where a PING goes among the frames queued. */
  private enum Place {
    AHEAD_OF_DATA,
    AFTER_QUEUED
  }

  /** Sends a PING ahead of queued DATA; the future completes with its ACK. */
  CompletableFuture<Void> send() {
    return send(Place.AHEAD_OF_DATA);
  }

  /**
   * Sends a PING behind every frame queued before it, so its ACK shows the peer has read them; the
   * future completes with the ACK.
   */
  CompletableFuture<Void> sendAfterQueued() {
    return send(Place.AFTER_QUEUED);
  }

  private CompletableFuture<Void> send(Place place) {
    CompletableFuture<Void> future = new CompletableFuture<>();
    long payload = register(future);
    if (payload == 0) return future;
    ConnectionWriter.Op ping = (w, e) -> w.ping(false, payload);
    try {
      if (place == Place.AFTER_QUEUED) writer.controlInOrder(ping);
      else writer.control(ping);
    } catch (IOException e) {
      future.completeExceptionally(e);
    }
    return future;
  }

  /** Registers {@code future} under a new payload; 0 (and the future failed) once closed. */
  private long register(CompletableFuture<Void> future) {
    lock.lock();
    try {
      if (connection.isClosedLocked()) {
        future.completeExceptionally(new IOException("connection closed"));
        return 0;
      }
      long payload = nextPayload++;
      pending.put(payload, future);
      return payload;
    } finally {
      lock.unlock();
    }
  }

  /** The peer acknowledged the PING with {@code payload}; an unknown payload is ignored. */
  void acknowledged(long payload) {
    CompletableFuture<Void> future;
    lock.lock();
    try {
      future = pending.remove(payload);
    } finally {
      lock.unlock();
    }
    if (future != null) future.complete(null);
  }

  /** The connection ended: the PINGs not answered, for the caller to fail outside the lock. */
  List<CompletableFuture<Void>> takeAllLocked() {
    assert lock.isHeldByCurrentThread();
    List<CompletableFuture<Void>> unanswered = new ArrayList<>(pending.values());
    pending.clear();
    return unanswered;
  }
}
