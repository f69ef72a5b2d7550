package io.rekko.worker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.SetArgs;
import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.worker.support.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

abstract class LockBehaviour extends RedisBehaviour {
  private static final Duration SHORT_TTL = Duration.ofMillis(500);

  /**
   * Long enough that a renewal the scheduler runs a second late (a loaded machine) still finds the
   * lock held: the renewal tests assert what renewals do, not how promptly a thread wakes.
   */
  private static final Duration RENEWED_TTL = Duration.ofMillis(1_500);

  private static final Duration SHORT_COMMAND_TIMEOUT = Duration.ofMillis(400);

  private final TenantId tenant = uniqueTenant("lock");
  private RedisLocks locks;
  private RedisLocks shortLocks;
  private RedisLocks renewedLocks;

  LockBehaviour(RedisTarget target) {
    super(target);
  }

  @BeforeAll
  void createLocks() {
    locks = closeAfterAll(new RedisLocks(redis, registry, Clock.systemUTC()));
    RedisConnections shortLived =
        open(
            new RedisSettings(
                target.settings().servers(),
                RedisCredentials.NONE,
                new RedisTimeouts(RedisTimeouts.DEFAULTS.connect(), SHORT_COMMAND_TIMEOUT),
                RedisTtls.DEFAULTS,
                new LockSettings(
                    SHORT_TTL, LockSettings.DEFAULTS.fenceTtl(), LockSettings.DEFAULTS.retry())));
    shortLocks = closeAfterAll(new RedisLocks(shortLived, registry, Clock.systemUTC()));
    RedisConnections renewed =
        open(
            new RedisSettings(
                target.settings().servers(),
                RedisCredentials.NONE,
                RedisTimeouts.DEFAULTS,
                RedisTtls.DEFAULTS,
                new LockSettings(
                    RENEWED_TTL, LockSettings.DEFAULTS.fenceTtl(), LockSettings.DEFAULTS.retry())));
    renewedLocks = closeAfterAll(new RedisLocks(renewed, registry, Clock.systemUTC()));
  }

  @Test
  void sixteenThreadsOverTwoConnectionsDoTenThousandIncrementsUnderTheLockAndLoseNone()
      throws Exception {
    int threads = 16;
    int cycles = 10_000;
    Backoff eager = new Backoff(Duration.ofMillis(1), Duration.ofMillis(4));
    RedisSettings eagerSettings =
        new RedisSettings(
            target.settings().servers(),
            RedisCredentials.NONE,
            RedisTimeouts.DEFAULTS,
            RedisTtls.DEFAULTS,
            new LockSettings(LockSettings.DEFAULTS.ttl(), LockSettings.DEFAULTS.fenceTtl(), eager));
    RedisConnections first = open(eagerSettings);
    RedisConnections second = open(eagerSettings);
    List<RedisConnections> connections = List.of(first, second);
    List<RedisLocks> lockSets =
        List.of(
            closeAfterAll(new RedisLocks(first, registry, Clock.systemUTC())),
            closeAfterAll(new RedisLocks(second, registry, Clock.systemUTC())));
    ExternalId shared = ExternalId.of("shared-counter");
    String valueKey = "rekko:" + tenant + ":test-value:{" + tenant + "/shared-counter}";
    AtomicLongArray fenceOfValue = new AtomicLongArray(cycles);

    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        RedisConnections connection = connections.get(t % 2);
        RedisLocks lockSet = lockSets.get(t % 2);
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < cycles / threads; ) {
                    LockAttempt attempt = lockSet.acquire(tenant, shared, Duration.ofSeconds(30));
                    if (!(attempt instanceof LockAttempt.Granted granted)) {
                      continue;
                    }
                    try (FencedLock lock = granted.lock()) {
                      long value = readCounter(connection, valueKey);
                      fenceOfValue.set((int) value, lock.fence());
                      writeCounter(connection, valueKey, value + 1);
                    }
                    i++;
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertEquals(cycles, readCounter(redis, valueKey), "an increment was lost");
    for (int v = 1; v < cycles; v++) {
      assertTrue(
          fenceOfValue.get(v) > fenceOfValue.get(v - 1),
          "fence of grant " + v + " does not exceed the previous grant's");
    }
  }

