package io.rekko.worker.command;

import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.worker.redis.FencedLock;
import io.rekko.worker.redis.LockAttempt;
import io.rekko.worker.redis.RedisLocks;
import io.rekko.worker.store.Guard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The per-face locks of one batch's mutations, taken in sorted (tenant, external id) order and
 * released together.
 *
 * <p>Sorted order, and a bounded wait for each lock, keep two workers whose batches share faces
 * from waiting on each other for long: each waits at most {@code lockWait} per face, and a face it
 * could not lock in that time is answered {@link Optional#empty() busy} and retried alone by the
 * engine, later. When Redis cannot be asked, the remaining faces get {@link Guard#advisoryLock()},
 * the PostgreSQL fallback, instead of a fencing token; the store's fence rows keep the two kinds of
 * lock from overlapping unsafely.
 *
 * <p>Tenant-wide commands have no Redis lock (the lock keys are per face): their units always take
 * the advisory lock, which suits commands that are rare and cheap.
 */
final class BatchLocks implements AutoCloseable {

  /** One face of one tenant, ordered by tenant, then external id. */
  record FaceKey(TenantId tenant, ExternalId externalId) {
    static final Comparator<FaceKey> ORDER =
        Comparator.comparing((FaceKey key) -> key.tenant().value())
            .thenComparing(key -> key.externalId().value());
  }

  private final Map<FaceKey, Guard> guards;
  private final List<FencedLock> held;
  private final int fallbacks;

  private BatchLocks(Map<FaceKey, Guard> guards, List<FencedLock> held, int fallbacks) {
    this.guards = guards;
    this.held = held;
    this.fallbacks = fallbacks;
  }

  /** Locks {@code keys} in sorted order, waiting up to {@code lockWait} for each. */
  static BatchLocks acquire(RedisLocks locks, Collection<FaceKey> keys, Duration lockWait) {
    TreeSet<FaceKey> sorted = new TreeSet<>(FaceKey.ORDER);
    sorted.addAll(keys);
    Map<FaceKey, Guard> guards = new HashMap<>();
    List<FencedLock> held = new ArrayList<>();
    boolean redisDown = false;
    int fallbacks = 0;
    try {
      for (FaceKey key : sorted) {
        if (redisDown) {
          guards.put(key, Guard.advisoryLock());
          fallbacks++;
          continue;
        }
        switch (locks.acquire(key.tenant(), key.externalId(), lockWait)) {
          case LockAttempt.Granted granted -> {
            held.add(granted.lock());
            guards.put(key, Guard.fence(granted.lock().fence()));
          }
          case LockAttempt.Busy busy -> {
            // No guard: the record is retried alone, later.
          }
          case LockAttempt.Unavailable unavailable -> {
            redisDown = true;
            guards.put(key, Guard.advisoryLock());
            fallbacks++;
          }
        }
      }
    } catch (RuntimeException e) {
      held.forEach(FencedLock::release);
      throw e;
    }
    return new BatchLocks(guards, held, fallbacks);
  }

  /** The guard to present for {@code key}; empty when another holder kept its lock. */
  Optional<Guard> guard(FaceKey key) {
    return Optional.ofNullable(guards.get(key));
  }

  /** How many faces fell back to the advisory lock because Redis could not lock. */
  int fallbacks() {
    return fallbacks;
  }

  /** Releases every lock taken; never throws (a lock that cannot be released expires). */
  @Override
  public void close() {
    for (FencedLock lock : held) {
      lock.release();
    }
  }
}
