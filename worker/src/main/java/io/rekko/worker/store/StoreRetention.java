package io.rekko.worker.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How long idempotency records live, and how they are deleted. The age must be at least the input
 * topic's retention, or a redelivered command could find its ledger row gone and be applied twice:
 * only the configuration reader knows both values, so it checks that.
 *
 * @param age ledger rows and published outbox rows older than this are deleted
 * @param batchSize rows deleted per transaction; small batches keep locks and WAL bursts short
 */
public record StoreRetention(Duration age, int batchSize) {

  public static final StoreRetention DEFAULTS = new StoreRetention(Duration.ofDays(7), 1_000);

  public StoreRetention {
    Objects.requireNonNull(age, "age");
    if (age.isZero() || age.isNegative()) {
      throw new IllegalArgumentException("retention age must be positive, was " + age);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException(
          "retention batchSize must be at least 1, was " + batchSize);
    }
  }
}
