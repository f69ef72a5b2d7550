package io.rekko.worker.command;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.worker.redis.CachedFace;
import io.rekko.worker.redis.EventPublisher;
import io.rekko.worker.redis.RedisCaches;
import io.rekko.worker.store.CommittedSink;
import io.rekko.worker.store.OutboxEntry;
import io.rekko.worker.store.PendingEvent;
import io.rekko.worker.store.RelayResult;
import io.rekko.worker.store.Store;
import io.rekko.worker.support.MetricNames;
import io.rekko.worker.support.NamedThreads;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * published twice (a crash between the two, or a commit lost after the publish), never lost;
 * subscribers drop repeats by {@code event_id}. The direct path ({@link Store#relayOwn}) holds no
 * transaction or lock while it publishes a batch's events (side by side, one per key) and marks
 * them after. The sweepers publish through {@link Store#relayPending}, which locks the rows it
 * publishes ({@code FOR UPDATE SKIP LOCKED}) until they are marked, so the sweepers of several
 * workers share the rows an outage left instead of each publishing all of them; a lock is held
 * while at most {@value #CLAIM} rows are published, so a failing Redis holds it for one command
 * timeout. A sweeper may publish a row the committing worker is publishing directly (it drains a
 * backlog, or the row looked orphaned): a repeat, which subscribers drop.
 *
 * <p><b>Order per key.</b> Events of one key are published in commit order. While everything works,
 * each batch publishes its own events right after its commit, and the engine handles a key's next
 * record only after that. Once a publish fails, this relay is <em>backlogged</em>: from then on
 * every event (of commits, verifications and replays alike) is left in the outbox and the sweeper
 * publishes the whole outbox in id order, which is commit order per key; only a drain that saw no
 * event deferred meanwhile ends the backlog. Rows another worker left behind (it crashed, or its
 * Redis calls failed while ours did not) are found by their age, {@link #ORPHAN_AGE}, and drained
 * the same way; until then this worker may publish a later event of the same key first. A row
 * another worker holds is skipped, with every later row of its tenant (see {@link
 * Store#relayPending}); the backlog ends only after a drain that skipped nothing. The direct path
 * enters the backlog when one of its rows is behind an older pending row of its key, so both go
 * from the sweeper, in order.
 *
 * <p><b>Pending invalidations.</b> While an event waits in the outbox, so does its cache
 * invalidation; the relay's {@link InvalidationWatch} keeps every worker from answering from the
 * entries it should remove, and applies it as soon as Redis can be reached.
 *
 * <p>One sweeper thread per relay, named after the worker instance ({@code <instance>}{@value
 * #THREAD_SUFFIX}), or {@value #THREAD_NAME}{@code -<n>} without one, and one for the watch
 * ({@value #WATCH_THREAD_SUFFIX}, {@value #WATCH_THREAD_NAME}); {@link #close()} stops both.
 */
public final class OutboxRelay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  static final String THREAD_NAME = "rekko-outbox-sweeper";
  static final String THREAD_SUFFIX = "-outbox-sweeper";
  static final String WATCH_THREAD_NAME = "rekko-invalidation-watch";
  static final String WATCH_THREAD_SUFFIX = "-invalidation-watch";
  private static final AtomicInteger UNNAMED = new AtomicInteger();

  /**
   * Rows one sweeper pass claims and publishes under lock. Small, so that another worker waits
   * little for rows it could publish, and the locks are released soon after a Redis failure.
   */
  static final int CLAIM = 50;

  /** Pending rows older than this were left behind by someone: the sweeper drains them. */
  static final Duration ORPHAN_AGE = Duration.ofSeconds(5);

  /** The pending-events gauge counts up to this many. */
  static final int COUNT_LIMIT = 100_000;

  static final Duration MIN_SWEEP_INTERVAL = Duration.ofMillis(10);
  static final Duration MAX_SWEEP_INTERVAL = Duration.ofMinutes(10);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  /** An event a unit of work committed, with the version its outcome carries. */
  record Committed(
      long outboxId, TenantId tenant, PendingEvent event, long version, Optional<FaceFill> fill) {
    Committed {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(fill, "fill");
    }

    Committed(long outboxId, TenantId tenant, PendingEvent event, long version) {
      this(outboxId, tenant, event, version, Optional.empty());
    }
  }

  /**
   * The face a registration just committed: delivered, it fills the face cache (version-checked)
   * rather than leaving a tombstone, so the verifications that follow read it from Redis.
   */
  record FaceFill(ExternalId externalId, CachedFace face) {
    FaceFill {
      Objects.requireNonNull(externalId, "externalId");
      Objects.requireNonNull(face, "face");
    }
  }

  private final Store store;
  private final Delivery delivery;
  private final Backlog backlog = new Backlog();
  private final Clock clock;
  private final ScheduledExecutorService sweeper;
  private final ExecutorService deliveries =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("rekko-delivery-", 0).factory());
  private final InvalidationWatch watch;
  private final Counter publishedDirect;
  private final Counter publishedBySweeper;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong oldestPendingAge = new AtomicLong();
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
      MeterRegistry registry,
      String threadName,
      String watchThreadName) {
    this.store = store;
    Invalidations invalidations = new Invalidations(store, caches);
    this.delivery = new Delivery(publisher, invalidations);
    this.clock = clock;
    this.watch = InvalidationWatch.start(store, caches, invalidations, registry, watchThreadName);
    this.sweeper = NamedThreads.singleScheduler(threadName);
    this.publishedDirect = published(registry, "direct");
    this.publishedBySweeper = published(registry, "sweeper");
    MetricNames.OUTBOX_PENDING.gauge(registry, pending);
    MetricNames.OUTBOX_OLDEST_PENDING_AGE.gauge(registry, oldestPendingAge);
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
    int n = UNNAMED.incrementAndGet();
    return launch(
        store,
        publisher,
        caches,
        sweepInterval,
        clock,
        registry,
        THREAD_NAME + "-" + n,
        WATCH_THREAD_NAME + "-" + n);
  }

  /**
   * {@link #start(Store, EventPublisher, RedisCaches, Duration, Clock, MeterRegistry)} for the
   * worker {@code instance}, whose name the sweeper thread carries.
   */
  public static OutboxRelay start(
      Store store,
      EventPublisher publisher,
      RedisCaches caches,
      Duration sweepInterval,
      Clock clock,
      MeterRegistry registry,
      String instance) {
    Objects.requireNonNull(instance, "instance");
    return launch(
        store,
        publisher,
        caches,
        sweepInterval,
        clock,
        registry,
        instance + THREAD_SUFFIX,
        instance + WATCH_THREAD_SUFFIX);
  }

  private static OutboxRelay launch(
      Store store,
      EventPublisher publisher,
      RedisCaches caches,
      Duration sweepInterval,
      Clock clock,
      MeterRegistry registry,
      String threadName,
      String watchThreadName) {
    Objects.requireNonNull(sweepInterval, "sweepInterval");
    if (sweepInterval.compareTo(MIN_SWEEP_INTERVAL) < 0
        || sweepInterval.compareTo(MAX_SWEEP_INTERVAL) > 0) {
      throw new IllegalArgumentException(
          "sweepInterval must be between 10ms and 10m, was " + sweepInterval);
    }
    OutboxRelay relay =
        new OutboxRelay(
            Objects.requireNonNull(store, "store"),
            Objects.requireNonNull(publisher, "publisher"),
            Objects.requireNonNull(caches, "caches"),
            Objects.requireNonNull(clock, "clock"),
            Objects.requireNonNull(registry, "registry"),
            threadName,
            watchThreadName);
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
    Map<Long, Committed> byId = new HashMap<>();
    committed.forEach(c -> byId.put(c.outboxId(), c));
    RelayResult result;
    try {
      result = store.relayOwn(byId.keySet(), new SideBySide(byId));
    } catch (RuntimeException e) {
      // Published or not, the rows stay pending: the sweeper publishes them, in order.
      log.warn("could not relay {} committed events: {}", committed.size(), e.getMessage());
      enterBacklog();
      return;
    }
    publishedDirect.increment(result.published().size());
    if (!result.clean()) {
      // A failed publish, or a row a sweeper holds and may fail to publish: keep the key's next
      // events behind it.
      enterBacklog();
    }
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

  /**
   * For readiness, reported only: how many events wait in the outbox and how old the oldest is, as
   * the last sweep saw them. Restarting the worker would not publish them sooner.
   */
  public String backlogDetail() {
    long count = pending.get();
    return count == 0
        ? "no event pending"
        : count + " events pending, the oldest " + oldestPendingAge.get() + " s old";
  }

  /** True while events are left to the sweeper (after a failed publish, until a full drain). */
  boolean isBacklogged() {
    return backlog.isBacklogged();
  }

  /** The watch that decides whether the handlers may read a tenant's cache entries. */
  InvalidationWatch invalidationWatch() {
    return watch;
  }

  /**
   * Stops the sweeper and the watch; pending events stay in the outbox for the next start.
   * Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    watch.close();
    sweeper.shutdown();
    deliveries.shutdown();
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
   * Publishes the outbox in id order, a claimed batch at a time, until it is empty; or until Redis
   * fails or another worker holds rows (the relay then stays backlogged and the next sweep tries
   * again).
   */
  private void drain() {
    long mark = backlog.drainStarts();
    while (!closed.get()) {
      RelayResult result =
          store.relayPending(
              CLAIM,
              entry ->
                  deliver(
                      entry.tenant(), entry.event(), entry.mutationVersion(), Optional.empty()));
      publishedBySweeper.increment(result.published().size());
      if (!result.clean()) {
        return;
      }
      if (!result.full()) {
        mark = backlog.drainedUpTo(mark);
        if (mark < 0) {
          return;
        }
      }
    }
  }

  /**
   * Delivers a batch's own events, one per key, side by side on virtual threads: their Redis calls
   * overlap instead of queueing one after another.
   */
  private final class SideBySide implements CommittedSink {
    private final Map<Long, Committed> byId;

    SideBySide(Map<Long, Committed> byId) {
      this.byId = byId;
    }

    @Override
    public List<Boolean> publish(List<Long> ids) {
      if (ids.size() == 1) {
        return List.of(deliver(ids.getFirst()));
      }
      List<Future<Boolean>> started = new ArrayList<>(ids.size());
      for (long id : ids) {
        started.add(deliveries.submit(() -> deliver(id)));
      }
      List<Boolean> published = new ArrayList<>(ids.size());
      for (Future<Boolean> delivery : started) {
        published.add(outcome(delivery));
      }
      return published;
    }

    private boolean deliver(long id) {
      Committed c = byId.get(id);
      return OutboxRelay.this.deliver(
          c.tenant(), c.event(), OptionalLong.of(c.version()), c.fill());
    }

    private static boolean outcome(Future<Boolean> delivery) {
      try {
        return delivery.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        delivery.cancel(true);
        return false;
      } catch (ExecutionException | CancellationException e) {
        return false;
      }
    }
  }

  /** Delivers one event; a failure of any kind leaves its row pending. */
  private boolean deliver(
      TenantId tenant, PendingEvent event, OptionalLong version, Optional<FaceFill> fill) {
    try {
      return delivery.deliver(tenant, event, version, fill);
    } catch (RuntimeException e) {
      log.warn("delivering event {} failed: {}", event.eventId(), e.getMessage());
      return false;
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
    return MetricNames.OUTBOX_PUBLISHED.counter(registry, "path", path);
  }
}
