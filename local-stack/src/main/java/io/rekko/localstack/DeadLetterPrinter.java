package io.rekko.localstack;

import io.rekko.schema.DeadLetterHeaders;
import io.rekko.schema.Topics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Prints the records that reach the dead-letter topic, with the reason the worker gave in the
 * {@code rekko.error.*} headers and the form of the value it kept ({@code rekko.value.form}: as
 * read, its embedding sealed, or only a digest): what an operator watching the topic would see.
 */
final class DeadLetterPrinter implements Runnable, AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final PrintStream out;

  DeadLetterPrinter(String bootstrapServers, PrintStream out) {
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "local-stack-dead-letter-printer",
                ConsumerConfig.GROUP_ID_CONFIG,
                "local-stack-dead-letter-printer",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
    this.out = out;
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(Topics.COMMANDS_DLQ));
      while (!Thread.currentThread().isInterrupted()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
          out.printf(
              "xxx %-20s dead letter: %s (%s), value %s%n",
              record.key(),
              header(record, DeadLetterHeaders.ERROR_CODE),
              header(record, DeadLetterHeaders.ERROR_MESSAGE),
              header(record, DeadLetterHeaders.VALUE_FORM));
        }
      }
    } catch (WakeupException e) {
      // close() asked the poll to end.
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
    }
  }

  @Override
  public void close() {
    consumer.wakeup();
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? "-" : new String(header.value(), StandardCharsets.UTF_8);
  }
}
