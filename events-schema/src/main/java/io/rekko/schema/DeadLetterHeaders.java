package io.rekko.schema;

import java.util.List;

/**
 * Names of the Kafka headers a dead letter carries besides the original key and headers (and its
 * value, in the form {@link #VALUE_FORM} names). Values are UTF-8 strings.
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

  /**
   * What the dead letter's value holds: {@value #VALUE_AS_READ}, {@value #VALUE_SEALED} or {@value
   * #VALUE_DIGEST}. A dead letter never carries an embedding in the clear.
   */
  public static final String VALUE_FORM = "rekko.value.form";

  /** The value as it was read: it held no embedding in the clear. */
  public static final String VALUE_AS_READ = "as_read";

  /**
   * The value as it was read, but for {@code payload.embedding}, replaced by {@code
   * payload.sealed_embedding} (sealed under the tenant's data key): send it again, corrected if
   * need be, and the worker opens it.
   */
  public static final String VALUE_SEALED = "sealed";

  /**
   * The value is gone: in its place a JSON object {@code {"length": <bytes>, "sha256": "<64
   * lower-case hex digits>"}} of the value as read, which could not be sealed (not a command of a
   * known tenant, or the tenant's key could not be had then).
   */
  public static final String VALUE_DIGEST = "digest";

  /**
   * Present only on a stub: the dead letter first built for the record was refused for good (larger
   * than the dead-letter topic accepts, or not authorised), so this one was written instead. Its
   * value is the value's digest ({@value #VALUE_DIGEST}); it keeps the key up to {@value
   * #STUB_MAX_KEY_BYTES} bytes and none of the original headers. The header's value is the reason
   * the whole dead letter was refused.
   */
  public static final String STUB = "rekko.stub";

  /** The longest original key a stub keeps; a longer one is left out. */
  public static final int STUB_MAX_KEY_BYTES = 1024;

  /** All of them, in the order above, but for {@link #STUB}, which only a stub carries. */
  public static final List<String> ALL =
      List.of(
          ERROR_CODE,
          ERROR_FIELD,
          ERROR_RULE,
          ERROR_MESSAGE,
          SOURCE_TOPIC,
          SOURCE_PARTITION,
          SOURCE_OFFSET,
          FAILED_AT,
          VALUE_FORM);

  private DeadLetterHeaders() {}
}
