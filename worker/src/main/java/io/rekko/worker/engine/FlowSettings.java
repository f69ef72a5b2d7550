package io.rekko.worker.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How much work the engine takes on at once: the bound on records in flight, how they are batched
 * for the handler, and how many one poll returns.
 *
 * @param maxInFlight the most records being handled at once, across all partitions and keys
 * @param batchSize the most records in one call to the handler; at most {@code maxInFlight}
 * @param batchLinger how long a ready record may wait for others to fill a batch
 * @param maxPollRecords Kafka {@code max.poll.records}
 */
public record FlowSettings(
    int maxInFlight, int batchSize, Duration batchLinger, int maxPollRecords) {

  public static final FlowSettings DEFAULTS = new FlowSettings(256, 32, Duration.ofMillis(5), 500);

  public FlowSettings {
    requireAtLeastOne(maxInFlight, "maxInFlight");
    requireAtLeastOne(batchSize, "batchSize");
    if (batchSize > maxInFlight) {
      throw new IllegalArgumentException(
          "batchSize must be at most maxInFlight (" + maxInFlight + "), was " + batchSize);
    }
    Objects.requireNonNull(batchLinger, "batchLinger");
    if (batchLinger.isNegative()) {
      throw new IllegalArgumentException("batchLinger must not be negative, was " + batchLinger);
    }
    requireAtLeastOne(maxPollRecords, "maxPollRecords");
  }

  /** {@code maxInFlight} records in batches of up to {@code batchSize}; the rest the defaults. */
  public static FlowSettings of(int maxInFlight, int batchSize) {
    return new FlowSettings(
        maxInFlight, batchSize, DEFAULTS.batchLinger(), DEFAULTS.maxPollRecords());
  }

  private static void requireAtLeastOne(int value, String setting) {
    if (value < 1) {
      throw new IllegalArgumentException(setting + " must be at least 1, was " + value);
    }
  }
}
