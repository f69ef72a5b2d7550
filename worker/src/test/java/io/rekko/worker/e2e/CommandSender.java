package io.rekko.worker.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.rekko.schema.Command;
import io.rekko.schema.CommandCodec;
import io.rekko.schema.CommandType;
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
 * Command#recordKey()}, so that one face's commands share a partition and keep their order; face
 * commands to the commands topic, admin commands ({@link CommandType#isAdmin()}) to the admin
 * topic. Also produces anything else (poison) with any key, on the same terms.
 *
 * <p>Every send waits for the broker's acknowledgement, so when a method returns, the records are
 * in their topics in the order given (one producer, idempotent, acks=all). There is no order
 * between the two topics: a test that needs an admin command applied first waits for its event.
 */
final class CommandSender implements AutoCloseable {
  private final String commandsTopic;
  private final String adminTopic;
  private final KafkaProducer<byte[], byte[]> producer;
  private final CommandCodec codec = CommandCodec.withDefaults();

  /** A producer to the two input topics that logs in as {@code kafka}'s most privileged client. */
  CommandSender(KafkaBroker kafka, String commandsTopic, String adminTopic) {
    this.commandsTopic = commandsTopic;
    this.adminTopic = adminTopic;
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

  /** The topic the command's type belongs on. */
  String topicOf(Command command) {
    return command.type().isAdmin() ? adminTopic : commandsTopic;
  }

  /** Sends one command and waits for its acknowledgement. */
  RecordMetadata send(Command command) {
    return sendAll(List.of(command)).getFirst();
  }

  /** Sends commands in this order and waits for every acknowledgement. */
  List<RecordMetadata> sendAll(List<? extends Command> commands) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (Command command : commands) {
      records.add(record(topicOf(command), command.recordKey(), codec.encode(command)));
    }
    return sendRecords(records);
  }

  /** Sends a command to {@code topic}, whichever topic its type belongs on. */
  RecordMetadata sendTo(String topic, Command command) {
    return sendRecords(List.of(record(topic, command.recordKey(), codec.encode(command))))
        .getFirst();
  }

  /**
   * Sends any value under any key (null: no key) to the commands topic, as a careless or hostile
   * producer might.
   */
  RecordMetadata sendRaw(String key, byte[] value) {
    return sendRecords(List.of(record(commandsTopic, key, value))).getFirst();
  }

  /** A record for {@link #sendRawAll}: any key (null: no key) and any value (null: a tombstone). */
  record Raw(String key, byte[] value) {}

  /**
   * Sends every record to the commands topic in this order, all in flight at once, and waits for
   * every acknowledgement: the way to put thousands of records on the topic quickly.
   */
  List<RecordMetadata> sendRawAll(List<Raw> raws) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(raws.size());
    for (Raw raw : raws) {
      records.add(record(commandsTopic, raw.key(), raw.value()));
    }
    return sendRecords(records);
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
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
      throw new IllegalStateException(
          "producing to " + commandsTopic + " or " + adminTopic + " failed", e);
    }
    return sent;
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(10));
  }
}
