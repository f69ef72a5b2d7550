package io.rekko.worker.engine;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.rekko.schema.DeadLetterHeaders;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the dead letter of a record: its original key, value and headers, plus the error and
 * source headers of {@link DeadLetterHeaders}. Error headers the original already carried (a dead
 * letter fed back in) are replaced, so a dead letter has one value per header name.
 */
final class DeadLetters {
  /** The longest message header; a handler's message is cut to it. */
  static final int MAX_MESSAGE_CHARS = 1000;

  private DeadLetters() {}

  static ProducerRecord<byte[], byte[]> of(
      String topic,
      ConsumerRecord<byte[], byte[]> original,
      HandlerResult.DeadLetter error,
      Instant failedAt) {
    Headers headers = new RecordHeaders();
    for (Header header : original.headers()) {
      if (!DeadLetterHeaders.ALL.contains(header.key())) {
        headers.add(header);
      }
    }
    String message = error.message();
    add(headers, DeadLetterHeaders.ERROR_CODE, error.code());
    add(headers, DeadLetterHeaders.ERROR_FIELD, error.field());
    add(headers, DeadLetterHeaders.ERROR_RULE, error.rule());
    add(
        headers,
        DeadLetterHeaders.ERROR_MESSAGE,
        message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS));
    add(headers, DeadLetterHeaders.SOURCE_TOPIC, original.topic());
    add(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(original.partition()));
    add(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(original.offset()));
    add(headers, DeadLetterHeaders.FAILED_AT, DateTimeFormatter.ISO_INSTANT.format(failedAt));
    return new ProducerRecord<>(topic, null, original.key(), original.value(), headers);
  }

  private static void add(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(UTF_8));
  }
}
