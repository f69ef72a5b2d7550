package io.rekko.worker.app;

import java.time.Duration;
import java.util.Objects;

/**
 * How often the worker's background tasks run.
 *
 * @param outboxSweepInterval how often the outbox relay looks for events that were committed but
 *     not yet published (Redis was down, or a worker died between commit and publish); the longest
 *     an event waits once Redis is back
 * @param purgeInterval how often ledger rows and published outbox rows older than the store's
 *     retention are deleted
 */
public record BackgroundSettings(Duration outboxSweepInterval, Duration purgeInterval) {
  public BackgroundSettings {
    positive(outboxSweepInterval, "outboxSweepInterval");
    positive(purgeInterval, "purgeInterval");
  }

  private static void positive(Duration value, String setting) {
    Objects.requireNonNull(value, setting);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(setting + " must be positive, was " + value);
    }
  }
}
