package io.rekko.bench;

import io.rekko.schema.Command;
import io.rekko.schema.CommandCodec;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The benchmark's view of Kafka: it creates topics, produces commands as an upstream API would
 * ({@code acks=all}, keyed as the contract says), and reads the consumer group's committed offsets.
 */
public final class Kafka implements AutoCloseable {
  /** Header carrying the wall-clock send time, in epoch microseconds. */
  static final String SENT_AT_HEADER = "rekko-bench-sent-at";

  /** Partitions of every topic the benchmark creates: the worker's default. */
  static final int PARTITIONS = 12;

  private final Admin admin;
  private final KafkaProducer<String, byte[]> producer;
  private final CommandCodec codec = CommandCodec.withDefaults();

  public Kafka(String bootstrapServers) {
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    this.producer = producer(bootstrapServers, "rekko-bench-producer");
  }

  /**
   * A producer of commands, keyed by record key, that keeps each key's commands in order: one
   * request in flight keeps a face's commands in order through retries. Idempotence is off: on a
   * topic seconds old, the single broker answers NOT_LEADER_OR_FOLLOWER to the first batches and
   * the idempotent producer's retries then stall on sequence numbers. A retried duplicate is
   * harmless here: same command id, same answer from the ledger.
   */
  public static KafkaProducer<String, byte[]> producer(String bootstrapServers, String clientId) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.CLIENT_ID_CONFIG,
            clientId,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            false,
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
            1,
            ProducerConfig.LINGER_MS_CONFIG,
            2,
            ProducerConfig.BATCH_SIZE_CONFIG,
            256 * 1024,
            ProducerConfig.BUFFER_MEMORY_CONFIG,
            256L * 1024 * 1024,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class));
  }

  /**
   * The admin topic that goes with the commands topic {@code topic}: admin commands (tenant
   * upserts) are sent there, as the worker takes them from its admin topic only.
   */
  public static String adminTopicOf(String topic) {
    return topic + ".admin";
  }

  /**
   * Creates the commands topic and its admin topic, and returns once the producer sees a leader for
   * every partition: sending earlier meets NOT_LEADER_OR_FOLLOWER, and the idempotent producer's
   * retries of those first batches can then stall on out-of-order sequence numbers.
   */
  public void createTopic(String topic) throws InterruptedException {
    List<String> topics = List.of(topic, adminTopicOf(topic));
    get(
        admin
            .createTopics(topics.stream().map(t -> new NewTopic(t, PARTITIONS, (short) 1)).toList())
            .all());
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!topics.stream().allMatch(this::allLed)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topics " + topics + " have no leaders after 30 s");
      }
      Thread.sleep(50);
    }
  }

  /**
   * Whether every partition of {@code topic} has a leader, as the admin client and the producer see
   * it. A topic just created may be unknown for a moment to the broker that answers (its metadata
   * not yet propagated): that is "not yet", not a failure.
   */
  private boolean allLed(String topic) {
    TopicDescription description;
    try {
      description = get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false;
      }
      throw e;
    }
    return description.partitions().size() == PARTITIONS
        && description.partitions().stream().allMatch(p -> p.leader() != null)
        && producer.partitionsFor(topic).stream().allMatch(p -> p.leader() != null);
  }

  /**
   * Sends {@code command} to {@code topic} (an admin command to its admin topic), after telling
   * {@code tally} to expect its answer as of {@code dueNanos}.
   */
  void send(String topic, Command command, Tally tally, long dueNanos) {
    tally.expect(command.envelope().commandId(), dueNanos);
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(
            command.type().isAdmin() ? adminTopicOf(topic) : topic,
            command.recordKey(),
            codec.encode(command));
    long micros = System.currentTimeMillis() * 1000;
    record.headers().add(SENT_AT_HEADER, ByteBuffer.allocate(8).putLong(micros).array());
    producer.send(
        record,
        (metadata, failure) -> {
          if (failure != null) {
            System.err.println("could not send a command: " + failure);
          }
        });
  }

  void flush() {
    producer.flush();
  }

  /** The sum over the topic's partitions of the group's committed offsets. */
  long committed(String group, String topic) {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
    return offsets.entrySet().stream()
        .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset())
        .sum();
  }

  /** The sum over the topic's partitions of their end offsets: records ever written. */
  long endOffsets(String topic) {
    TopicDescription description =
        get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
    Map<TopicPartition, OffsetSpec> request =
        description.partitions().stream()
            .collect(
                Collectors.toMap(
                    p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
    Map<TopicPartition, ListOffsetsResultInfo> ends = get(admin.listOffsets(request).all());
    return ends.values().stream().mapToLong(ListOffsetsResultInfo::offset).sum();
  }

  private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka refused: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }

  @Override
  public void close() {
    producer.close();
    admin.close();
  }
}
