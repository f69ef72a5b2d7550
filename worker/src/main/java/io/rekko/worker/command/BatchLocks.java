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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The per-face locks of one batch's mutations, first tried all at once, then, for faces another
 * holder has, waited for in sorted (tenant, external id) order; released together.
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

  /**
   * Takes the locks of {@code keys}: first one attempt for every face at once, side by side on
   * virtual threads (a batch's faces are normally free, so this is all it takes); then, in sorted
   * order, a bounded wait for each face that was busy.
   */
  static BatchLocks acquire(RedisLocks locks, Collection<FaceKey> keys, Duration lockWait) {
    TreeSet<FaceKey> sorted = new TreeSet<>(FaceKey.ORDER);
    sorted.addAll(keys);
    Map<FaceKey, Guard> guards = new HashMap<>();
    List<FencedLock> held = new ArrayList<>();
    boolean redisDown = false;
    int fallbacks = 0;
    try {
      List<FaceKey> busy = new ArrayList<>();
      Map<FaceKey, Future<LockAttempt>> first =
          sideBySide(sorted, key -> attempt(locks, key, Duration.ZERO));
      RuntimeException failure = null;
      for (FaceKey key : sorted) {
        Future<LockAttempt> attempt = first.get(key);
        if (attempt.state() != Future.State.SUCCESS) {
          failure = failure != null ? failure : unexpected(attempt.exceptionNow());
          continue;
        }
        switch (attempt.resultNow()) {
          case LockAttempt.Granted granted -> grant(key, granted, guards, held);
          case LockAttempt.Busy wait -> busy.add(key);
          case LockAttempt.Unavailable unavailable -> redisDown = true;
        }
      }
      if (failure != null) {
        throw failure; // After every granted lock is in held, which the catch releases.
      }
      for (FaceKey key : busy) {
        if (!redisDown) {
          switch (attempt(locks, key, lockWait)) {
            case LockAttempt.Granted granted -> grant(key, granted, guards, held);
            case LockAttempt.Busy wait -> {
              // No guard: the record is retried alone, later.
            }
            case LockAttempt.Unavailable unavailable -> redisDown = true;
          }
        }
      }
      if (redisDown) {
        for (FaceKey key : sorted) {
          if (!guards.containsKey(key)) {
            guards.put(key, Guard.advisoryLock());
            fallbacks++;
          }
        }
      }
    } catch (RuntimeException e) {
      releaseAll(held);
      throw e;
    }
    return new BatchLocks(guards, held, fallbacks);
  }

  private static LockAttempt attempt(RedisLocks locks, FaceKey key, Duration wait) {
    return locks.acquire(key.tenant(), key.externalId(), wait);
  }

  private static void grant(
      FaceKey key, LockAttempt.Granted granted, Map<FaceKey, Guard> guards, List<FencedLock> held) {
    held.add(granted.lock());
    guards.put(key, Guard.fence(granted.lock().fence()));
  }

  /** Starts {@code call} for every item at once, one virtual thread each; returns when all end. */
  private static <K, V> Map<K, Future<V>> sideBySide(Collection<K> items, Function<K, V> call) {
    Map<K, Future<V>> started = new HashMap<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (K item : items) {
        started.put(item, threads.submit(() -> call.apply(item)));
      }
    }
    return started;
  }

  private static RuntimeException unexpected(Throwable failure) {
    return failure instanceof RuntimeException e
        ? e
        : new IllegalStateException("taking a lock failed", failure);
  }

  private static void releaseAll(List<FencedLock> held) {
    sideBySide(held, FencedLock::release);
  }

  /**
   * The guard of a face's unit of work: its fencing token, or the advisory lock while Redis is
   * down; empty when another holder kept the face locked (the record is retried later).
   */
  Optional<Guard> guard(FaceKey key) {
    return Optional.ofNullable(guards.get(key));
  }

  /** How many faces fell back to the advisory lock because Redis could not lock. */
  int fallbacks() {
    return fallbacks;
  }

  /**
   * Releases every lock taken, side by side; never throws (a lock that cannot be released expires).
   */
  @Override
  public void close() {
    releaseAll(held);
  }
}
