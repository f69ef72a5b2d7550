package io.rekko.worker.engine;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.rekko.testkit.KafkaBroker;
import io.rekko.testkit.TestServers;
import io.rekko.worker.support.Backoff;
import io.rekko.worker.support.MetricNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the engine's integration tests share: the testkit's broker, settings tuned for short tests,
 * a producer, and reading back committed positions and topics.
 */
final class EngineTesting {

  /** A record the tests know about: where it landed and what it carried. */
  record Position(int partition, long offset) {
    static Position of(ConsumerRecord<byte[], byte[]> record) {
      return new Position(record.partition(), record.offset());
    }
  }

  private EngineTesting() {}

  static KafkaBroker kafka() {
    return TestServers.kafka();
  }

  /** A fresh input topic and dead-letter topic; returns {input, deadLetter}. */
  static String[] topics(String prefix, int partitions) {
    return topics(kafka(), prefix, partitions);
  }

  /** {@link #topics(String, int)} on another broker. */
  static String[] topics(KafkaBroker kafka, String prefix, int partitions) {
    String input = kafka.uniqueTopic(prefix);
    String deadLetter = input + ".dlq";
    kafka.createTopic(input, partitions);
    kafka.createTopic(deadLetter, 1);
    return new String[] {input, deadLetter};
  }

  /** Quick heartbeats and commits, so that rebalances and commits happen within a test. */
  static final GroupSettings GROUP =
      new GroupSettings(
          Duration.ofSeconds(6),
          Duration.ofSeconds(30),
          Duration.ofSeconds(10),
          Duration.ofMillis(200));

  /** A short backoff, so that retries happen within a test. */
  static final RetrySettings RETRY =
      new RetrySettings(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)), 5);

  static final Duration SHUTDOWN = Duration.ofSeconds(10);

  /** Settings for tests: a unique group, quick heartbeats and commits, short backoff. */
  static EngineSettings settings(String input, String deadLetter) {
    return settings(input, deadLetter, FlowSettings.DEFAULTS);
  }

  /** {@link #settings(String, String)} with the given flow limits. */
  static EngineSettings settings(String input, String deadLetter, FlowSettings flow) {
    return new EngineSettings(
        client(kafka(), input),
        existingTopics(input, deadLetter),
        GROUP,
        flow,
        BufferSettings.DEFAULTS,
        RETRY,
        SHUTDOWN);
  }

  /** {@link #settings(String, String)} on another broker. */
  static EngineSettings settings(KafkaBroker kafka, String input, String deadLetter) {
    return new EngineSettings(
        client(kafka, input),
        existingTopics(input, deadLetter),
        GROUP,
        FlowSettings.DEFAULTS,
        BufferSettings.DEFAULTS,
        RETRY,
        SHUTDOWN);
  }

  /** The test broker, a unique group, client ids named after the input, quick heartbeats. */
  static ClientSettings client(String input) {
    return client(kafka(), input);
  }

  static ClientSettings client(KafkaBroker kafka, String input) {
    return new ClientSettings(
        kafka.bootstrapServers(),
        "group-" + UUID.randomUUID(),
        "it-" + input,
        Map.of(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "300"),
        Map.of());
  }

  static TopicSettings existingTopics(String input, String deadLetter) {
    return TopicSettings.existing(List.of(input), deadLetter);
  }

  /** {@link #GROUP} committing every {@code commitInterval}. */
  static GroupSettings group(Duration commitInterval) {
    return new GroupSettings(
        GROUP.sessionTimeout(),
        GROUP.maxPollInterval(),
        GROUP.revocationDeadline(),
        commitInterval);
  }

  static KafkaProducer<byte[], byte[]> producer() {
    return producer(kafka());
  }

  static KafkaProducer<byte[], byte[]> producer(KafkaBroker kafka) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(config);
  }

  static ProducerRecord<byte[], byte[]> message(
      String topic, Integer partition, String key, String value) {
    return new ProducerRecord<>(
        topic, partition, key == null ? null : key.getBytes(UTF_8), value.getBytes(UTF_8));
  }

  /** Sends and waits for every acknowledgement. */
  static void send(List<ProducerRecord<byte[], byte[]>> records) {
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
      for (ProducerRecord<byte[], byte[]> record : records) {
        acks.add(producer.send(record));
      }
      for (java.util.concurrent.Future<?> ack : acks) {
        ack.get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("producing test records failed", e);
    }
  }

  static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, UTF_8);
  }

  static Admin admin() {
    return admin(kafka());
  }

  static Admin admin(KafkaBroker kafka) {
    return Admin.create(
        Map.<String, Object>of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  /** The group's committed positions, as the broker holds them. */
  static Map<TopicPartition, OffsetAndMetadata> committed(String groupId) {
    return committed(kafka(), groupId);
  }

  /** {@link #committed(String)} on another broker. */
  static Map<TopicPartition, OffsetAndMetadata> committed(KafkaBroker kafka, String groupId) {
    try (Admin admin = admin(kafka)) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(groupId)
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> present = new HashMap<>();
      committed.forEach(
          (partition, position) -> {
            if (position != null) {
              present.put(partition, position);
            }
          });
      return present;
    } catch (Exception e) {
      throw new IllegalStateException("reading committed offsets of " + groupId + " failed", e);
    }
  }

  /** True when the committed positions say this record is finished. */
  static boolean covered(
      Map<TopicPartition, OffsetAndMetadata> committed, String topic, Position position) {
    OffsetAndMetadata commit = committed.get(new TopicPartition(topic, position.partition()));
    if (commit == null) {
      return false;
    }
    if (position.offset() < commit.offset()) {
      return true;
    }
    long bit = position.offset() - commit.offset() - 1;
    BitSet finished = CommitMetadata.decode(commit.metadata());
    return bit >= 0 && finished.get((int) bit);
  }

  /** The log-end offset of every partition of a topic. */
  static Map<Integer, Long> endOffsets(String topic, int partitions) {
    try (Admin admin = admin()) {
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        request.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<Integer, Long> ends = new HashMap<>();
      admin
          .listOffsets(request)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach((partition, info) -> ends.put(partition.partition(), info.offset()));
      return ends;
    } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("reading end offsets of " + topic + " failed", e);
    }
  }

  /** Reads a whole (small) topic from the beginning until {@code count} records came. */
  static List<ConsumerRecord<byte[], byte[]>> readTopic(String topic, int count) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka().bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(Set.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /** The value of an engine counter, summed over its tags. */
  static double count(MeterRegistry registry, String name, String... tags) {
    return Search.in(registry).name(name).tags(tags).counters().stream()
        .mapToDouble(counter -> counter.count())
        .sum();
  }

  static double assigned(MeterRegistry registry) {
    return count(registry, MetricNames.PARTITION_CHANGES.name(), "change", "assigned");
  }

  /** The committed offset of each partition of {@code topic} that has a commit. */
  static Map<Integer, Long> committedOffsets(String groupId, String topic) {
    return committedOffsets(kafka(), groupId, topic);
  }

  /** {@link #committedOffsets(String, String)} on another broker. */
  static Map<Integer, Long> committedOffsets(KafkaBroker kafka, String groupId, String topic) {
    Map<Integer, Long> offsets = new HashMap<>();
    committed(kafka, groupId)
        .forEach(
            (partition, position) -> {
              if (partition.topic().equals(topic)) {
                offsets.put(partition.partition(), position.offset());
              }
            });
    return offsets;
  }

  /** A handler's simulated work: the sleep stands for a database call, not for a wait. */
  static void simulateWork(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
