package io.rekko.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.junit.jupiter.api.Test;

class DisposableKafkaIT {

  @Test
  void aDisposableBrokerIsItsOwnAndUnreachableOnceClosedWhileTheSharedOneServesOn()
      throws Exception {
    DisposableKafka kafka = DisposableKafka.start();
    String topic = kafka.uniqueTopic("own");
    try {
      assertNotEquals(TestServers.kafka().bootstrapServers(), kafka.bootstrapServers());
      kafka.createTopic(topic, 2);
      assertTrue(topics(kafka).contains(topic));
      assertFalse(topics(TestServers.kafka()).contains(topic), "not on the shared broker");
    } finally {
      kafka.close();
    }

    assertThrows(ExecutionException.class, () -> topics(kafka));
    kafka.close(); // Idempotent.
    topics(TestServers.kafka());
  }

  private static Set<String> topics(KafkaBroker broker) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000))) {
      return admin
          .listTopics(new ListTopicsOptions().timeoutMs(2_000))
          .names()
          .get(5, TimeUnit.SECONDS);
    }
  }
}
