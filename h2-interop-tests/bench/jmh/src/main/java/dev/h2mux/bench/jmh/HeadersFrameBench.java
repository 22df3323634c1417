package dev.h2mux.bench.jmh;

import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameReader;
import dev.h2mux.core.frame.FrameWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
 * Serializing and parsing one HEADERS frame carrying a typical request's field block (as HPACK
 * encodes it once the dynamic table is warm), in memory: the framing cost without HPACK.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HeadersFrameBench {
  private byte[] headerBlock;
  private ByteArrayOutputStream sink;
  private FrameWriter writer;
  private ByteArrayInputStream source;
  private FrameReader reader;

  @Setup
  public void setup() throws IOException {
    headerBlock = HpackBench.typicalBlock(2);
    sink = new ByteArrayOutputStream(1024);
    writer = new FrameWriter(sink);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    new FrameWriter(wire).headers(1, headerBlock, true, null);
    source = new ByteArrayInputStream(wire.toByteArray());
    reader = new FrameReader(source, 16384);
  }

  @Benchmark
  public int writeHeaders() throws IOException {
    sink.reset();
    writer.headers(1, headerBlock, true, null);
    return sink.size();
  }

  @Benchmark
  public Frame readHeaders() throws IOException {
    source.reset();
    return reader.readFrame();
  }
}
