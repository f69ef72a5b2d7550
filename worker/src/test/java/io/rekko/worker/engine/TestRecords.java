package io.rekko.worker.engine;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** Hand-built records for the engine's unit tests. */
final class TestRecords {
  static final String TOPIC = "in";
  static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

  private TestRecords() {}

  static ConsumerRecord<byte[], byte[]> record(TopicPartition partition, long offset, String key) {
    return new ConsumerRecord<>(
        partition.topic(),
        partition.partition(),
        offset,
        key == null ? null : key.getBytes(UTF_8),
        ("value-" + offset).getBytes(UTF_8));
  }

  static String key(PendingRecord record) {
    return record.record.key() == null ? null : new String(record.record.key(), UTF_8);
  }
}
