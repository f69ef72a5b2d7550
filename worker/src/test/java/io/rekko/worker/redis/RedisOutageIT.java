package io.rekko.worker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rekko.schema.CommandType;
import io.rekko.schema.ExternalId;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantId;
import io.rekko.testkit.DisposableRedis;
import io.rekko.worker.support.MetricNames;
import io.rekko.worker.support.Retriable;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every block with Redis stopped mid-test: each takes its documented fallback while Redis is down
 * and works again once Redis is back, empty.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisOutageIT {
  private static final Duration RECOVERY = Duration.ofSeconds(15);

  private final DisposableRedis server = DisposableRedis.start();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TenantId tenant = RedisBehaviour.uniqueTenant("outage");
  private RedisSettings settings;
  private RedisConnections redis;
  private RedisCaches caches;
  private RateLimiter limiter;
  private RedisLocks locks;
  private EventPublisher publisher;
  private UsageCounters counters;

  @BeforeAll
  void connect() {
    settings =
        new RedisSettings(
            RedisServers.standalone(server.uri()),
            RedisCredentials.NONE,
            new RedisTimeouts(Duration.ofMillis(500), Duration.ofMillis(500)),
            RedisTtls.DEFAULTS,
            new LockSettings(
                Duration.ofSeconds(1),
                LockSettings.DEFAULTS.fenceTtl(),
                LockSettings.DEFAULTS.retry()));
    redis = RedisConnections.open(settings, Clock.systemUTC());
    caches = new RedisCaches(redis, registry);
    limiter = new RateLimiter(redis, registry, Clock.systemUTC());
    locks = new RedisLocks(redis, registry, Clock.systemUTC());
    publisher = new EventPublisher(redis, registry);
    counters = new UsageCounters(redis, registry, Clock.systemUTC());
  }

  @BeforeEach
  void redisIsUp() {
    if (!server.isRunning()) {
      server.restart();
    }
    await().atMost(RECOVERY).until(redis::ping);
  }

  @AfterAll
  void closeAndGuardTheKeyspace() {
    try {
      locks.close();
      redis.close();
      if (!server.isRunning()) {
        server.restart();
      }
      KeyspaceAssertions.assertEveryKeyHasTtl(List.of(server.uri()));
    } finally {
      server.close();
    }
  }

  @Test
  void cacheReadsGoToTheLoaderWhileRedisIsDownAndAreCachedAgainAfterwards() {
    ExternalId face = ExternalId.of("ada");
    caches.faces().get(tenant, face, () -> Optional.of(face(1)));
    server.stop();
    double unavailableBefore = faceLookupsUnavailable();

    AtomicInteger loads = new AtomicInteger();
    assertEquals(Optional.of(face(1)), caches.faces().get(tenant, face, counting(loads)));
    assertEquals(1, loads.get());
    assertEquals(unavailableBefore + 1, faceLookupsUnavailable(), "counted as unavailable");

    server.restart();
    await()
        .atMost(RECOVERY)
        .until(
            () -> {
              caches.faces().get(tenant, face, counting(loads));
              int before = loads.get();
              caches.faces().get(tenant, face, counting(loads));
              return loads.get() == before;
            });
  }

  @Test
  void theLimiterFailsOpenWhileRedisIsDownCountsItAndLimitsAgainAfterwards() {
    RateLimit one = new RateLimit(1, 60_000);
    server.stop();
    double failedOpenBefore = count(MetricNames.REDIS_LIMITER_FAILED_OPEN.name(), null, null);
    for (int i = 0; i < 3; i++) {
      RateDecision decision =
          limiter.tryAcquire(tenant, CommandType.FACE_VERIFY, one, UUID.randomUUID());
      assertTrue(decision.allowed() && decision.failedOpen(), decision.toString());
    }
    assertEquals(
        failedOpenBefore + 3, count(MetricNames.REDIS_LIMITER_FAILED_OPEN.name(), null, null));
    assertTrue(count(MetricNames.REDIS_FAILURES.name(), "block", "limiter") >= 3);

    server.restart();
    await()
        .atMost(RECOVERY)
        .until(
            () ->
                !limiter
                    .tryAcquire(tenant, CommandType.FACE_VERIFY, one, UUID.randomUUID())
                    .failedOpen());
    assertFalse(
        limiter.tryAcquire(tenant, CommandType.FACE_VERIFY, one, UUID.randomUUID()).allowed());
  }

  @Test
  void lockRequestsAnswerUnavailableWhileRedisIsDownSoTheCallerTakesThePostgresLock() {
    ExternalId face = ExternalId.of("locked-in-outage");
    server.stop();
    LockAttempt attempt = locks.acquire(tenant, face, Duration.ofSeconds(5));
    assertInstanceOf(LockAttempt.Unavailable.class, attempt);

    server.restart();
    await()
        .atMost(RECOVERY)
        .until(
            () ->
                locks.acquire(tenant, face, Duration.ZERO) instanceof LockAttempt.Granted g
                    && g.lock().release());
  }

  @Test
  void publishingReportsFailureWhileRedisIsDownSoTheCallerWritesTheOutbox() {
    server.stop();
    assertInstanceOf(
        PublishResult.Failed.class,
        publisher.publish(tenant, "{}".getBytes(StandardCharsets.UTF_8)));

    server.restart();
    await()
        .atMost(RECOVERY)
        .until(
            () ->
                publisher.publish(tenant, "{}".getBytes(StandardCharsets.UTF_8))
                    instanceof PublishResult.Published);
  }

  @Test
  void invalidationsThrowARetriableFailureWhileRedisIsDownAndSucceedAfterwards() {
    ExternalId face = ExternalId.of("deleted-in-outage");
    server.stop();
    RedisUnavailableException e =
        assertThrows(
            RedisUnavailableException.class, () -> caches.faces().invalidate(tenant, face, 2));
    assertTrue(Retriable.isRetriable(e));
    assertThrows(RedisUnavailableException.class, () -> caches.invalidateTenant(tenant));
    assertThrows(
        RedisUnavailableException.class, () -> caches.apiKeys().markRevoked(tenant, "key-1"));
    assertThrows(
        RedisUnavailableException.class, () -> caches.tenantConfigs().invalidate(tenant, 2));

    server.restart();
    await()
        .atMost(RECOVERY)
        .ignoreException(RedisUnavailableException.class)
        .until(
            () -> {
              caches.faces().invalidate(tenant, face, 2);
              return true;
            });
  }

  @Test
  void countersFallBackToTheLoaderOrSkipWhileRedisIsDown() {
    server.stop();
    assertEquals(5, counters.faceCount(tenant, () -> 5));
    assertFalse(counters.countBatch(Map.of(tenant, 1L), Map.of()).join());
    assertThrows(
        RedisUnavailableException.class,
        () -> counters.requestsOn(tenant, LocalDate.now(Clock.systemUTC())));

    server.restart();
    await().atMost(RECOVERY).until(() -> counters.countBatch(Map.of(tenant, 1L), Map.of()).join());
  }

  @Test
  void afterARestartWithAnEmptyRedisFencesStillExceedEveryEarlierFence() {
    ExternalId face = ExternalId.of("fenced");
    long highest = 0;
    for (int i = 0; i < 50; i++) {
      try (FencedLock lock = granted(locks.acquire(tenant, face, Duration.ZERO))) {
        assertTrue(lock.fence() > highest);
        highest = lock.fence();
      }
    }
    server.restart();
    long earlier = highest;
    AtomicLong afterRestart = new AtomicLong();
    await()
        .atMost(RECOVERY)
        .until(
            () -> {
              if (locks.acquire(tenant, face, Duration.ZERO) instanceof LockAttempt.Granted g) {
                try (FencedLock lock = g.lock()) {
                  afterRestart.set(lock.fence());
                }
                return true;
              }
              return false;
            });
    assertTrue(afterRestart.get() > earlier, afterRestart.get() + " does not exceed " + earlier);
  }

  @Test
  void aStoredFenceAboveRedisTimeIsOvertakenByReseedingAfterARestart() {
    ExternalId face = ExternalId.of("reseeded-after-wipe");
    long stored;
    try (FencedLock lock = granted(locks.acquire(tenant, face, Duration.ZERO))) {
      stored = lock.fence() + 3_600_000_000L;
    }
    locks.reseed(tenant, face, stored);
    server.restart();
    await().atMost(RECOVERY).until(redis::ping);
    // The store would refuse this grant's fence (Redis forgot the counter) and report its own.
    try (FencedLock lock = granted(locks.acquire(tenant, face, Duration.ofSeconds(5)))) {
      assertTrue(lock.fence() < stored);
    }
    locks.reseed(tenant, face, stored);
    try (FencedLock lock = granted(locks.acquire(tenant, face, Duration.ofSeconds(5)))) {
      assertEquals(stored + 1, lock.fence());
    }
  }

  @Test
  void aLockHeldThroughAnOutageIsFoundLostAndIsNeverRenewedAgain() {
    ExternalId face = ExternalId.of("held-through-outage");
    FencedLock lock = granted(locks.acquire(tenant, face, Duration.ZERO));
    server.stop();
    await().atMost(RECOVERY).until(() -> !lock.isHeld());
    server.restart();
    await().atMost(RECOVERY).until(redis::ping);
    try (FencedLock successor = granted(locks.acquire(tenant, face, Duration.ofSeconds(5)))) {
      assertTrue(successor.fence() > lock.fence());
      long sent = lock.renewalsSent();
      await()
          .during(settings.locks().ttl())
          .atMost(settings.locks().ttl().multipliedBy(3))
          .until(() -> lock.renewalsSent() == sent);
      assertFalse(lock.release());
      assertEquals(
          successor.token(),
          Args.string(redis.call("get", c -> c.get(RedisKeys.lock(tenant, face)))));
    }
  }

  @Test
  void aWorkerStartedWhileRedisIsDownConnectsOnceRedisIsUp() {
    server.stop();
    try (RedisConnections late = RedisConnections.open(settings, Clock.systemUTC());
        RedisLocks lateLocks = new RedisLocks(late, registry, Clock.systemUTC())) {
      assertFalse(late.ping());
      assertInstanceOf(
          LockAttempt.Unavailable.class,
          lateLocks.acquire(tenant, ExternalId.of("late"), Duration.ZERO));

      server.restart();
      await().atMost(RECOVERY).until(late::ping);
      try (FencedLock lock =
          granted(lateLocks.acquire(tenant, ExternalId.of("late"), Duration.ZERO))) {
        assertTrue(lock.isHeld());
      }
    }
  }

  private double faceLookupsUnavailable() {
    return registry
        .find(MetricNames.REDIS_CACHE_LOOKUPS.name())
        .tags("cache", "face", "outcome", "unavailable")
        .counters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private double count(String name, String tagKey, String tagValue) {
    var search = registry.find(name);
    if (tagKey != null) {
      search = search.tag(tagKey, tagValue);
    }
    return search.counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private static java.util.function.Supplier<Optional<CachedFace>> counting(AtomicInteger loads) {
    return () -> {
      loads.incrementAndGet();
      return Optional.of(face(1));
    };
  }

  private static CachedFace face(long version) {
    return new CachedFace(version, new byte[] {1, 5, 25}, Map.of());
  }

  private static FencedLock granted(LockAttempt attempt) {
    return assertInstanceOf(LockAttempt.Granted.class, attempt).lock();
  }
}
