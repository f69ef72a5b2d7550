package io.rekko.worker.engine;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.rekko.schema.DeadLetterHeaders;
import io.rekko.worker.support.Retriable;
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
 *
 * <p>When the dead-letter topic refuses that dead letter for good, a {@link #stubOf stub} takes its
 * place ({@link DeadLetterWrites}).
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
      if (!DeadLetterHeaders.ALL.contains(header.key())
          && !header.key().equals(DeadLetterHeaders.STUB)) {
        headers.add(header);
      }
    }
    add(headers, DeadLetterHeaders.ERROR_CODE, error.code());
    add(headers, DeadLetterHeaders.ERROR_FIELD, error.field());
    add(headers, DeadLetterHeaders.ERROR_RULE, error.rule());
    add(headers, DeadLetterHeaders.ERROR_MESSAGE, cut(error.message()));
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

  /**
   * The stub written when the dead letter {@link #of} built was refused for good ({@code reason}):
   * the same error and source headers, the value's digest, the key only when it is short, none of
   * the original headers (any of which may be what made the dead letter too large).
   */
  static ProducerRecord<byte[], byte[]> stubOf(
      String topic,
      ConsumerRecord<byte[], byte[]> original,
      HandlerResult.DeadLetter error,
      Throwable reason,
      Instant failedAt) {
    ProducerRecord<byte[], byte[]> whole =
        of(topic, original, error, record -> DeadLetterValue.digestOf(record.value()), failedAt);
    Headers headers = new RecordHeaders();
    for (Header header : whole.headers()) {
      if (DeadLetterHeaders.ALL.contains(header.key())) {
        headers.add(header);
      }
    }
    add(headers, DeadLetterHeaders.STUB, cut(reason.toString()));
    byte[] key = original.key();
    boolean keepKey = key != null && key.length <= DeadLetterHeaders.STUB_MAX_KEY_BYTES;
    return new ProducerRecord<>(topic, null, keepKey ? key : null, whole.value(), headers);
  }

  /**
   * Tells the {@link DeadLetterHook} that {@code original} is being given up; rethrows a {@link
   * Retriable} failure (the dead letter waits), logs any other.
   */
  static void tell(
      DeadLetterHook hook,
      ConsumerRecord<byte[], byte[]> original,
      HandlerResult.DeadLetter error) {
    try {
      hook.givingUp(original, error);
    } catch (RuntimeException e) {
      if (Retriable.isRetriable(e)) {
        throw e;
      }
      log.error(
          "the dead-letter hook failed for {}-{}@{}; the dead letter is written all the same",
          original.topic(),
          original.partition(),
          original.offset(),
          e);
    }
  }

  private static String cut(String message) {
    return message.length() <= MAX_MESSAGE_CHARS
        ? message
        : message.substring(0, MAX_MESSAGE_CHARS);
  }

  private static void add(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(UTF_8));
  }
}
