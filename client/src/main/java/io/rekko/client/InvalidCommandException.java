package io.rekko.client;

import io.rekko.schema.DecodeError;
import java.util.Objects;

/**
 * An encoded command that does not validate against the contract: sending it would only make a dead
 * letter. Its {@link #error()} names the field and the rule.
 */
public final class InvalidCommandException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient DecodeError error;

  public InvalidCommandException(DecodeError error) {
    super(Objects.requireNonNull(error, "error").describe());
    this.error = error;
  }

  /** The code, field, rule and message of what is wrong. */
  public DecodeError error() {
    return error;
  }
}
