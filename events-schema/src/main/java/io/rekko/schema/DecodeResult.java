package io.rekko.schema;

import java.util.Objects;

/** What {@link CommandCodec#decode} makes of a record: a command, or the reason it is not one. */
public sealed interface DecodeResult {

  /** The record holds a valid command whose record key matches it. */
  record Decoded(Command command) implements DecodeResult {
    public Decoded {
      Objects.requireNonNull(command, "command");
    }
  }

  /** The record is a dead letter, for this reason. */
  record Invalid(DecodeError error) implements DecodeResult {
    public Invalid {
      Objects.requireNonNull(error, "error");
    }
  }
}
