package io.rekko.worker.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rekko.worker.support.MetricName;
import io.rekko.worker.support.MetricNames;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's meters, registered once with the names of {@link MetricNames}. Gauges read values
 * the consumer thread publishes here, so reading a metric never touches the engine's state.
 */
final class EngineMetrics {
  final Counter recordsIn;
  final Counter recordsSkipped;
  final Counter recordsDone;
  final Counter recordsDeadLettered;
  final Timer processingLatency;
  final DistributionSummary batchSize;
  final Counter retriesRetriable;
  final Counter retriesUnexpected;
  final Counter retriesDeadLetter;
  final Counter deadLetters;
  final Counter deadLetterStubs;
  final Counter unwritableDeadLetters;
  final Counter pauses;
  final Timer commitLatency;
  final Counter abandoned;
  final Counter partitionsAssigned;
  final Counter partitionsRevoked;
  final Counter partitionsLost;
  final AtomicLong inFlight = new AtomicLong();
  final AtomicLong lag = new AtomicLong();
  final AtomicLong degraded = new AtomicLong();
  final AtomicLong retryingUntilDone = new AtomicLong();

  EngineMetrics(MeterRegistry registry) {
    recordsIn = counter(registry, MetricNames.RECORDS_IN);
    recordsSkipped = counter(registry, MetricNames.RECORDS_SKIPPED);
    recordsDone = counter(registry, MetricNames.RECORDS_DONE, "outcome", "done");
    recordsDeadLettered = counter(registry, MetricNames.RECORDS_DONE, "outcome", "dead_letter");
    processingLatency = timer(registry, MetricNames.PROCESSING_LATENCY);
    batchSize =
        DistributionSummary.builder(MetricNames.BATCH_SIZE.name())
            .description(MetricNames.BATCH_SIZE.description())
            .baseUnit(MetricNames.BATCH_SIZE.baseUnit())
            .register(registry);
    retriesRetriable = counter(registry, MetricNames.RETRIES, "kind", "retriable");
    retriesUnexpected = counter(registry, MetricNames.RETRIES, "kind", "unexpected");
    retriesDeadLetter = counter(registry, MetricNames.RETRIES, "kind", "dead_letter");
    deadLetters = counter(registry, MetricNames.DEAD_LETTERS);
    deadLetterStubs = counter(registry, MetricNames.DEAD_LETTER_STUBS);
    unwritableDeadLetters = counter(registry, MetricNames.UNWRITABLE_DEAD_LETTERS);
    pauses = counter(registry, MetricNames.PAUSES);
    commitLatency = timer(registry, MetricNames.COMMIT_LATENCY);
    abandoned = counter(registry, MetricNames.ABANDONED);
    partitionsAssigned = counter(registry, MetricNames.PARTITION_CHANGES, "change", "assigned");
    partitionsRevoked = counter(registry, MetricNames.PARTITION_CHANGES, "change", "revoked");
    partitionsLost = counter(registry, MetricNames.PARTITION_CHANGES, "change", "lost");
    gauge(registry, MetricNames.IN_FLIGHT, inFlight);
    gauge(registry, MetricNames.LAG, lag);
    gauge(registry, MetricNames.DEGRADED, degraded);
    gauge(registry, MetricNames.RETRYING_UNTIL_DONE, retryingUntilDone);
  }

  void recordCommit(Duration took) {
    commitLatency.record(took);
  }

  private static Counter counter(MeterRegistry registry, MetricName name, String... tags) {
    return name.counter(registry, tags);
  }

  private static Timer timer(MeterRegistry registry, MetricName name) {
    return Timer.builder(name.name()).description(name.description()).register(registry);
  }

  private static void gauge(MeterRegistry registry, MetricName name, AtomicLong value) {
    name.gauge(registry, value);
  }
}
