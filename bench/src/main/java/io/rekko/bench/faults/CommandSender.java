package io.rekko.bench.faults;

import io.rekko.bench.Kafka;
import io.rekko.bench.faults.History.Sent;
import io.rekko.schema.Command;
import io.rekko.schema.CommandCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Produces commands as an upstream API would (the contract's codec, topic and record key, {@code
 * acks=all}) and records every command Kafka acknowledged, with the partition and offset it got:
 * the checker's list of what was sent. One request in flight keeps each key's commands in the order
 * sent through retries; a retry that writes a command twice is a redelivery the worker must absorb.
 */
final class CommandSender implements AutoCloseable {
  private final String commandsTopic;
  private final String adminTopic;
  private final KafkaProducer<String, byte[]> producer;
  private final CommandCodec codec = CommandCodec.withDefaults();
  private final List<Sent> sent = new ArrayList<>();
  private final AtomicLong failures = new AtomicLong();

  CommandSender(String bootstrapServers, String commandsTopic, String adminTopic) {
    this.commandsTopic = commandsTopic;
    this.adminTopic = adminTopic;
    this.producer = Kafka.producer(bootstrapServers, "rekko-faults-producer");
  }

  void send(Command command) {
    String topic = command.type().isAdmin() ? adminTopic : commandsTopic;
    Instant sentAt = Instant.now();
    producer.send(
        new ProducerRecord<>(topic, command.recordKey(), codec.encode(command)),
        (metadata, failure) -> {
          if (failure != null) {
            failures.incrementAndGet();
            System.err.println("could not send " + command.envelope().commandId() + ": " + failure);
            return;
          }
          Sent record =
              new Sent(
                  command.envelope().commandId(),
                  command.envelope().tenantId().value(),
                  command.recordKey(),
                  command.type(),
                  topic,
                  metadata.partition(),
                  metadata.offset(),
                  sentAt);
          synchronized (sent) {
            sent.add(record);
          }
        });
  }

  void flush() {
    producer.flush();
  }

  /** The commands Kafka acknowledged so far. */
  List<Sent> sent() {
    synchronized (sent) {
      return List.copyOf(sent);
    }
  }

  /** Commands Kafka never acknowledged: not part of the history, and reported. */
  long failures() {
    return failures.get();
  }

  @Override
  public void close() {
    producer.close();
  }
}
