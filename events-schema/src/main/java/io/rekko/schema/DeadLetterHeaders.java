package io.rekko.schema;

import java.util.List;

/**
 * Names of the Kafka headers a dead letter carries besides the original key, value and headers.
 * Values are UTF-8 strings.
 */
public final class DeadLetterHeaders {
  /** The decode or handling error code, e.g. {@code invalid_json}, {@code key_mismatch}. */
  public static final String ERROR_CODE = "rekko.error.code";

  /** The JSON path of the offending field, e.g. {@code payload.embedding}; empty when none. */
  public static final String ERROR_FIELD = "rekko.error.field";

  /** The rule the field broke, e.g. {@code maxItems}, {@code pattern}. */
  public static final String ERROR_RULE = "rekko.error.rule";

  /** A human-readable message; it never echoes embeddings. */
  public static final String ERROR_MESSAGE = "rekko.error.message";

  /** The topic the record was read from. */
  public static final String SOURCE_TOPIC = "rekko.source.topic";

  /** The partition the record was read from, in decimal. */
  public static final String SOURCE_PARTITION = "rekko.source.partition";

  /** The offset the record was read from, in decimal. */
  public static final String SOURCE_OFFSET = "rekko.source.offset";

  /** When the record was dead-lettered, ISO-8601 UTC. */
  public static final String FAILED_AT = "rekko.failed_at";

  /** All of them, in the order above. */
  public static final List<String> ALL =
      List.of(
          ERROR_CODE,
          ERROR_FIELD,
          ERROR_RULE,
          ERROR_MESSAGE,
          SOURCE_TOPIC,
          SOURCE_PARTITION,
          SOURCE_OFFSET,
          FAILED_AT);

  private DeadLetterHeaders() {}
}
