package dev.h2mux.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** The reusable DATA chunks: reused, bounded, and given up on release. */
class ChunkPoolTest {
  private static final int CHUNK = ChunkPool.CHUNK_SIZE;
  private final ReentrantLock writerLock = new ReentrantLock();
  private final ChunkPool pool = new ChunkPool(writerLock, 2 * CHUNK);

  @Test
  void aRecycledChunkIsHandedOutAgain() {
    byte[] chunk = pool.take(CHUNK - 100);
    assertThat(chunk).hasSize(CHUNK);
    pool.recycle(chunk);
    assertThat(pool.take(CHUNK)).isSameAs(chunk);
    assertThat(pool.take(CHUNK)).isNotSameAs(chunk);
  }

  @Test
  void smallPayloadsGetExactArraysNotChunks() {
    pool.recycle(pool.take(CHUNK));
    byte[] small = pool.take(100);
    assertThat(small).hasSize(100); // a 16 KiB chunk per tiny frame would multiply the window
    assertThat(pool.spares()).isEqualTo(1);
  }

  @Test
  void payloadsLargerThanAChunkGetTheirOwnArray() {
    pool.recycle(pool.take(CHUNK));
    byte[] large = pool.take(CHUNK + 1);
    assertThat(large).hasSize(CHUNK + 1);
    pool.recycle(large); // not chunk-sized: never kept
    assertThat(pool.spares()).isEqualTo(1);
  }

  @Test
  void sparesAreBoundedByTheQueuedDataLimit() {
    for (int i = 0; i < 5; i++) pool.recycle(new byte[CHUNK]);
    assertThat(pool.spares()).isEqualTo(2); // 2 × CHUNK is the limit given above
  }

  @Test
  void afterAReleaseNothingIsKeptUntilFramesFlowAgain() {
    pool.recycle(new byte[CHUNK]);
    pool.release();
    assertThat(pool.spares()).isZero();
    pool.recycle(new byte[CHUNK]); // read by the application after the quiet second
    assertThat(pool.spares()).isZero();
    pool.keep();
    pool.recycle(new byte[CHUNK]);
    assertThat(pool.spares()).isEqualTo(1);
  }

  @Test
  void afterTheSocketFailedNothingIsKept() {
    pool.recycle(new byte[CHUNK]);
    writerLock.lock();
    try {
      pool.closeLocked();
    } finally {
      writerLock.unlock();
    }
    assertThat(pool.spares()).isZero();
    pool.recycle(new byte[CHUNK]);
    assertThat(pool.spares()).isZero();
  }

  @Test
  void lockedMethodsRequireTheWritersLock() {
    // Surefire runs with assertions on: a caller that forgot the lock is caught here.
    assertThatThrownBy(pool::takeLocked).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> pool.keepLocked(new byte[CHUNK])).isInstanceOf(AssertionError.class);
  }
}
