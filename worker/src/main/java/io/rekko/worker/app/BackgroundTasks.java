package io.rekko.worker.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.worker.store.RetentionResult;
import io.rekko.worker.store.Store;
import io.rekko.worker.support.MetricName;
import io.rekko.worker.support.MetricNames;
import io.rekko.worker.support.NamedThreads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's scheduled tasks, each on a thread of its own so that a slow one never delays the
 * other: {@code <instance>-retention} deletes ledger and outbox rows older than {@code
 * store.retention} every {@code store.purge-interval}; {@code <instance>-probes} keeps the
 * reachability of PostgreSQL and Redis current for the readiness checks.
 *
 * <p>The purge is safe to run on every worker at once (the store deletes in small batches, and a
 * row deleted twice is deleted once), so there is no leader election.
 */
final class BackgroundTasks implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BackgroundTasks.class);

  /** How often PostgreSQL and Redis are probed: a readiness answer is at most this old. */
  static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);

  private final ScheduledExecutorService retention;
  private final ScheduledExecutorService probes;

  private BackgroundTasks(ScheduledExecutorService retention, ScheduledExecutorService probes) {
    this.retention = retention;
    this.probes = probes;
  }

  /** Probes every dependency once now (so readiness has an answer), then schedules everything. */
  static BackgroundTasks start(
      String instanceId,
      Store store,
      Duration purgeInterval,
      List<Reachability> dependencies,
      MeterRegistry registry) {
    ScheduledExecutorService retention = NamedThreads.singleScheduler(instanceId + "-retention");
    ScheduledExecutorService probes = NamedThreads.singleScheduler(instanceId + "-probes");
    Purge purge = new Purge(store, registry);
    retention.scheduleWithFixedDelay(
        purge::run, purgeInterval.toMillis(), purgeInterval.toMillis(), TimeUnit.MILLISECONDS);
    for (Reachability dependency : dependencies) {
      dependency.probe();
      probes.scheduleWithFixedDelay(
          dependency::probe,
          PROBE_INTERVAL.toMillis(),
          PROBE_INTERVAL.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    return new BackgroundTasks(retention, probes);
  }

  /** Stops both threads, interrupting a task still running after {@code timeout}. */
  void close(Duration timeout) {
    retention.shutdownNow();
    probes.shutdownNow();
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      retention.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
      probes.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  /** One retention pass; a failure is logged and counted, and the next pass tries again. */
  private static final class Purge {
    private final Store store;
    private final Counter ledgerRows;
    private final Counter outboxRows;
    private final Counter done;
    private final Counter failed;

    Purge(Store store, MeterRegistry registry) {
      this.store = store;
      this.ledgerRows = counter(registry, MetricNames.RETENTION_PURGED, "kind", "ledger");
      this.outboxRows = counter(registry, MetricNames.RETENTION_PURGED, "kind", "outbox");
      this.done = counter(registry, MetricNames.RETENTION_RUNS, "outcome", "done");
      this.failed = counter(registry, MetricNames.RETENTION_RUNS, "outcome", "failed");
    }

    void run() {
      try {
        RetentionResult result = store.purgeExpired();
        ledgerRows.increment(result.ledgerRows());
        outboxRows.increment(result.outboxRows());
        done.increment();
        log.info(
            "retention purge deleted {} ledger rows and {} published outbox rows",
            result.ledgerRows(),
            result.outboxRows());
      } catch (RuntimeException e) {
        failed.increment();
        log.warn("retention purge failed, next run in one interval: {}", e.toString());
      }
    }

    private static Counter counter(
        MeterRegistry registry, MetricName metric, String tag, String value) {
      return metric.counter(registry, tag, value);
    }
  }
}
