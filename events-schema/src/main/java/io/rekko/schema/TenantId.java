package io.rekko.schema;

import java.util.Objects;

/**
 * A tenant's id: {@code [a-z0-9][a-z0-9_-]{0,63}}.
 *
 * <p>It becomes part of Redis keys ({@code rekko:<tenant_id>:...}) and channel names, so an
 * instance can never hold a character that would let one tenant's key or channel reach into
 * another's: no {@code :}, no glob characters, no hash-tag braces, no white space.
 */
public record TenantId(String value) implements Comparable<TenantId> {
  /** The rule every tenant id follows, as written in the JSON Schemas. */
  public static final String PATTERN = "^[a-z0-9][a-z0-9_-]{0,63}$";

  private static final int MAX_LENGTH = 64;

  public TenantId {
    Objects.requireNonNull(value, "tenant_id");
    if (!isValid(value)) {
      throw new IllegalArgumentException(
          "tenant_id must match "
              + PATTERN
              + " (lower-case letters, digits, '_' and '-', 1 to 64)");
    }
  }

  public static TenantId of(String value) {
    return new TenantId(value);
  }

  /** True when {@code value} is a valid tenant id; cheap, and safe on any input length. */
  public static boolean isValid(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!IdChars.isLowerCaseOrDigit(c) && (i == 0 || (c != '_' && c != '-'))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int compareTo(TenantId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
