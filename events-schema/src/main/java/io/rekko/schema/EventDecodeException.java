package io.rekko.schema;

import java.util.Objects;

/**
 * An event message that is not valid. Events are written by the worker, so a subscriber seeing this
 * has found a bug or a message from a newer, incompatible schema version.
 */
public final class EventDecodeException extends IllegalArgumentException {
  private final transient DecodeError error;

  public EventDecodeException(DecodeError error) {
    super(Objects.requireNonNull(error, "error").describe());
    this.error = error;
  }

  public DecodeError error() {
    return error;
  }
}
