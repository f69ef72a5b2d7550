package io.rekko.testkit;

import org.apache.kafka.common.utils.internals.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an embedded Kafka broker from ending the test JVM.
 *
 * <p>On a fatal fault the broker calls {@code Exit.exit} or {@code Exit.halt}; a halt would skip
 * the shutdown hooks that stop the other servers. Inside tests the fault is logged and thrown
 * instead, so it fails the test that caused it.
 */
final class KafkaExit {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaExit.class);

  private KafkaExit() {}

  static synchronized void neverEndTheJvm() {
    Exit.setExitProcedure(KafkaExit::refuse);
    Exit.setHaltProcedure(KafkaExit::refuse);
  }

  private static void refuse(int status, String message) {
    LOG.error("Embedded Kafka asked to end the JVM with status {}: {}", status, message);
    throw new TestServerException(
        "embedded Kafka asked to end the JVM with status " + status + ": " + message);
  }
}
