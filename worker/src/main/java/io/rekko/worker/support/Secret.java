package io.rekko.worker.support;

import java.util.Objects;

/**
 * A configuration value that must never reach a log, an exception message or a metrics label:
 * passwords and credentials. {@link #toString()} hides it; {@link #reveal()} is the one way out,
 * for the client library that needs it.
 */
public record Secret(String value) {
  private static final String HIDDEN = "******";

  public Secret {
    Objects.requireNonNull(value, "value");
  }

  public static Secret empty() {
    return new Secret("");
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return isEmpty() ? "" : HIDDEN;
  }
}
