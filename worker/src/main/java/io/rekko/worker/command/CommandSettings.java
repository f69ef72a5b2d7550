package io.rekko.worker.command;

import java.time.Duration;
import java.util.Objects;

/**
 * How the command handlers judge and lock commands.
 *
 * @param maxCommandAge {@code command.max-command-age}: a face command issued longer ago than this
 *     (by the worker's clock) is rejected as {@code expired}; 1s to 7d
 * @param lockWait {@code command.lock-wait}: how long a batch waits for a face's Redis lock held by
 *     another worker before handing the record back to the engine to retry later; 0 (one attempt)
 *     to 10s. Short, because a batch waits for its slowest lock while holding the others
 */
public record CommandSettings(Duration maxCommandAge, Duration lockWait) {

  public static final String MAX_COMMAND_AGE = "command.max-command-age";
  public static final String LOCK_WAIT = "command.lock-wait";

  public static final Duration MIN_COMMAND_AGE = Duration.ofSeconds(1);
  public static final Duration MAX_MAX_COMMAND_AGE = Duration.ofDays(7);
  public static final Duration MAX_LOCK_WAIT = Duration.ofSeconds(10);

  public static final Duration DEFAULT_MAX_COMMAND_AGE = Duration.ofHours(1);
  public static final Duration DEFAULT_LOCK_WAIT = Duration.ofMillis(200);

  /** The documented defaults. */
  public static final CommandSettings DEFAULTS =
      new CommandSettings(DEFAULT_MAX_COMMAND_AGE, DEFAULT_LOCK_WAIT);

  public CommandSettings {
    Objects.requireNonNull(maxCommandAge, MAX_COMMAND_AGE);
    Objects.requireNonNull(lockWait, LOCK_WAIT);
    if (maxCommandAge.compareTo(MIN_COMMAND_AGE) < 0
        || maxCommandAge.compareTo(MAX_MAX_COMMAND_AGE) > 0) {
      throw new IllegalArgumentException(
          MAX_COMMAND_AGE + " must be between 1s and 7d, was " + maxCommandAge);
    }
    if (lockWait.isNegative() || lockWait.compareTo(MAX_LOCK_WAIT) > 0) {
      throw new IllegalArgumentException(
          LOCK_WAIT
              + " must be between 0 and 10s (a batch holds its other locks meanwhile), was "
              + lockWait);
    }
  }

  public CommandSettings withMaxCommandAge(Duration age) {
    return new CommandSettings(age, lockWait);
  }

  public CommandSettings withLockWait(Duration wait) {
    return new CommandSettings(maxCommandAge, wait);
  }
}
