package io.rekko.schema;

import java.util.Objects;

/**
 * A tenant's own id for a face: {@code [A-Za-z0-9._@-]{1,128}}.
 *
 * <p>Like {@link TenantId} it is part of Redis keys, so it can never hold {@code :}, glob
 * characters, hash-tag braces or white space.
 */
public record ExternalId(String value) implements Comparable<ExternalId> {
  /** The rule every external id follows, as written in the JSON Schemas. */
  public static final String PATTERN = "^[A-Za-z0-9._@-]{1,128}$";

  private static final int MAX_LENGTH = 128;

  public ExternalId {
    Objects.requireNonNull(value, "external_id");
    if (!isValid(value)) {
      throw new IllegalArgumentException(
          "external_id must match "
              + PATTERN
              + " (letters, digits, '.', '_', '@' and '-', 1 to 128)");
    }
  }

  public static ExternalId of(String value) {
    return new ExternalId(value);
  }

  /** True when {@code value} is a valid external id; cheap, and safe on any input length. */
  public static boolean isValid(String value) {
    return IdChars.isWord(value, MAX_LENGTH, "._@-");
  }

  @Override
  public int compareTo(ExternalId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
