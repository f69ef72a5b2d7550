package io.rekko.worker.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How the engine takes part in its consumer group: when it counts as gone, how long a rebalance may
 * take, and how often it commits. A revocation that waited as long as the rebalance timeout would
 * get the member evicted, so the revocation deadline is shorter.
 *
 * @param sessionTimeout Kafka {@code session.timeout.ms}; heartbeats are sent every fifteenth of it
 *     (Kafka's own ratio: 3 s for 45 s), so that a rebalance reaches every member within seconds
 * @param maxPollInterval Kafka {@code max.poll.interval.ms}: also the rebalance timeout, so it
 *     bounds how long a revocation may wait for in-flight work
 * @param revocationDeadline how long a revocation waits for the revoked partitions' in-flight work;
 *     shorter than {@code maxPollInterval}
 * @param commitInterval how often finished offsets are committed while running
 */
public record GroupSettings(
    Duration sessionTimeout,
    Duration maxPollInterval,
    Duration revocationDeadline,
    Duration commitInterval) {

  /** Heartbeats per session timeout; a member learns of a rebalance at its next heartbeat. */
  static final int HEARTBEATS_PER_SESSION = 15;

  public static final GroupSettings DEFAULTS =
      new GroupSettings(
          Duration.ofSeconds(45),
          Duration.ofMinutes(5),
          Duration.ofSeconds(20),
          Duration.ofSeconds(1));

  public GroupSettings {
    requirePositive(sessionTimeout, "sessionTimeout");
    if (sessionTimeout.toMillis() < HEARTBEATS_PER_SESSION) {
      throw new IllegalArgumentException(
          "sessionTimeout must be at least "
              + HEARTBEATS_PER_SESSION
              + " ms (heartbeats go every fifteenth), was "
              + sessionTimeout);
    }
    requirePositive(maxPollInterval, "maxPollInterval");
    Objects.requireNonNull(revocationDeadline, "revocationDeadline");
    if (revocationDeadline.isNegative()) {
      throw new IllegalArgumentException(
          "revocationDeadline must not be negative, was " + revocationDeadline);
    }
    if (revocationDeadline.compareTo(maxPollInterval) >= 0) {
      throw new IllegalArgumentException(
          "revocationDeadline must be shorter than maxPollInterval ("
              + maxPollInterval
              + "), the group's rebalance timeout, was "
              + revocationDeadline);
    }
    requirePositive(commitInterval, "commitInterval");
  }

  private static void requirePositive(Duration value, String setting) {
    Objects.requireNonNull(value, setting);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(setting + " must be positive, was " + value);
    }
  }
}
