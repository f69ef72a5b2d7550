package io.rekko.worker.command;

import java.time.Duration;
import java.util.Objects;

/**
 * How the command handlers judge and lock commands.
 *
 * @param maxCommandAge a face command issued longer ago than this (by the worker's clock) is
 *     rejected as {@code expired}
 * @param lockWait how long a batch waits for a face's Redis lock held by another worker before
 *     handing the record back to the engine to retry later; 0 is one attempt. Keep it short: a
 *     batch waits for its slowest lock while holding the others
 */
public record CommandSettings(Duration maxCommandAge, Duration lockWait) {

  /** The documented defaults. */
  public static final CommandSettings DEFAULTS =
      new CommandSettings(Duration.ofHours(1), Duration.ofMillis(200));

  public CommandSettings {
    Objects.requireNonNull(maxCommandAge, "maxCommandAge");
    Objects.requireNonNull(lockWait, "lockWait");
    if (maxCommandAge.isZero() || maxCommandAge.isNegative()) {
      throw new IllegalArgumentException("maxCommandAge must be positive, was " + maxCommandAge);
    }
    if (lockWait.isNegative()) {
      throw new IllegalArgumentException("lockWait must not be negative, was " + lockWait);
    }
  }
}