  @Test
  void aNonHolderCanNeitherReleaseNorExtendTheLock() {
    ExternalId face = ExternalId.of("held-by-one");
    try (FencedLock holder = granted(locks.acquire(tenant, face, Duration.ZERO))) {
      String stranger = "0123456789abcdef0123456789abcdef";
      assertFalse(locks.release(tenant, face, stranger));
      assertFalse(locks.extend(tenant, face, stranger, Duration.ofHours(1)));
      assertEquals(holder.token(), lockValue(face));
      long ttl = redis.call("pttl", c -> c.pttl(RedisKeys.lock(tenant, face)));
      assertTrue(ttl > 0 && ttl <= LockSettings.DEFAULTS.ttl().toMillis(), "ttl " + ttl);
    }
  }

  @Test
  void aHolderWhoseLockWentToAnotherCannotReleaseItAndFindsItLost() {
    ExternalId face = ExternalId.of("taken-over");
    FencedLock old = granted(shortLocks.acquire(tenant, face, Duration.ZERO));
    // The old holder's key vanishes (expiry, failover) and another worker takes the lock.
    redis.call("del", c -> c.del(RedisKeys.lock(tenant, face)));
    try (FencedLock current = granted(locks.acquire(tenant, face, Duration.ZERO))) {
      assertFalse(old.release());
      assertEquals(current.token(), lockValue(face));
      assertTrue(current.fence() > old.fence());
    }
  }

  @Test
  void aRenewalThatFindsAnotherHolderMarksTheLockLostAndStops() {
    ExternalId face = ExternalId.of("lost-by-renewal");
    FencedLock old = granted(renewedLocks.acquire(tenant, face, Duration.ZERO));
    redis.call("del", c -> c.del(RedisKeys.lock(tenant, face)));
    try (FencedLock current = granted(locks.acquire(tenant, face, Duration.ZERO))) {
      // LOST, not merely expired: a renewal ran and found another holder's token.
      await().atMost(Duration.ofSeconds(10)).until(() -> old.status() == LockLease.Status.LOST);
      assertFalse(old.isHeld());
      assertTrue(old.renewalsSent() >= 1);
      long sent = old.renewalsSent();
      await()
          .during(RENEWED_TTL.multipliedBy(2).dividedBy(3))
          .atMost(RENEWED_TTL.multipliedBy(2))
          .until(() -> old.renewalsSent() == sent);
      assertEquals(current.token(), lockValue(face));
    }
  }

  @Test
  void aLiveHolderKeepsTheLockWellPastItsInitialTtlThroughRenewal() {
    ExternalId face = ExternalId.of("long-work");
    try (FencedLock lock = granted(renewedLocks.acquire(tenant, face, Duration.ZERO))) {
      await()
          .during(RENEWED_TTL.multipliedBy(2))
          .atMost(RENEWED_TTL.multipliedBy(4))
          .until(() -> lock.token().equals(lockValue(face)) && lock.isHeld());
      assertInstanceOf(LockAttempt.Busy.class, locks.acquire(tenant, face, Duration.ZERO));
      assertTrue(lock.renewalsSent() >= 3, "renewals " + lock.renewalsSent());
    }
  }

  @Test
  void noRenewalIsSentAfterRelease() {
    ExternalId face = ExternalId.of("released");
    FencedLock lock = granted(renewedLocks.acquire(tenant, face, Duration.ZERO));
    await().atMost(Duration.ofSeconds(10)).until(() -> lock.renewalsSent() >= 2);
    assertTrue(lock.release());
    long sent = lock.renewalsSent();
    // Two renewal intervals (a third of the TTL each) pass without another renewal.
    await()
        .during(RENEWED_TTL.multipliedBy(2).dividedBy(3))
        .atMost(RENEWED_TTL.multipliedBy(2))
        .until(() -> lock.renewalsSent() == sent);
    assertNull(lockValue(face));
    assertFalse(lock.isHeld());
    assertFalse(lock.release(), "a second release has nothing to release");
  }

