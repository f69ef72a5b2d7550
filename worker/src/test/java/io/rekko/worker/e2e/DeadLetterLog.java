package io.rekko.worker.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.rekko.schema.DeadLetterHeaders;
import io.rekko.testkit.KafkaBroker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the dead-letter topic from its beginning on a thread of its own, as an operator's tool
 * would, and keeps every record with its headers as strings.
 */
final class DeadLetterLog implements AutoCloseable {
  /** One dead letter: the original key and value, and every header (last value wins). */
  record DeadLetter(String key, byte[] value, Map<String, String> headers) {
    String header(String name) {
      return headers.get(name);
    }

    /** What the value holds: {@code as_read}, {@code sealed} or {@code digest}. */
    String form() {
      return header(DeadLetterHeaders.VALUE_FORM);
    }
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<DeadLetter> letters = new CopyOnWriteArrayList<>();
  private final Thread reader;

  /** Reads {@code topic}, logging in as {@code kafka}'s most privileged client. */
  DeadLetterLog(KafkaBroker kafka, String topic) {
    Properties config = new Properties();
    config.putAll(kafka.clientProperties());
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-dlq-reader-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    consumer = new KafkaConsumer<>(config);
    consumer.subscribe(Set.of(topic));
    reader = Thread.ofPlatform().name("e2e-dlq-reader-" + topic).daemon().start(this::read);
  }

  private void read() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          letters.add(letter(record));
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop.
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private static DeadLetter letter(ConsumerRecord<byte[], byte[]> record) {
    Map<String, String> headers = new HashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), header.value() == null ? null : new String(header.value(), UTF_8));
    }
    String key = record.key() == null ? null : new String(record.key(), UTF_8);
    return new DeadLetter(key, record.value(), Map.copyOf(nonNull(headers)));
  }

  private static Map<String, String> nonNull(Map<String, String> headers) {
    headers.replaceAll((name, value) -> value == null ? "" : value);
    return headers;
  }

  List<DeadLetter> letters() {
    return List.copyOf(letters);
  }

  /**
   * The dead letters of the record {@code sent}, found by their source headers: a dead letter's
   * value need not be the value sent (an embedding in it is sealed, or the whole value digested).
   */
  List<DeadLetter> of(RecordMetadata sent) {
    return letters.stream()
        .filter(
            l ->
                sent.topic().equals(l.header(DeadLetterHeaders.SOURCE_TOPIC))
                    && String.valueOf(sent.partition())
                        .equals(l.header(DeadLetterHeaders.SOURCE_PARTITION))
                    && String.valueOf(sent.offset())
                        .equals(l.header(DeadLetterHeaders.SOURCE_OFFSET)))
        .toList();
  }

  /** Waits for the first dead letter of the record {@code sent}. */
  DeadLetter await(RecordMetadata sent) {
    E2eHarness.patiently("the dead letter of offset " + sent.offset() + " of " + sent.topic())
        .until(() -> !of(sent).isEmpty());
    return of(sent).getFirst();
  }

  @Override
  public void close() {
    consumer.wakeup();
    try {
      reader.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
