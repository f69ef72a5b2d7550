package io.rekko.worker.command;

import io.rekko.schema.CommandType;
import io.rekko.schema.Topics;
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
 * @param adminTopic the topic admin commands ({@link CommandType#isAdmin()}) are taken from; a
 *     record on it must be an admin command and a record on any other topic a face command, or it
 *     is a dead letter ({@code wrong_topic})
 * @param maxClockSkew a command issued later than this after the worker's clock is invalid (field
 *     {@code issued_at}, rule {@code maxClockSkew}): a dead letter, and {@code invalid_command} for
 *     its tenant
 */
public record CommandSettings(
    Duration maxCommandAge, Duration lockWait, String adminTopic, Duration maxClockSkew) {

  /** The documented defaults. */
  public static final CommandSettings DEFAULTS =
      new CommandSettings(
          Duration.ofHours(1), Duration.ofMillis(200), Topics.ADMIN, Duration.ofMinutes(5));

  public CommandSettings {
    Objects.requireNonNull(maxCommandAge, "maxCommandAge");
    Objects.requireNonNull(lockWait, "lockWait");
    if (adminTopic == null || adminTopic.isBlank()) {
      throw new IllegalArgumentException("adminTopic must not be blank");
    }
    if (maxCommandAge.isZero() || maxCommandAge.isNegative()) {
      throw new IllegalArgumentException("maxCommandAge must be positive, was " + maxCommandAge);
    }
    Objects.requireNonNull(maxClockSkew, "maxClockSkew");
    if (maxClockSkew.isNegative()) {
      throw new IllegalArgumentException("maxClockSkew must not be negative, was " + maxClockSkew);
    }
    if (lockWait.isNegative()) {
      throw new IllegalArgumentException("lockWait must not be negative, was " + lockWait);
    }
  }

  /** These settings with another {@code maxCommandAge}. */
  public CommandSettings withMaxCommandAge(Duration age) {
    return new CommandSettings(age, lockWait, adminTopic, maxClockSkew);
  }

  /** These settings with another {@code lockWait}. */
  public CommandSettings withLockWait(Duration wait) {
    return new CommandSettings(maxCommandAge, wait, adminTopic, maxClockSkew);
  }

  /** These settings with another {@code maxClockSkew}. */
  public CommandSettings withMaxClockSkew(Duration skew) {
    return new CommandSettings(maxCommandAge, lockWait, adminTopic, skew);
  }
}
