package io.rekko.worker.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.schema.TenantId;
import io.rekko.worker.redis.RedisCaches;
import io.rekko.worker.redis.RedisUnavailableException;
import io.rekko.worker.store.ErasureNotice;
import io.rekko.worker.store.OutboxEntry;
import io.rekko.worker.store.Store;
import io.rekko.worker.store.StoreUnavailableException;
import io.rekko.worker.support.MetricNames;
import io.rekko.worker.support.NamedThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SequencedMap;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, per tenant, whether this worker may answer from the Redis caches, and applies the cache
 * invalidations that committed but did not reach Redis.
 *
 * <p><b>Why.</b> A mutation commits in PostgreSQL first; its cache invalidation follows, from the
 * outbox ({@link Invalidations}). When the committing worker cannot reach Redis but Redis keeps its
 * data (a partition, not a crash), the invalidation waits in the outbox while Redis still holds
 * what it should remove: a suspended tenant cached as active, a deleted face, a revoked key cached
 * as valid. Whoever read those entries would answer from the past.
 *
 * <p><b>The rule.</b> This worker reads a tenant's cache entries only while
 *
 * <ol>
 *   <li>its last check found no pending invalidation of the tenant that it has not applied to Redis
 *       itself, and
 *   <li>its own link to Redis has not been disrupted since that check began ({@link
 *       RedisCaches#disruptions()}: a failed command, a connection lost or re-established).
 * </ol>
 *
 * Otherwise the read goes to PostgreSQL, the truth (and is counted as bypassed).
 *
 * <p><b>The check</b>, every {@link #CHECK_INTERVAL} on a thread of its own, reads the ids of the
 * pending outbox rows that invalidate (a partial index keeps this cheap however long the outbox
 * is), applies the invalidations of those it has not applied yet (all idempotent: a tombstone, a
 * generation bump, a key marked revoked), and records the tenants whose invalidations it could not
 * apply. So every worker applies every pending invalidation as soon as it can reach Redis, without
 * waiting for the row's owner; the owner still publishes the event. After a disruption, everything
 * is applied again: Redis may have lost what was applied before.
 *
 * <p><b>Erasures.</b> The same check reads the tenants' erasures ({@link Store#erasureNotices}) and
 * makes this worker forget what it holds of an erased tenant in memory, its data key: when the
 * erasure begins, at every check while it is under way (the key may be read again until the erasure
 * destroys it), and once more when it has finished. So no worker keeps sealing under a destroyed
 * key, and a tenant created again gets a new one everywhere. The first check reads every erasure
 * ever begun (a worker knows nothing yet), the later ones only what is new.
 *
 * <p><b>What it guarantees.</b> A worker that lost Redis itself trusts its caches again only once a
 * check made afterwards applied every pending invalidation, so no worker that was cut off, as the
 * committing worker was, serves an entry the invalidation should have removed. A worker that saw no
 * disruption while another one could not invalidate may serve the old entry until its next check:
 * for at most {@link #CHECK_INTERVAL} (and the time a check takes) after the commit. With {@value
 * #LIMIT} or more invalidations pending (a long outage under load), the caches are not used at all
 * until fewer remain.
 */
public final class InvalidationWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InvalidationWatch.class);

  /** How often the outbox is checked: the longest a worker serves an entry it was not told of. */
  static final Duration CHECK_INTERVAL = Duration.ofMillis(100);

  /** Pending invalidations a check looks at; with this many the caches are not used at all. */
  public static final int LIMIT = 1_000;

  /** Erasures read at once. */
  private static final int ERASURE_PAGE = 1_000;

  /** Rows whose events are read from the outbox at once, to apply their invalidations. */
  private static final int CHUNK = 100;

  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  /**
   * What the last completed check found.
   *
   * @param disruptions the link's disruption count when the check began
   * @param distrusted tenants with an invalidation pending that the check could not apply
   * @param overflowed more invalidations were pending than a check looks at
   */
  record Verdict(long disruptions, Set<TenantId> distrusted, boolean overflowed) {
    boolean trusts(TenantId tenant, long disruptionsNow) {
      return disruptions == disruptionsNow && !overflowed && !distrusted.contains(tenant);
    }
  }

  /** Before the first check: nothing is known, so nothing is trusted. */
  static final Verdict UNCHECKED = new Verdict(-1, Set.of(), true);

  private final Store store;
  private final RedisCaches caches;
  private final Invalidations invalidations;
  private final Consumer<TenantId> forget;
  private final ScheduledExecutorService thread;
  private final Counter bypassed;
  private final AtomicLong unapplied = new AtomicLong();
  private final AtomicBoolean failing = new AtomicBoolean();
  private volatile Verdict verdict = UNCHECKED;

  // Touched by check() only, which holds the watch's lock.
  private final Set<Long> applied = new HashSet<>();
  private long appliedSince = -1;
  private long erasuresSeen;
  private Set<TenantId> erasing = Set.of();

  private InvalidationWatch(
      Store store,
      RedisCaches caches,
      Invalidations invalidations,
      Consumer<TenantId> forget,
      MeterRegistry registry,
      String threadName) {
    this.store = store;
    this.caches = caches;
    this.invalidations = invalidations;
    this.forget = forget;
    this.thread = NamedThreads.singleScheduler(threadName);
    this.bypassed = MetricNames.CACHE_BYPASSED_READS.counter(registry);
    MetricNames.CACHE_UNAPPLIED_INVALIDATIONS.gauge(registry, unapplied);
  }

  /**
   * Checks once now, on the caller (so that a worker that starts while all is well uses its caches
   * from its first command, whoever calls the handlers first), then every {@link #CHECK_INTERVAL}
   * on the thread {@code threadName}.
   */
  static InvalidationWatch start(
      Store store,
      RedisCaches caches,
      Invalidations invalidations,
      Consumer<TenantId> forget,
      MeterRegistry registry,
      String threadName) {
    InvalidationWatch watch =
        new InvalidationWatch(store, caches, invalidations, forget, registry, threadName);
    watch.checkQuietly();
    long millis = CHECK_INTERVAL.toMillis();
    watch.thread.scheduleWithFixedDelay(watch::checkQuietly, millis, millis, TimeUnit.MILLISECONDS);
    return watch;
  }

  /**
   * True when the tenant's cache entries may be read now; false sends the read to PostgreSQL.
   * Cheap: two memory reads and a set lookup.
   */
  public boolean trusts(TenantId tenant) {
    if (verdict.trusts(tenant, caches.disruptions())) {
      return true;
    }
    bypassed.increment();
    return false;
  }

  /**
   * One check: applies what it can, then records the verdict. Synchronized, so that a test may run
   * one while the thread does.
   *
   * @throws StoreUnavailableException when PostgreSQL cannot be read; the previous verdict stays
   */
  public synchronized void check() {
    long disruptions = caches.disruptions();
    SequencedMap<Long, TenantId> pending = store.pendingInvalidations(LIMIT);
    if (disruptions != appliedSince) {
      applied.clear(); // Applied to a Redis this worker has since lost sight of: apply again.
      appliedSince = disruptions;
    }
    applied.retainAll(pending.keySet());
    applyPending(pending);
    Set<TenantId> distrusted = new HashSet<>();
    pending.forEach(
        (id, tenant) -> {
          if (!applied.contains(id)) {
            distrusted.add(tenant);
          }
        });
    unapplied.set(pending.size() - applied.size());
    verdict = new Verdict(disruptions, Set.copyOf(distrusted), pending.size() >= LIMIT);
    forgetErased();
  }

  /**
   * Forgets the tenants whose erasure began since the last check, is under way, or finished since
   * the last check; pages through the erasures begun when there are many (the first check).
   */
  private void forgetErased() {
    Set<TenantId> underWay = new HashSet<>();
    Set<TenantId> forgotten = new HashSet<>();
    List<ErasureNotice> notices;
    long before;
    do {
      before = erasuresSeen;
      notices = store.erasureNotices(erasuresSeen, ERASURE_PAGE);
      for (ErasureNotice notice : notices) {
        if (notice.underWay()) {
          underWay.add(notice.tenant());
        }
        if (forgotten.add(notice.tenant())) {
          forget(notice.tenant());
        }
        erasuresSeen = Math.max(erasuresSeen, notice.seq());
      }
    } while (notices.size() == ERASURE_PAGE && erasuresSeen > before);
    for (TenantId finished : erasing) {
      if (!underWay.contains(finished) && forgotten.add(finished)) {
        forget(finished);
      }
    }
    erasing = Set.copyOf(underWay);
  }

  private void forget(TenantId tenant) {
    try {
      forget.accept(tenant);
    } catch (RuntimeException e) {
      log.error("forgetting what this worker holds of erased tenant {} failed", tenant, e);
    }
  }

  /** Applies, oldest first, the invalidations not applied yet, until Redis fails. */
  private void applyPending(SequencedMap<Long, TenantId> pending) {
    List<Long> ids = new ArrayList<>();
    for (Long id : pending.keySet()) {
      if (!applied.contains(id)) {
        ids.add(id);
      }
    }
    for (int from = 0; from < ids.size(); from += CHUNK) {
      List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
      for (OutboxEntry entry : store.pendingOutboxEntries(chunk)) {
        if (!apply(entry)) {
          return;
        }
      }
    }
  }

  /** False when Redis failed: the remaining invalidations wait for the next check. */
  private boolean apply(OutboxEntry entry) {
    try {
      invalidations.apply(entry.tenant(), entry.event().invalidation(), entry.mutationVersion());
      applied.add(entry.id());
      return true;
    } catch (RedisUnavailableException e) {
      return false;
    } catch (RuntimeException e) {
      // Left unapplied, so the tenant is read from PostgreSQL until the row is published.
      log.error("invalidating for outbox row {} failed", entry.id(), e);
      return true;
    }
  }

  private void checkQuietly() {
    try {
      check();
      if (failing.compareAndSet(true, false)) {
        log.info("invalidation checks succeed again");
      }
    } catch (RuntimeException e) {
      if (failing.compareAndSet(false, true)) {
        log.warn(
            "invalidation check failed: {}; trying again every {} ms",
            e.toString(),
            CHECK_INTERVAL.toMillis());
      } else {
        log.debug("invalidation check failed again: {}", e.toString());
      }
    }
  }

  /** Stops the checking thread. Idempotent. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("invalidation watch did not stop within {}", CLOSE_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
