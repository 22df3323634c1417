package dev.h2mux.bench.jmh;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.Http2Exception;
import dev.h2mux.core.hpack.HpackDecoder;
import dev.h2mux.core.hpack.HpackEncoder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HPACK encode and decode of a typical browser-like request header block through
 * {@link HpackEncoder} and {@link HpackDecoder}: "cold" with fresh per-connection state (the
 * first request on a connection: literals, Huffman, table inserts) and "warm" with state that
 * has already seen the same fields (later requests: mostly indexed references).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HpackBench {
  /** A request as a browser sends it; the cookie is sensitive (never indexed). */
  static HttpFields typicalRequest() {
    return HttpFields.of(
        ":method", "GET",
        ":scheme", "https",
        ":authority", "www.example.com",
        ":path", "/assets/app/main.3f9a1c.js?v=20250101",
        "user-agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "accept-language", "en-US,en;q=0.5",
        "accept-encoding", "gzip, deflate, br, zstd",
        "referer", "https://www.example.com/",
        "cookie", "session=8f14e45fceea167a5a36dedd4bea2543; theme=dark",
        "sec-fetch-dest", "script",
        "sec-fetch-mode", "no-cors",
        "priority", "u=2");
  }

  /** The block for the {@code nth} (1-based) time the request is sent on a connection. */
  static byte[] typicalBlock(int nth) {
    HpackEncoder encoder = new HpackEncoder();
    byte[] block = null;
    for (int i = 0; i < nth; i++) {
      block = encoder.encode(typicalRequest());
    }
    return block;
  }

  private HttpFields fields;
  private HpackEncoder warmEncoder;
  private byte[] firstBlock;
  private byte[] laterBlock;
  private HpackDecoder warmDecoder;

  @Setup
  public void setup() throws Http2Exception {
    fields = typicalRequest();
    warmEncoder = new HpackEncoder();
    warmEncoder.encode(fields);
    HpackEncoder encoder = new HpackEncoder();
    firstBlock = encoder.encode(fields);
    laterBlock = encoder.encode(fields);
    warmDecoder = new HpackDecoder(16 * 1024, 4096);
    warmDecoder.decode(firstBlock);
  }

  @Benchmark
  public byte[] encodeCold() {
    return new HpackEncoder().encode(fields);
  }

  @Benchmark
  public byte[] encodeWarm() {
    return warmEncoder.encode(fields);
  }

  @Benchmark
  public HpackDecoder.Block decodeCold() throws Http2Exception {
    return new HpackDecoder(16 * 1024, 4096).decode(firstBlock);
  }

  /** Decodes the all-indexed block; it inserts nothing, so the table stays as set up. */
  @Benchmark
  public HpackDecoder.Block decodeWarm() throws Http2Exception {
    return warmDecoder.decode(laterBlock);
  }
}
