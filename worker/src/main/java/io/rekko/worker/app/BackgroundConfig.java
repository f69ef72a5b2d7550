package io.rekko.worker.app;

import java.time.Duration;

/** Reads how often the background tasks run ({@code outbox.sweep-interval}, purge interval). */
final class BackgroundConfig {
  static final String OUTBOX_SWEEP_INTERVAL = "outbox.sweep-interval";
  static final String PURGE_INTERVAL = "store.purge-interval";

  private BackgroundConfig() {}

  static BackgroundSettings read(ConfigSource source) {
    int mark = source.mark();
    Duration sweep =
        source.duration(OUTBOX_SWEEP_INTERVAL, Duration.ofMillis(100), Duration.ofMinutes(10));
    Duration purge = source.duration(PURGE_INTERVAL, Duration.ofMinutes(1), Duration.ofDays(1));
    return source.buildIfClean("background", mark, () -> new BackgroundSettings(sweep, purge));
  }
}
