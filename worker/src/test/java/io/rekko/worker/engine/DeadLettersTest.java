package io.rekko.worker.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rekko.schema.DeadLetterHeaders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
  private static final Instant FAILED_AT = Instant.parse("2030-05-06T07:08:09.123Z");

  private static ConsumerRecord<byte[], byte[]> original() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("trace", "abc".getBytes(UTF_8));
    headers.add(DeadLetterHeaders.ERROR_CODE, "stale".getBytes(UTF_8));
    return new ConsumerRecord<>(
        "commands",
        4,
        1234L,
        0L,
        TimestampType.CREATE_TIME,
        3,
        5,
        "t1/e1".getBytes(UTF_8),
        "value".getBytes(UTF_8),
        headers,
        Optional.empty());
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    List<String> values = new ArrayList<>();
    for (Header header : record.headers().headers(name)) {
      values.add(new String(header.value(), UTF_8));
    }
    assertEquals(1, values.size(), "values of " + name);
    return values.get(0);
  }

  @Test
  void aDeadLetterCarriesTheOriginalAndTheErrorHeaders() {
    ProducerRecord<byte[], byte[]> letter =
        DeadLetters.of(
            "commands.dlq",
            original(),
            new HandlerResult.DeadLetter("schema", "payload.embedding", "maxItems", "too long"),
            DeadLetterValues.asRead(),
            FAILED_AT);

    assertEquals("commands.dlq", letter.topic());
    assertNull(letter.partition());
    assertArrayEquals("t1/e1".getBytes(UTF_8), letter.key());
    assertArrayEquals("value".getBytes(UTF_8), letter.value());
    assertEquals("abc", header(letter, "trace"));
    assertEquals("schema", header(letter, DeadLetterHeaders.ERROR_CODE));
    assertEquals("payload.embedding", header(letter, DeadLetterHeaders.ERROR_FIELD));
    assertEquals("maxItems", header(letter, DeadLetterHeaders.ERROR_RULE));
    assertEquals("too long", header(letter, DeadLetterHeaders.ERROR_MESSAGE));
    assertEquals("commands", header(letter, DeadLetterHeaders.SOURCE_TOPIC));
    assertEquals("4", header(letter, DeadLetterHeaders.SOURCE_PARTITION));
    assertEquals("1234", header(letter, DeadLetterHeaders.SOURCE_OFFSET));
    assertEquals("2030-05-06T07:08:09.123Z", header(letter, DeadLetterHeaders.FAILED_AT));
    assertEquals(DeadLetterHeaders.VALUE_AS_READ, header(letter, DeadLetterHeaders.VALUE_FORM));
  }

  @Test
  void theValueIsWhatTheTransformLeavesAndItsFormIsSaid() {
    ProducerRecord<byte[], byte[]> letter =
        DeadLetters.of(
            "dlq",
            original(),
            new HandlerResult.DeadLetter("x", "", "", "m"),
            record -> DeadLetterValue.sealed("sealed value".getBytes(UTF_8)),
            FAILED_AT);
    assertArrayEquals("sealed value".getBytes(UTF_8), letter.value());
    assertEquals(DeadLetterHeaders.VALUE_SEALED, header(letter, DeadLetterHeaders.VALUE_FORM));
  }

  @Test
  void aTransformThatThrowsLeavesOnlyTheValuesDigestNeverTheValue() {
    ProducerRecord<byte[], byte[]> letter =
        DeadLetters.of(
            "dlq",
            original(),
            new HandlerResult.DeadLetter("x", "", "", "m"),
            record -> {
              throw new IllegalStateException("a bug");
            },
            FAILED_AT);
    assertEquals(DeadLetterHeaders.VALUE_DIGEST, header(letter, DeadLetterHeaders.VALUE_FORM));
    // SHA-256 of "value".
    assertEquals(
        "{\"length\":5,\"sha256\":"
            + "\"cd42404d52ad55ccfa9aca4adc828aa5800ad9d385a0671fbcbf724118320619\"}",
        new String(letter.value(), UTF_8));
  }

  @Test
  void aRecordWithoutValueHasNoDigestToKeep() {
    assertNull(DeadLetterValue.digestOf(null).value());
    assertEquals(DeadLetterHeaders.VALUE_AS_READ, DeadLetterValue.digestOf(null).form());
  }

  @Test
  void emptyFieldAndRuleAreWrittenAsEmptyHeaders() {
    ProducerRecord<byte[], byte[]> letter =
        DeadLetters.of(
            "dlq",
            original(),
            new HandlerResult.DeadLetter("handler_failed", null, null, "boom"),
            DeadLetterValues.asRead(),
            FAILED_AT);
    assertEquals("", header(letter, DeadLetterHeaders.ERROR_FIELD));
    assertEquals("", header(letter, DeadLetterHeaders.ERROR_RULE));
  }

  @Test
  void aLongMessageIsCut() {
    ProducerRecord<byte[], byte[]> letter =
        DeadLetters.of(
            "dlq",
            original(),
            new HandlerResult.DeadLetter("x", "", "", "m".repeat(10_000)),
            DeadLetterValues.asRead(),
            FAILED_AT);
    assertEquals(
        DeadLetters.MAX_MESSAGE_CHARS, header(letter, DeadLetterHeaders.ERROR_MESSAGE).length());
  }
}
