package io.rekko.bench;

import io.rekko.testkit.DisposableKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Kafka broker in a JVM of its own, so that its CPU is measured apart from the benchmark's: the
 * testkit's real KRaft broker on free ports. It writes its bootstrap address to the file named by
 * its first argument and runs until its standard input closes (the benchmark stops it, or dies).
 *
 * <p>With {@value #BEHIND_PROXY}, the broker is reached only through a TCP proxy in its JVM and
 * advertises the proxy's address, so every client stays behind it; the lines {@value #BLACKHOLE}
 * and {@value #PASS} on its standard input make the proxy stop forwarding (closing nothing) and
 * forward again, as a network partition and its healing would.
 */
public final class KafkaProcess {
  static final String BEHIND_PROXY = "--behind-proxy";
  static final String BLACKHOLE = "blackhole";
  static final String PASS = "pass";

  private static final Duration START_DEADLINE = Duration.ofSeconds(90);

  private KafkaProcess() {}

  /** A broker started by {@link #start}: its JVM and the address clients bootstrap from. */
  public record Running(ChildJvm jvm, String bootstrapServers) implements AutoCloseable {
    /** Makes the proxy stop forwarding; a broker started without one fails. */
    public void blackhole() {
      jvm.tell(BLACKHOLE);
    }

    /** Makes the proxy forward again. */
    public void pass() {
      jvm.tell(PASS);
    }

    @Override
    public void close() {
      jvm.close();
    }
  }

  /**
   * Starts the broker's JVM on this JVM's class path (behind a proxy when {@code behindProxy}) and
   * returns once it has written its address.
   */
  public static Running start(Path runDir, boolean behindProxy) throws InterruptedException {
    Path addressFile = runDir.resolve("kafka.address");
    List<String> args = new ArrayList<>(List.of(addressFile.toString()));
    if (behindProxy) {
      args.add(BEHIND_PROXY);
    }
    ChildJvm jvm =
        ChildJvm.start(
            "kafka",
            List.of("-Xmx1g", "-XX:+UseG1GC"),
            System.getProperty("java.class.path"),
            KafkaProcess.class.getName(),
            args,
            Map.of(),
            runDir);
    try {
      return new Running(jvm, awaitAddress(jvm, addressFile));
    } catch (RuntimeException | InterruptedException e) {
      jvm.close();
      throw e;
    }
  }

  private static String awaitAddress(ChildJvm kafka, Path addressFile) throws InterruptedException {
    Instant deadline = Instant.now().plus(START_DEADLINE);
    while (!Files.exists(addressFile)) {
      kafka.requireAlive();
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "the Kafka broker did not start within "
                + START_DEADLINE
                + "; its log ends with:\n"
                + kafka.logTail());
      }
      Thread.sleep(100);
    }
    try {
      return Files.readString(addressFile).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void main(String[] args) throws IOException {
    Path addressFile = Path.of(args[0]);
    boolean behindProxy = args.length > 1 && args[1].equals(BEHIND_PROXY);
    try (DisposableKafka kafka =
        behindProxy ? DisposableKafka.startBehindProxy() : DisposableKafka.start()) {
      Path partial = addressFile.resolveSibling(addressFile.getFileName() + ".partial");
      Files.writeString(partial, kafka.bootstrapServers());
      Files.move(partial, addressFile, StandardCopyOption.ATOMIC_MOVE);
      BufferedReader input =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = input.readLine()) != null) {
        switch (line.trim()) {
          case BLACKHOLE -> kafka.proxy().blackhole();
          case PASS -> kafka.proxy().pass();
          default -> System.err.println("unknown instruction: " + line);
        }
      }
    }
    System.exit(0);
  }
}
