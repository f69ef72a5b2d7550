package io.rekko.worker.app;

import java.time.Duration;
import java.util.Objects;

/**
 * How often the worker's background tasks run.
 *
 * @param outboxSweepInterval {@value #OUTBOX_SWEEP_INTERVAL}: how often the outbox relay looks for
 *     events that were committed but not yet published (Redis was down, or a worker died between
 *     commit and publish); the longest an event waits once Redis is back
 * @param purgeInterval {@value #PURGE_INTERVAL}: how often ledger rows and published outbox rows
 *     older than {@code store.retention} are deleted
 */
public record BackgroundSettings(Duration outboxSweepInterval, Duration purgeInterval) {
  public static final String OUTBOX_SWEEP_INTERVAL = "outbox.sweep-interval";
  public static final String PURGE_INTERVAL = "store.purge-interval";

  static final Duration MIN_SWEEP = Duration.ofMillis(100);
  static final Duration MAX_SWEEP = Duration.ofMinutes(10);
  static final Duration MIN_PURGE = Duration.ofMinutes(1);
  static final Duration MAX_PURGE = Duration.ofDays(1);

  public BackgroundSettings {
    Objects.requireNonNull(outboxSweepInterval, OUTBOX_SWEEP_INTERVAL);
    Objects.requireNonNull(purgeInterval, PURGE_INTERVAL);
    if (outboxSweepInterval.compareTo(MIN_SWEEP) < 0
        || outboxSweepInterval.compareTo(MAX_SWEEP) > 0) {
      throw new IllegalArgumentException(
          OUTBOX_SWEEP_INTERVAL + " must be between 100ms and 10m, was " + outboxSweepInterval);
    }
    if (purgeInterval.compareTo(MIN_PURGE) < 0 || purgeInterval.compareTo(MAX_PURGE) > 0) {
      throw new IllegalArgumentException(
          PURGE_INTERVAL + " must be between 1m and 1d, was " + purgeInterval);
    }
  }

  static BackgroundSettings read(ConfigSource source) {
    Duration sweep = source.duration(OUTBOX_SWEEP_INTERVAL, MIN_SWEEP, MAX_SWEEP);
    Duration purge = source.duration(PURGE_INTERVAL, MIN_PURGE, MAX_PURGE);
    return source.build("background", () -> new BackgroundSettings(sweep, purge));
  }
}
