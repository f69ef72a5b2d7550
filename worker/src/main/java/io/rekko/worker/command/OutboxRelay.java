package io.rekko.worker.command;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.schema.TenantId;
import io.rekko.worker.redis.EventPublisher;
import io.rekko.worker.redis.RedisCaches;
import io.rekko.worker.store.OutboxEntry;
import io.rekko.worker.store.PendingEvent;
import io.rekko.worker.store.Store;
import io.rekko.worker.support.MetricName;
import io.rekko.worker.support.MetricNames;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the events that units of work committed to the outbox: right after the commit, and from
 * a background sweeper for whatever is left (while Redis was down, or when a worker died between
 * commit and publish). Before publishing an event it performs the cache invalidations the event
 * implies ({@link Invalidations}), so invalidations survive a Redis outage too.
 *
 * <p><b>At least once.</b> An event is marked published only after Redis took it, so it may be
 * published twice (a crash between the two, several workers' sweepers after an outage), never lost;
 * subscribers drop repeats by {@code event_id}.
 *
 * <p><b>Order per key.</b> Events of one key are published in commit order. While everything works,
 * each batch publishes its own events right after its commit, and the engine handles a key's next
 * record only after that. Once a publish fails, this relay is <em>backlogged</em>: from then on
 * every event (of commits, verifications and replays alike) is left in the outbox and the sweeper
 * publishes the whole outbox in id order, which is commit order per key; only a drain that saw no
 * event deferred meanwhile ends the backlog. Rows another worker left behind (it crashed, or its
 * Redis calls failed while ours did not) are found by their age, {@link #ORPHAN_AGE}, and drained
 * the same way; until then this worker may publish a later event of the same key first.
 *
 * <p>One sweeper thread per relay, named {@value #THREAD_NAME}; {@link #close()} stops it.
 */
public final class OutboxRelay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  static final String THREAD_NAME = "rekko-outbox-sweeper";

  /** Rows read per page while draining. */
  static final int PAGE = 500;

  /** Pending rows older than this were left behind by someone: the sweeper drains them. */
  static final Duration ORPHAN_AGE = Duration.ofSeconds(5);

  /** The pending-events gauge counts up to this many. */
  static final int COUNT_LIMIT = 100_000;

  static final Duration MIN_SWEEP_INTERVAL = Duration.ofMillis(10);
  static final Duration MAX_SWEEP_INTERVAL = Duration.ofMinutes(10);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  /** An event a unit of work committed, with the version its outcome carries. */
  record Committed(long outboxId, TenantId tenant, PendingEvent event, long version) {
    Committed {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(event, "event");
    }
  }

  private final Store store;
  private final Delivery delivery;
  private final Backlog backlog = new Backlog();
  private final Clock clock;
  private final ScheduledExecutorService sweeper;
  private final Counter publishedDirect;
  private final Counter publishedBySweeper;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicBoolean drainRequested = new AtomicBoolean();
  private final AtomicBoolean sweepQueued = new AtomicBoolean();
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private final AtomicBoolean failing = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private OutboxRelay(
      Store store,
      EventPublisher publisher,
      RedisCaches caches,
      Clock clock,
      MeterRegistry registry) {
    this.store = store;
    this.delivery = new Delivery(store, publisher, caches);
    this.clock = clock;
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, THREAD_NAME);
              thread.setDaemon(true);
              thread.setUncaughtExceptionHandler(
                  (t, e) -> log.error("outbox sweeper died unexpectedly", e));
              return thread;
            });
    this.publishedDirect = published(registry, "direct");
    this.publishedBySweeper = published(registry, "sweeper");
    MetricName name = MetricNames.OUTBOX_PENDING;
    Gauge.builder(name.name(), pending, AtomicLong::doubleValue)
        .description(name.description())
        .baseUnit(name.baseUnit())
        .register(registry);
  }

  /**
   * Starts the relay and its sweeper thread, which looks for pending events every {@code
   * sweepInterval} (10ms to 10m) and whenever a publish fails.
   */
  public static OutboxRelay start(
      Store store,
      EventPublisher publisher,
      RedisCaches caches,
      Duration sweepInterval,
      Clock clock,
      MeterRegistry registry) {
    Objects.requireNonNull(sweepInterval, "sweepInterval");
    if (sweepInterval.compareTo(MIN_SWEEP_INTERVAL) < 0
        || sweepInterval.compareTo(MAX_SWEEP_INTERVAL) > 0) {
      throw new IllegalArgumentException(
          "outbox.sweep-interval must be between 10ms and 10m, was " + sweepInterval);
    }
    OutboxRelay relay =
        new OutboxRelay(
            Objects.requireNonNull(store, "store"),
            Objects.requireNonNull(publisher, "publisher"),
            Objects.requireNonNull(caches, "caches"),
            Objects.requireNonNull(clock, "clock"),
            Objects.requireNonNull(registry, "registry"));
    long millis = sweepInterval.toMillis();
    relay.sweeper.scheduleWithFixedDelay(relay::sweep, 0, millis, TimeUnit.MILLISECONDS);
    return relay;
  }

  /**
   * Publishes what a batch just committed, in outbox order, and marks it published; leaves it to
   * the sweeper while backlogged or when Redis fails. Never throws.
   */
  void publishCommitted(List<Committed> committed) {
    if (committed.isEmpty()) {
      return;
    }
    if (backlog.deferIfBacklogged()) {
      requestDrain();
      return;
    }
    List<Long> published = new ArrayList<>();
    for (Committed c :
        committed.stream().sorted(Comparator.comparing(Committed::outboxId)).toList()) {
      if (!delivery.deliver(c.tenant(), c.event(), OptionalLong.of(c.version()))) {
        enterBacklog();
        break;
      }
      published.add(c.outboxId());
    }
    markPublished(published, publishedDirect);
  }

  /**
   * Publishes an event that has no outbox row (a verification's, or a replayed outcome's); writes
   * it to the outbox instead while backlogged or when Redis fails.
   *
   * @throws io.rekko.worker.store.StoreUnavailableException when the outbox cannot be written
   *     either; the caller retries
   */
  void publishOrStore(TenantId tenant, PendingEvent event) {
    if (!backlog.isBacklogged() && delivery.publish(tenant, event)) {
      return;
    }
    store.writeOutbox(tenant, event);
    enterBacklog();
  }

  /**
   * Writes an event to the outbox, then publishes it and marks it published (the {@code
   * invalid_command} rejection of a dead letter, which must survive a Redis outage).
   *
   * @throws io.rekko.worker.store.StoreUnavailableException when the outbox cannot be written
   */
  void publishStored(TenantId tenant, PendingEvent event) {
    OptionalLong id = store.writeOutbox(tenant, event);
    if (id.isEmpty()) {
      return; // Written before: published, or pending for the sweeper.
    }
    publishCommitted(List.of(new Committed(id.getAsLong(), tenant, event, 0)));
  }

  /** True while events are left to the sweeper (after a failed publish, until a full drain). */
  boolean isBacklogged() {
    return backlog.isBacklogged();
  }

  /** Stops the sweeper; pending events stay in the outbox for the next start. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    sweeper.shutdown();
    try {
      if (!sweeper.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("outbox sweeper still busy after {}; interrupting it", CLOSE_WAIT);
        sweeper.shutdownNow();
      }
    } catch (InterruptedException e) {
      sweeper.shutdownNow();
      Thread.currentThread().interrupt();
    }
    log.info("outbox relay stopped");
  }

  /** True when no sweep runs and none is queued: for tests that must know the relay is quiet. */
  boolean isIdle() {
    return !sweeping.get() && !sweepQueued.get();
  }

  /** The sweeper's periodic (or requested) run. */
  private void sweep() {
    if (closed.get()) {
      return;
    }
    sweeping.set(true);
    sweepQueued.set(false);
    boolean requested = drainRequested.getAndSet(false);
    try {
      List<OutboxEntry> page = store.pendingOutbox(PAGE);
      if (requested || backlog.isBacklogged() || hasOrphans(page)) {
        drain(page);
      }
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
   * Publishes the outbox in id order until it is empty, or until Redis fails (the relay then stays
   * backlogged and the next sweep tries again).
   */
  private void drain(List<OutboxEntry> firstPage) {
    long mark = backlog.drainStarts();
    List<OutboxEntry> page = firstPage;
    while (!closed.get()) {
      List<Long> published = new ArrayList<>();
      for (OutboxEntry entry : page) {
        if (!delivery.deliver(entry.tenant(), entry.event(), OptionalLong.empty())) {
          markPublished(published, publishedBySweeper);
          return;
        }
        published.add(entry.id());
      }
      markPublished(published, publishedBySweeper);
      if (page.size() < PAGE) {
        mark = backlog.drainedUpTo(mark);
        if (mark < 0) {
          return;
        }
      }
      page = store.pendingOutbox(PAGE);
    }
  }

  private void enterBacklog() {
    backlog.enter();
    requestDrain();
  }

  private void requestDrain() {
    drainRequested.set(true);
    if (closed.get() || !sweepQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      sweeper.execute(this::sweep);
    } catch (RejectedExecutionException e) {
      sweepQueued.set(false); // Closing: the rows wait in the outbox for the next start.
    }
  }

  private void markPublished(List<Long> ids, Counter counter) {
    if (ids.isEmpty()) {
      return;
    }
    try {
      store.markPublished(ids);
      counter.increment(ids.size());
    } catch (RuntimeException e) {
      // They stay pending, and are published again once they are orphans: a repeat, not a loss.
      log.warn("could not mark {} outbox events published: {}", ids.size(), e.getMessage());
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

  private static Counter published(MeterRegistry registry, String path) {
    MetricName name = MetricNames.OUTBOX_PUBLISHED;
    return Counter.builder(name.name())
        .description(name.description())
        .baseUnit(name.baseUnit())
        .tag("path", path)
        .register(registry);
  }
}
