package io.rekko.schema;

/**
 * Why a message could not be decoded. The list is closed; the wire name goes into the dead letter's
 * {@link DeadLetterHeaders#ERROR_CODE} header.
 */
public enum DecodeErrorCode {
  /** The record value is larger than {@link DecodeLimits#maxMessageBytes()}; it was not parsed. */
  TOO_LARGE("too_large"),
  /**
   * The record value is not one well-formed UTF-8 JSON document within the nesting limit: no value
   * (a tombstone), empty, not UTF-8, a syntax error, a duplicate object key, nesting deeper than
   * {@value JsonValueReader#MAX_NESTING_DEPTH}, or content after the document.
   */
  INVALID_JSON("invalid_json"),
  /** The {@code schema} field is not this codec's version ({@code rekko.command.v1}, ...). */
  INVALID_SCHEMA_VERSION("invalid_schema_version"),
  /** The {@code type} field is not a type of the contract. */
  UNKNOWN_TYPE("unknown_type"),
  /**
   * A required field is absent ({@code payload.embedding}: neither it nor {@code sealed_embedding}
   * is there).
   */
  MISSING_FIELD("missing_field"),
  /**
   * A field has the wrong JSON type (including {@code null} for a required field), or breaks its
   * pattern, format, range, length or size rule. Also the message itself when it is not an object,
   * and {@code payload.embedding} given beside {@code sealed_embedding} (rule {@code oneOf}). The
   * worker also gives it for an {@code issued_at} later than its clock allows (rule {@code
   * maxClockSkew}, {@link DecodeError#issuedInTheFuture}).
   */
  INVALID_FIELD("invalid_field"),
  /**
   * The embedding is not an array of numbers, has a value outside the 32-bit float range, has too
   * few or too many values for the {@link DecodeLimits}, or has a zero norm; or the sealed
   * embedding is not a string of standard base64 with padding, of a length a sealed embedding
   * within the limits can have ({@link SealedEmbedding#minBase64Length}, {@link
   * SealedEmbedding#maxBase64Length}).
   */
  INVALID_EMBEDDING("invalid_embedding"),
  /**
   * The record key is absent or differs from the one the envelope implies: {@code
   * <tenant_id>/<external_id>} for face commands, {@code <tenant_id>} for the others.
   */
  KEY_MISMATCH("key_mismatch"),
  /**
   * A valid command read from the wrong topic: an admin command (tenant or API-key) from the
   * commands topic, or a face command from the admin topic. The codec itself never returns it (it
   * does not know the topic); the worker does, through {@link DecodeError#wrongTopic}.
   */
  WRONG_TOPIC("wrong_topic");

  private final String wireName;

  DecodeErrorCode(String wireName) {
    this.wireName = wireName;
  }

  /** The code as written in dead-letter headers and documentation, e.g. {@code invalid_json}. */
  public String wireName() {
    return wireName;
  }

  @Override
  public String toString() {
    return wireName;
  }
}
