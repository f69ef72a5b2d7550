package io.rekko.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;

/**
 * Reads the dead-letter topic without joining a consumer group (nothing is committed, nothing moves
 * for the worker or anyone else): the last or first records of every partition, or one record by
 * partition and offset. Every wait is bounded by the CLI's {@code --timeout}.
 */
final class DeadLetters implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final Duration timeout;

  /** A dead letter's place: {@code <partition>:<offset>}. */
  record Ref(int partition, long offset) {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9}):(\\d{1,18})");

    static Ref parse(String written) {
      Matcher m = FORM.matcher(written);
      if (!m.matches()) {
        throw new CommandLine.TypeConversionException(
            "'" + written + "' is not PARTITION:OFFSET, e.g. 0:42 (as dlq list prints)");
      }
      return new Ref(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)));
    }

    @Override
    public String toString() {
      return partition + ":" + offset;
    }
  }

  /** picocli's converter for {@link Ref} parameters. */
  static final class RefConverter implements CommandLine.ITypeConverter<Ref> {
    @Override
    public Ref convert(String value) {
      return Ref.parse(value);
    }
  }

  DeadLetters(ConnectionOptions connection) {
    this.topic = connection.deadLetterTopic;
    this.timeout = connection.timeout;
    Map<String, Object> properties = new HashMap<>(connection.kafkaClientProperties());
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers);
    properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "rekko-cli-dlq");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
    properties.put(
        ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        Long.toString(Math.max(1000, timeout.toMillis() / 2)));
    properties.put(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    properties.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    this.consumer = new KafkaConsumer<>(properties);
  }

  String topic() {
    return topic;
  }

  /**
   * Up to {@code limit} dead letters, oldest first: the newest ones of the topic, or with {@code
   * fromBeginning} the oldest ones.
   */
  List<ConsumerRecord<byte[], byte[]>> list(int limit, boolean fromBeginning) {
    List<TopicPartition> partitions = partitions();
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
    Map<TopicPartition, Long> stop = new HashMap<>();
    consumer.assign(partitions);
    for (TopicPartition partition : partitions) {
      long first = begin.get(partition);
      long last = end.get(partition);
      long start = fromBeginning ? first : Math.max(first, last - limit);
      consumer.seek(partition, start);
      stop.put(partition, fromBeginning ? Math.min(last, start + limit) : last);
    }
    List<ConsumerRecord<byte[], byte[]>> records = readUntil(stop);
    records.sort(
        Comparator.comparingLong((ConsumerRecord<byte[], byte[]> r) -> r.timestamp())
            .thenComparingInt(ConsumerRecord::partition)
            .thenComparingLong(ConsumerRecord::offset));
    if (records.size() <= limit) {
      return records;
    }
    return fromBeginning
        ? records.subList(0, limit)
        : records.subList(records.size() - limit, records.size());
  }

  /** The dead letter at {@code ref}, if the topic holds it. */
  Optional<ConsumerRecord<byte[], byte[]>> find(Ref ref) {
    TopicPartition partition = new TopicPartition(topic, ref.partition());
    if (!partitions().contains(partition)) {
      return Optional.empty();
    }
    long first = consumer.beginningOffsets(List.of(partition), timeout).get(partition);
    long last = consumer.endOffsets(List.of(partition), timeout).get(partition);
    if (ref.offset() < first || ref.offset() >= last) {
      return Optional.empty();
    }
    consumer.assign(List.of(partition));
    consumer.seek(partition, ref.offset());
    return readUntil(Map.of(partition, ref.offset() + 1)).stream()
        .filter(r -> r.offset() == ref.offset())
        .findFirst();
  }

  private List<TopicPartition> partitions() {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
    if (infos == null || infos.isEmpty()) {
      throw new CliFailure(
          "the dead-letter topic '"
              + topic
              + "' does not exist (--dead-letter-topic, REKKO_KAFKA_DEAD_LETTER_TOPIC)");
    }
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : infos) {
      partitions.add(new TopicPartition(topic, info.partition()));
    }
    return partitions;
  }

  /** Reads every assigned partition up to (not including) its stop offset. */
  private List<ConsumerRecord<byte[], byte[]>> readUntil(Map<TopicPartition, Long> stop) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    Instant deadline = Instant.now().plus(timeout);
    while (!reached(stop)) {
      if (Instant.now().isAfter(deadline)) {
        throw new CliFailure(
            "reading '"
                + topic
                + "' took longer than the timeout of "
                + timeout.toSeconds()
                + " s");
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (record.offset() < stop.get(partition)) {
          records.add(record);
        }
      }
    }
    return records;
  }

  private boolean reached(Map<TopicPartition, Long> stop) {
    for (Map.Entry<TopicPartition, Long> entry : stop.entrySet()) {
      if (consumer.position(entry.getKey(), timeout) < entry.getValue()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
