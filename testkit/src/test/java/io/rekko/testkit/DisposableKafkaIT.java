package io.rekko.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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

  /**
   * The broker advertises its proxy, so a client bootstrapped through it stays behind it: a
   * blackhole silences the client's every request until the proxy passes again.
   */
  @Test
  void aBrokerBehindAProxyFallsSilentForItsClientsWhileTheProxyIsBlackholed() throws Exception {
    try (DisposableKafka kafka = DisposableKafka.startBehindProxy()) {
      String topic = kafka.uniqueTopic("proxied");
      kafka.createTopic(topic, 1);
      try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
        producer.send(new ProducerRecord<>(topic, new byte[] {1})).get(10, TimeUnit.SECONDS);

        kafka.proxy().blackhole();
        ExecutionException silent =
            assertThrows(
                ExecutionException.class,
                () ->
                    producer
                        .send(new ProducerRecord<>(topic, new byte[] {2}))
                        .get(30, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, silent.getCause());

        kafka.proxy().pass();
        producer.send(new ProducerRecord<>(topic, new byte[] {3})).get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(KafkaBroker broker) {
    return new KafkaProducer<>(
        Map.<String, Object>of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
            1_000,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            3_000,
            ProducerConfig.LINGER_MS_CONFIG,
            0));
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
