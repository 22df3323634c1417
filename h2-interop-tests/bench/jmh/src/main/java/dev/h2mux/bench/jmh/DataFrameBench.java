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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Serializing and parsing one DATA frame with {@link FrameWriter} and {@link FrameReader}, in
 * memory (no socket): the per-frame cost of the codec itself, for a tiny and a full frame.
 * Reads go into one reused payload buffer, the way the engine reads into its spare chunks.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class DataFrameBench {
  /** DATA payload size: a tiny body, and a full default-size frame. */
  @Param({"12", "16384"})
  public int dataLength;

  private byte[] data;
  private ByteArrayOutputStream sink;
  private FrameWriter writer;
  private ByteArrayInputStream dataSource;
  private FrameReader dataReader;

  @Setup
  public void setup() throws IOException {
    data = new byte[dataLength];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    sink = new ByteArrayOutputStream(32 * 1024);
    writer = new FrameWriter(sink);

    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    new FrameWriter(wire).data(1, data, 0, data.length, true);
    dataSource = new ByteArrayInputStream(wire.toByteArray());
    dataReader = new FrameReader(dataSource, 16384);
    // As the engine does: payloads are read into a buffer that is reused once read. With a
    // fresh 16 KiB array per frame the figure measured the garbage collector, not the codec.
    byte[] reused = new byte[16384];
    dataReader.dataBuffers(length -> length <= reused.length ? reused : new byte[length]);
  }

  @Benchmark
  public int writeData() throws IOException {
    sink.reset();
    writer.data(1, data, 0, data.length, true);
    return sink.size();
  }

  @Benchmark
  public Frame readData() throws IOException {
    dataSource.reset();
    return dataReader.readFrame();
  }
}