  @Test
  void aBusyLockAnswersBusyAtTheDeadlineAndIsGrantedOnceReleased() {
    ExternalId face = ExternalId.of("contended");
    FencedLock holder = granted(locks.acquire(tenant, face, Duration.ZERO));
    LockAttempt waited = locks.acquire(tenant, face, Duration.ofMillis(200));
    LockAttempt.Busy busy = assertInstanceOf(LockAttempt.Busy.class, waited);
    assertTrue(busy.waited().compareTo(Duration.ofMillis(200)) >= 0, "waited " + busy.waited());
    holder.release();
    try (FencedLock next = granted(locks.acquire(tenant, face, Duration.ZERO))) {
      assertTrue(next.fence() > holder.fence());
    }
  }

  @Test
  void aWaiterIsGrantedTheLockWhenTheHolderReleasesBeforeTheDeadline() throws Exception {
    ExternalId face = ExternalId.of("handed-over");
    FencedLock holder = granted(locks.acquire(tenant, face, Duration.ZERO));
    ExecutorService waiter = Executors.newSingleThreadExecutor();
    try {
      AtomicReference<Thread> waiting = new AtomicReference<>();
      Future<LockAttempt> attempt =
          waiter.submit(
              () -> {
                waiting.set(Thread.currentThread());
                return locks.acquire(tenant, face, Duration.ofSeconds(10));
              });
      // Refused at least once and waiting to try again: only then is the lock handed over.
      await().atMost(Duration.ofSeconds(2)).until(() -> pausingToRetry(waiting.get()));
      holder.release();
      try (FencedLock next = granted(attempt.get())) {
        assertTrue(next.fence() > holder.fence());
      }
    } finally {
      waiter.shutdownNow();
    }
  }

  @Test
  void reseedingLiftsTheNextFenceAboveTheStoredOneAndNeverLowersIt() {
    ExternalId face = ExternalId.of("reseeded");
    long first;
    try (FencedLock lock = granted(locks.acquire(tenant, face, Duration.ZERO))) {
      first = lock.fence();
    }
    long stored = first + 1_000_000_000_000L;
    locks.reseed(tenant, face, stored);
    long second;
    try (FencedLock lock = granted(locks.acquire(tenant, face, Duration.ZERO))) {
      second = lock.fence();
      assertEquals(stored + 1, second);
    }
    locks.reseed(tenant, face, first);
    try (FencedLock lock = granted(locks.acquire(tenant, face, Duration.ZERO))) {
      assertEquals(second + 1, lock.fence());
    }
    long fenceTtl = redis.call("pttl", c -> c.pttl(RedisKeys.fence(tenant, face)));
    assertTrue(fenceTtl > 0 && fenceTtl <= LockSettings.DEFAULTS.fenceTtl().toMillis());
  }

  @Test
  void fencesStartAtRedisTimeSoTheyOutrunAnyCounterLost() {
    ExternalId face = ExternalId.of("clocked");
    long before = System.currentTimeMillis() * 1000;
    try (FencedLock lock = granted(locks.acquire(tenant, face, Duration.ZERO))) {
      // Redis runs on this machine: its clock and ours agree to well within a minute.
      assertTrue(Math.abs(lock.fence() - before) < 60_000_000L, "fence " + lock.fence());
    }
  }

  private static FencedLock granted(LockAttempt attempt) {
    return assertInstanceOf(LockAttempt.Granted.class, attempt).lock();
  }

  private String lockValue(ExternalId face) {
    return Args.string(redis.call("get", c -> c.get(RedisKeys.lock(tenant, face))));
  }

  private static long readCounter(RedisConnections connection, String key) {
    byte[] value = connection.call("get", c -> c.get(key));
    return value == null ? 0 : Long.parseLong(Args.string(value));
  }

  private static void writeCounter(RedisConnections connection, String key, long value) {
    String reply =
        connection.call("set", c -> c.set(key, Args.number(value), SetArgs.Builder.px(600_000)));
    assertEquals("OK", reply);
  }

  private static boolean pausingToRetry(Thread thread) {
    return thread != null
        && Arrays.stream(thread.getStackTrace())
            .anyMatch(
                frame ->
                    frame.getClassName().equals(RedisLocks.class.getName())
                        && frame.getMethodName().equals("pause"));
  }
}
