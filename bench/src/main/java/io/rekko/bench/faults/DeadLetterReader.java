package io.rekko.bench.faults;

import io.rekko.bench.faults.History.DeadLetter;
import io.rekko.schema.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the whole dead-letter topic, without a consumer group, and names each dead letter by the
 * source record its headers point at.
 */
final class DeadLetterReader implements AutoCloseable {
  private final String topic;
  private final KafkaConsumer<byte[], byte[]> consumer;

  DeadLetterReader(String bootstrapServers, String topic) {
    this.topic = topic;
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "rekko-faults-dead-letters",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
  }

  /** Every dead letter written so far; none while the topic does not exist yet. */
  List<DeadLetter> readAll() {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    List<DeadLetter> letters = new ArrayList<>();
    if (partitions.isEmpty()) {
      return letters;
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("could not read the dead-letter topic " + topic);
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
        letters.add(
            new DeadLetter(
                header(record, DeadLetterHeaders.SOURCE_TOPIC),
                Integer.parseInt(header(record, DeadLetterHeaders.SOURCE_PARTITION)),
                Long.parseLong(header(record, DeadLetterHeaders.SOURCE_OFFSET)),
                header(record, DeadLetterHeaders.ERROR_CODE),
                Instant.ofEpochMilli(record.timestamp())));
      }
    }
    return letters;
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
