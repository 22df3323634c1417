package dev.h2mux.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** The writer's reusable DATA chunks: reused, bounded, and given up on release. */
class ConnectionWriterTest {
  private static final int CHUNK = ConnectionWriter.CHUNK_SIZE;
  private final ConnectionWriter writer =
      new ConnectionWriter(new ByteArrayOutputStream(), 64 * 1024, 16, 2 * CHUNK);

  @Test
  void aRecycledChunkIsHandedOutAgain() {
    byte[] chunk = writer.takeChunk(CHUNK - 100);
    assertThat(chunk).hasSize(CHUNK);
    writer.recycleChunk(chunk);
    assertThat(writer.takeChunk(CHUNK)).isSameAs(chunk);
    assertThat(writer.takeChunk(CHUNK)).isNotSameAs(chunk);
  }

  @Test
  void smallPayloadsGetExactArraysNotChunks() {
    writer.recycleChunk(writer.takeChunk(CHUNK));
    byte[] small = writer.takeChunk(100);
    assertThat(small).hasSize(100); // a 16 KiB chunk per tiny frame would multiply the window
    assertThat(writer.spareChunks()).isEqualTo(1);
  }

  @Test
  void payloadsLargerThanAChunkGetTheirOwnArray() {
    writer.recycleChunk(writer.takeChunk(CHUNK));
    byte[] large = writer.takeChunk(CHUNK + 1);
    assertThat(large).hasSize(CHUNK + 1);
    writer.recycleChunk(large); // not chunk-sized: never kept
    assertThat(writer.spareChunks()).isEqualTo(1);
  }

  @Test
  void sparesAreBoundedByTheQueuedDataLimit() {
    for (int i = 0; i < 5; i++) writer.recycleChunk(new byte[CHUNK]);
    assertThat(writer.spareChunks()).isEqualTo(2); // 2 × CHUNK is the limit given above
  }

  @Test
  void afterAReleaseNothingIsKeptUntilFramesFlowAgain() {
    writer.recycleChunk(new byte[CHUNK]);
    writer.releaseSpareChunks();
    assertThat(writer.spareChunks()).isZero();
    writer.recycleChunk(new byte[CHUNK]); // read by the application after the quiet second
    assertThat(writer.spareChunks()).isZero();
    writer.keepSpareChunks();
    writer.recycleChunk(new byte[CHUNK]);
    assertThat(writer.spareChunks()).isEqualTo(1);
  }
}
