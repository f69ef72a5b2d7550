package io.rekko.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBrokerIT {

  private final KafkaBroker kafka = TestServers.kafka();

  @Test
  void recordsProducedToACreatedTopicAreConsumedThroughAConsumerGroup() throws Exception {
    String topic = kafka.uniqueTopic("smoke");
    kafka.createTopic(topic, 3);
    List<String> sent = List.of("a", "b", "c", "d", "e", "f");
    try (KafkaProducer<String, String> producer = producer()) {
      for (String value : sent) {
        producer.send(new ProducerRecord<>(topic, value, value)).get(10, TimeUnit.SECONDS);
      }
    }

    List<String> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = consumer(topic + "-group")) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(100))
                    .forEach(record -> received.add(record.value()));
                return received.size() >= sent.size();
              });
      consumer.commitSync();
    }

    assertEquals(sent, received.stream().sorted().toList());
  }

  @Test
  void topicsAreNotCreatedOnFirstUse() {
    String topic = kafka.uniqueTopic("never-created");
    Map<String, Object> shortBlock = Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000);
    try (KafkaProducer<String, String> producer = producer(shortBlock)) {
      ExecutionException failure =
          assertThrows(
              ExecutionException.class,
              () -> producer.send(new ProducerRecord<>(topic, "k", "v")).get(10, TimeUnit.SECONDS));
      assertTrue(failure.getCause().getMessage().contains(topic), failure.getCause().getMessage());
    }
  }

  @Test
  void uniqueTopicsDifferAndKeepTheirPrefix() {
    String first = kafka.uniqueTopic("orders");
    String second = kafka.uniqueTopic("orders");

    assertTrue(first.startsWith("orders-"), first);
    assertNotEquals(first, second);
  }

  private KafkaProducer<String, String> producer() {
    return producer(Map.of());
  }

  private KafkaProducer<String, String> producer(Map<String, Object> overrides) {
    Map<String, Object> config =
        new HashMap<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"));
    config.putAll(overrides);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  private KafkaConsumer<String, String> consumer(String group) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            group,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false),
        new StringDeserializer(),
        new StringDeserializer());
  }
}
