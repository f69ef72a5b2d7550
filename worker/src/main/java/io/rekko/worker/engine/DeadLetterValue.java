package io.rekko.worker.engine;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.rekko.schema.DeadLetterHeaders;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The value a dead letter carries and its form, written to header {@link
 * DeadLetterHeaders#VALUE_FORM}: {@link DeadLetterHeaders#VALUE_AS_READ}, {@link
 * DeadLetterHeaders#VALUE_SEALED} or {@link DeadLetterHeaders#VALUE_DIGEST}.
 *
 * @param value the bytes to write; null for a record without a value
 * @param form one of the forms above
 */
public record DeadLetterValue(byte[] value, String form) {

  public DeadLetterValue {
    Objects.requireNonNull(form, "form");
    if (!form.equals(DeadLetterHeaders.VALUE_AS_READ)
        && !form.equals(DeadLetterHeaders.VALUE_SEALED)
        && !form.equals(DeadLetterHeaders.VALUE_DIGEST)) {
      throw new IllegalArgumentException("not a dead-letter value form: " + form);
    }
  }

  /** {@code value} as it was read. */
  public static DeadLetterValue asRead(byte[] value) {
    return new DeadLetterValue(value, DeadLetterHeaders.VALUE_AS_READ);
  }

  /** {@code value} with what had to be sealed sealed, the rest as read. */
  public static DeadLetterValue sealed(byte[] value) {
    return new DeadLetterValue(
        Objects.requireNonNull(value, "value"), DeadLetterHeaders.VALUE_SEALED);
  }

  /**
   * In place of {@code value}, only its length and SHA-256: {@code {"length":<bytes>,
   * "sha256":"<hex>"}}. Enough to match the dead letter with a copy of the record kept elsewhere,
   * nothing to read the record from. A record without a value has nothing to hide and keeps none.
   */
  public static DeadLetterValue digestOf(byte[] value) {
    if (value == null) {
      return asRead(null);
    }
    String json =
        "{\"length\":"
            + value.length
            + ",\"sha256\":\""
            + HexFormat.of().formatHex(sha256(value))
            + "\"}";
    return new DeadLetterValue(json.getBytes(UTF_8), DeadLetterHeaders.VALUE_DIGEST);
  }

  private static byte[] sha256(byte[] value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK, yet it is missing", e);
    }
  }
}
