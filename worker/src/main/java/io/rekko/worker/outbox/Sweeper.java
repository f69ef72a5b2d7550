package io.rekko.worker.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.schema.TenantId;
import io.rekko.worker.store.OutboxEntry;
import io.rekko.worker.store.RelayResult;
import io.rekko.worker.store.Store;
import io.rekko.worker.support.MetricNames;
import io.rekko.worker.support.NamedThreads;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what the relay's direct path left in the outbox, on a thread of its own: while the
 * relay is backlogged, when a drain is requested, and when the oldest pending row is older than
 * {@link #ORPHAN_AGE} (another worker left it behind: it crashed between commit and publish, or its
 * Redis calls failed while ours did not).
 *
 * <p>A drain publishes the whole outbox in id order, which is commit order per key, through {@link
 * Store#relayPending}: it locks at most {@value #CLAIM} rows ({@code FOR UPDATE SKIP LOCKED}) until
 * they are marked, so the sweepers of several workers share the rows an outage left instead of each
 * publishing all of them, and a failing Redis holds the locks for one command timeout. A row that
 * fails to publish, or that another worker holds, is skipped with every later row of its tenant,
 * and the drain's later passes leave that tenant out, so a tenant whose channel or keys live on a
 * Cluster master that is down holds back no other tenant. A tenant's backlog ends after a drain
 * that left none of its rows behind and saw none of its events deferred meanwhile ({@link
 * Backlog}).
 *
 * <p>Also keeps the pending-events gauges, as of its last sweep.
 */
final class Sweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

  /**
   * Rows one pass claims and publishes under lock. Small, so that another worker waits little for
   * rows it could publish, and the locks are released soon after a Redis failure.
   */
  static final int CLAIM = 50;

  /** Pending rows older than this were left behind by someone: the sweeper drains them. */
  static final Duration ORPHAN_AGE = Duration.ofSeconds(5);

  /**
   * The longest a drain spends on deliveries that fail (each may take a Redis command timeout)
   * before it stops trying: a Redis that fails everything costs a drain this much, a Cluster master
   * that is down and refuses at once costs nothing, so the other tenants' rows still go.
   */
  static final Duration FAILURE_BUDGET = Duration.ofSeconds(2);

  /** The pending-events gauge counts up to this many. */
  static final int COUNT_LIMIT = 100_000;

  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private final Store store;
  private final Delivery delivery;
  private final Backlog backlog;
  private final Clock clock;
  private final ScheduledExecutorService thread;
  private final Counter published;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong oldestPendingAge = new AtomicLong();
  private final AtomicBoolean drainRequested = new AtomicBoolean();
  private final AtomicBoolean sweepQueued = new AtomicBoolean();
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private final AtomicBoolean failing = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  Sweeper(
      Store store,
      Delivery delivery,
      Backlog backlog,
      Clock clock,
      MeterRegistry registry,
      String threadName) {
    this.store = store;
    this.delivery = delivery;
    this.backlog = backlog;
    this.clock = clock;
    this.thread = NamedThreads.singleScheduler(threadName);
    this.published = MetricNames.OUTBOX_PUBLISHED.counter(registry, "path", "sweeper");
    MetricNames.OUTBOX_PENDING.gauge(registry, pending);
    MetricNames.OUTBOX_OLDEST_PENDING_AGE.gauge(registry, oldestPendingAge);
  }

  /** Sweeps now, then every {@code interval} after the previous sweep ended. */
  void start(Duration interval) {
    thread.scheduleWithFixedDelay(this::sweep, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Asks for a drain as soon as the thread is free; the request is never lost, only merged. */
  void requestDrain() {
    drainRequested.set(true);
    if (closed.get() || !sweepQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      thread.execute(this::sweep);
    } catch (RejectedExecutionException e) {
      sweepQueued.set(false); // Closing: the rows wait in the outbox for the next start.
    }
  }

  /** How many events wait and how old the oldest is, as the last sweep saw them. */
  String detail() {
    long count = pending.get();
    return count == 0
        ? "no event pending"
        : count + " events pending, the oldest " + oldestPendingAge.get() + " s old";
  }

  /** True when no sweep runs and none is queued. */
  boolean isIdle() {
    return !sweeping.get() && !sweepQueued.get();
  }

  /** Stops the thread, letting a running sweep finish (bounded); pending rows stay. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    thread.shutdown();
    try {
      if (!thread.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("outbox sweeper still busy after {}; interrupting it", CLOSE_WAIT);
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void sweep() {
    if (closed.get()) {
      return;
    }
    sweeping.set(true);
    sweepQueued.set(false);
    boolean requested = drainRequested.getAndSet(false);
    try {
      List<OutboxEntry> oldest = store.pendingOutbox(1);
      if (requested || backlog.isBacklogged() || hasOrphans(oldest)) {
        drain();
        oldest = store.pendingOutbox(1);
      }
      oldestPendingAge.set(
          oldest.isEmpty()
              ? 0
              : Math.max(
                  0, Duration.between(oldest.getFirst().createdAt(), clock.instant()).toSeconds()));
      pending.set(store.countPendingOutbox(COUNT_LIMIT));
      recovered();
    } catch (RuntimeException e) {
      failed(e);
    } finally {
      sweeping.set(false);
    }
  }

  private boolean hasOrphans(List<OutboxEntry> page) {
    return !page.isEmpty()
        && page.getFirst().createdAt().isBefore(clock.instant().minus(ORPHAN_AGE));
  }

  /**
   * Publishes the outbox in id order, a claimed batch at a time, until nothing is pending but the
   * rows of the tenants it left behind; or until a pass publishes nothing and fails (Redis itself
   * is failing: the next sweep tries again).
   */
  private void drain() {
    Map<TenantId, Long> mark = backlog.drainStarts();
    Set<String> behind = new HashSet<>();
    FailureBudget budget = new FailureBudget();
    while (!closed.get()) {
      RelayResult result =
          store.relayPending(
              CLAIM,
              behind,
              entry ->
                  budget.deliver(
                      () ->
                          delivery.deliverQuietly(
                              entry.tenant(),
                              entry.event(),
                              entry.mutationVersion(),
                              Optional.empty())));
      published.increment(result.published().size());
      behind.addAll(result.blocked());
      if (result.failed() && result.published().isEmpty()) {
        return;
      }
      if (!result.full()) {
        Set<TenantId> unfinished = new HashSet<>();
        behind.forEach(tenant -> unfinished.add(TenantId.of(tenant)));
        if (backlog.drainedUpTo(mark, unfinished)) {
          return;
        }
        mark = backlog.drainStarts();
      }
    }
  }

  /** The time one drain has spent on failed deliveries, against {@link #FAILURE_BUDGET}. */
  private static final class FailureBudget {
    private long failedNanos;

    /** Runs {@code delivery} unless the budget is spent (then answers false at once). */
    boolean deliver(BooleanSupplier delivery) {
      if (failedNanos >= FAILURE_BUDGET.toNanos()) {
        return false;
      }
      long started = System.nanoTime();
      boolean delivered = delivery.getAsBoolean();
      if (!delivered) {
        failedNanos += System.nanoTime() - started;
      }
      return delivered;
    }
  }

  private void failed(RuntimeException e) {
    if (failing.compareAndSet(false, true)) {
      log.warn("outbox sweep failed: {}; trying again every sweep", e.getMessage());
    } else {
      log.debug("outbox sweep failed again: {}", e.getMessage());
    }
  }

  private void recovered() {
    if (failing.compareAndSet(true, false)) {
      log.info("outbox sweeps succeed again");
    }
  }
}
