package io.rekko.bench;

import io.rekko.schema.CommandCodec;
import io.rekko.schema.DecodeResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Baseline B0, in a process of its own: a consumer that decodes every command and does nothing
 * else, committing after each poll. Its rate is the most any worker could reach on this machine
 * with this broker and this codec. Arguments: bootstrap servers, topic, group. Runs until SIGTERM.
 */
public final class DecodeOnly {
  private DecodeOnly() {}

  public static void main(String[] args) {
    CommandCodec codec = CommandCodec.withDefaults();
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                args[0],
                ConsumerConfig.GROUP_ID_CONFIG,
                args[2],
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                500,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
    Thread main = Thread.currentThread();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  consumer.wakeup();
                  try {
                    main.join(5_000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "decode-only-stop"));
    long invalid = 0;
    try (consumer) {
      consumer.subscribe(List.of(args[1]));
      while (true) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          if (codec.decode(record.key(), record.value()) instanceof DecodeResult.Invalid) {
            invalid++;
          }
        }
        consumer.commitSync();
      }
    } catch (WakeupException e) {
      System.out.println("stopped; records that did not decode: " + invalid);
    }
  }
}
