package io.rekko.worker.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.rekko.schema.Command;
import io.rekko.schema.CommandCodec;
import io.rekko.testkit.KafkaBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces commands as an upstream API does: the codec's canonical JSON, keyed by {@link
 * Command#recordKey()}, so that one face's commands share a partition and keep their order. Also
 * produces anything else (poison) with any key, on the same terms.
 *
 * <p>Every send waits for the broker's acknowledgement, so when a method returns, the records are
 * in the topic in the order given (one producer, idempotent, acks=all).
 */
final class CommandSender implements AutoCloseable {
  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;
  private final CommandCodec codec = CommandCodec.withDefaults();

  /** A producer to {@code topic} that logs in as {@code kafka}'s most privileged client. */
  CommandSender(KafkaBroker kafka, String topic) {
    this.topic = topic;
    Properties config = new Properties();
    config.putAll(kafka.clientProperties());
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // Oversized poison (above the codec's 64 KiB) must still reach the topic.
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000);
    this.producer = new KafkaProducer<>(config);
  }

  byte[] encode(Command command) {
    return codec.encode(command);
  }

  /** Sends one command and waits for its acknowledgement. */
  RecordMetadata send(Command command) {
    return sendAll(List.of(command)).getFirst();
  }

  /** Sends commands in this order and waits for every acknowledgement. */
  List<RecordMetadata> sendAll(List<? extends Command> commands) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (Command command : commands) {
      records.add(record(command.recordKey(), codec.encode(command)));
    }
    return sendRecords(records);
  }

  /** Sends any value under any key (null: no key), as a careless or hostile producer might. */
  RecordMetadata sendRaw(String key, byte[] value) {
    return sendRecords(List.of(record(key, value))).getFirst();
  }

  private ProducerRecord<byte[], byte[]> record(String key, byte[] value) {
    return new ProducerRecord<>(topic, key == null ? null : key.getBytes(UTF_8), value);
  }

  private List<RecordMetadata> sendRecords(List<ProducerRecord<byte[], byte[]>> records) {
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    for (ProducerRecord<byte[], byte[]> record : records) {
      acks.add(producer.send(record));
    }
    List<RecordMetadata> sent = new ArrayList<>();
    try {
      for (Future<RecordMetadata> ack : acks) {
        sent.add(ack.get(60, TimeUnit.SECONDS));
      }
    } catch (Exception e) {
      throw new IllegalStateException("producing to " + topic + " failed", e);
    }
    return sent;
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(10));
  }
}
