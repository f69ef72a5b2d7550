package io.rekko.worker.engine;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.rekko.schema.DeadLetterHeaders;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the dead letter of a record: its original key and headers, its value as the {@link
 * DeadLetterValues} transform leaves it, plus the error, source and value-form headers of {@link
 * DeadLetterHeaders}. Such headers the original already carried (a dead letter fed back in) are
 * replaced, so a dead letter has one value per header name.
 */
final class DeadLetters {
  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

  /** The longest message header; a handler's message is cut to it. */
  static final int MAX_MESSAGE_CHARS = 1000;

  private DeadLetters() {}

  static ProducerRecord<byte[], byte[]> of(
      String topic,
      ConsumerRecord<byte[], byte[]> original,
      HandlerResult.DeadLetter error,
      DeadLetterValues values,
      Instant failedAt) {
    DeadLetterValue value = valueOf(original, values);
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
    add(headers, DeadLetterHeaders.VALUE_FORM, value.form());
    return new ProducerRecord<>(topic, null, original.key(), value.value(), headers);
  }

  /**
   * What the transform makes of the value; its digest when the transform breaks its promise not to
   * throw: a failure must never let the value as read through.
   */
  private static DeadLetterValue valueOf(
      ConsumerRecord<byte[], byte[]> original, DeadLetterValues values) {
    try {
      return Objects.requireNonNull(
          values.of(original), "the dead-letter value transform's result");
    } catch (RuntimeException e) {
      log.error(
          "the dead-letter value transform failed for {}-{}@{}; the dead letter keeps the value's"
              + " digest only",
          original.topic(),
          original.partition(),
          original.offset(),
          e);
      return DeadLetterValue.digestOf(original.value());
    }
  }

  private static void add(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(UTF_8));
  }
}
