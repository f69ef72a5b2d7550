package io.rekko.schema;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode (and, for comparison, encode) of a {@code face.verify} with a 512-float embedding, the
 * worker's hottest message, on one thread. Run it as README.md says; not part of the test run.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CommandDecodeBenchmark {
  private final CommandCodec codec = CommandCodec.withDefaults();
  private FaceVerify command;
  private String key;
  private byte[] message;

  @Setup
  public void encodeTheMessage() {
    command = SampleCommands.faceVerify(512);
    key = command.recordKey();
    message = codec.encode(command);
    if (!(codec.decode(key, message) instanceof DecodeResult.Decoded)) {
      throw new IllegalStateException("the benchmark message does not decode");
    }
  }

  /** The message size, for the README. */
  public int messageBytes() {
    return message.length;
  }

  @Benchmark
  public DecodeResult decodeFaceVerify512() {
    return codec.decode(key, message);
  }

  @Benchmark
  public byte[] encodeFaceVerify512() {
    return codec.encode(command);
  }
}
