package io.rekko.bench;

import io.rekko.testkit.DisposableKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The Kafka broker in a JVM of its own, so that its CPU is measured apart from the benchmark's: the
 * testkit's real KRaft broker on free ports. It writes its bootstrap address to the file named by
 * its only argument and runs until its standard input closes (the benchmark stops it, or dies).
 */
public final class KafkaProcess {
  private KafkaProcess() {}

  public static void main(String[] args) throws IOException {
    Path addressFile = Path.of(args[0]);
    try (DisposableKafka kafka = DisposableKafka.start()) {
      Path partial = addressFile.resolveSibling(addressFile.getFileName() + ".partial");
      Files.writeString(partial, kafka.bootstrapServers());
      Files.move(partial, addressFile, StandardCopyOption.ATOMIC_MOVE);
      while (System.in.read() >= 0) {
        // Nothing is ever sent; end of input means stop.
      }
    }
    System.exit(0);
  }
}
