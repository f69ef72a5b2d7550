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
  private final byte[][] varied = new byte[VARIED][];
  private int next;

  /** Messages for {@link #decodeFaceVerify512Varied}: more than a branch predictor learns. */
  private static final int VARIED = 256;

  @Setup
  public void encodeTheMessage() {
    command = SampleCommands.faceVerify(512);
    key = command.recordKey();
    message = codec.encode(command);
    if (!(codec.decode(key, message) instanceof DecodeResult.Decoded)) {
      throw new IllegalStateException("the benchmark message does not decode");
    }
    for (int i = 0; i < VARIED; i++) {
      varied[i] =
          codec.encode(
              new FaceVerify(
                  command.envelope(),
                  command.externalId(),
                  SampleCommands.embedding(512, 1_000 + i)));
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

  /** As {@link #decodeFaceVerify512}, a different message each time, as a worker decodes them. */
  @Benchmark
  public DecodeResult decodeFaceVerify512Varied() {
    next = (next + 1) % VARIED;
    return codec.decode(key, varied[next]);
  }

  @Benchmark
  public byte[] encodeFaceVerify512() {
    return codec.encode(command);
  }
}
