package io.rekko.schema;

import java.util.Objects;

/**
 * The id of a tenant's API key: {@code [A-Za-z0-9._-]{1,64}}.
 *
 * <p>The worker keeps a revocation list per tenant and caches key validity in Redis under keys
 * built from this id, so like {@link TenantId} it can never hold {@code :}, glob characters,
 * hash-tag braces or white space.
 */
public record ApiKeyId(String value) implements Comparable<ApiKeyId> {
  /** The rule every API key id follows, as written in the JSON Schemas. */
  public static final String PATTERN = "^[A-Za-z0-9._-]{1,64}$";

  private static final int MAX_LENGTH = 64;

  public ApiKeyId {
    Objects.requireNonNull(value, "api_key_id");
    if (!isValid(value)) {
      throw new IllegalArgumentException(
          "api key id must match " + PATTERN + " (letters, digits, '.', '_' and '-', 1 to 64)");
    }
  }

  public static ApiKeyId of(String value) {
    return new ApiKeyId(value);
  }

  /** True when {@code value} is a valid API key id; cheap, and safe on any input length. */
  public static boolean isValid(String value) {
    return IdChars.isWord(value, MAX_LENGTH, "._-");
  }

  @Override
  public int compareTo(ApiKeyId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
