package io.rekko.worker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.SetArgs;
import io.rekko.schema.CommandType;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantId;
import io.rekko.worker.support.MetricNames;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

abstract class RateLimiterBehaviour extends RedisBehaviour {
  private RateLimiter limiter;

  RateLimiterBehaviour(RedisTarget target) {
    super(target);
  }

  @BeforeAll
  void createLimiter() {
    limiter = new RateLimiter(redis, registry, Clock.systemUTC());
  }

  @Test
  void sixteenConcurrentCallersNeverGetMoreThanTheLimitAdmittedInAnySlidingWindow()
      throws Exception {
    TenantId tenant = uniqueTenant("rate");
    RateLimit limit = new RateLimit(25, 200);
    // Long enough for the window to slide several times.
    Duration runFor = Duration.ofMillis(limit.windowMs()).multipliedBy(4);
    List<RateDecision> decisions =
        callConcurrently(tenant, CommandType.FACE_VERIFY, limit, 16, runFor, 0);

    List<Long> admitted = new ArrayList<>();
    for (RateDecision decision : decisions) {
      assertFalse(decision.failedOpen());
      if (decision.allowed()) {
        admitted.add(micros(decision.decidedAt()));
      }
    }
    Collections.sort(admitted);
    long window = Duration.ofMillis(limit.windowMs()).toNanos() / 1000;
    for (int j = 0, i = 0; j < admitted.size(); j++) {
      while (admitted.get(i) <= admitted.get(j) - window) {
        i++;
      }
      int inWindow = j - i + 1;
      assertTrue(
          inWindow <= limit.limit(),
          inWindow + " admitted in the window ending at " + admitted.get(j) + "us");
    }
    long refused = decisions.size() - admitted.size();
    assertTrue(refused > 0, "the limit was never reached; the test proves nothing");
    long spanMicros = admitted.getLast() - admitted.getFirst();
    assertTrue(
        admitted.size() >= 3 * limit.limit() && spanMicros >= 2 * window,
        "the limiter should admit again each time the window slides: "
            + admitted.size()
            + " admitted over "
            + spanMicros
            + "us");
  }

  @Test
  void aRefusedCallerIsAdmittedAgainOnceTheOldestCommandHasLeftTheWindow() {
    TenantId tenant = uniqueTenant("rate");
    RateLimit limit = new RateLimit(3, 300);
    RateDecision first =
        limiter.tryAcquire(tenant, CommandType.FACE_REGISTER, limit, UUID.randomUUID());
    assertTrue(first.allowed());
    assertEquals(2, first.remaining());
    assertEquals(
        1,
        limiter
            .tryAcquire(tenant, CommandType.FACE_REGISTER, limit, UUID.randomUUID())
            .remaining());
    assertEquals(
        0,
        limiter
            .tryAcquire(tenant, CommandType.FACE_REGISTER, limit, UUID.randomUUID())
            .remaining());

    RateDecision refused =
        limiter.tryAcquire(tenant, CommandType.FACE_REGISTER, limit, UUID.randomUUID());
    assertFalse(refused.allowed());
    assertTrue(refused.retryAfter().compareTo(Duration.ZERO) > 0);
    assertTrue(
        refused.retryAfter().compareTo(Duration.ofMillis(limit.windowMs())) <= 0,
        refused.retryAfter().toString());
    Instant expectedFree = first.decidedAt().plus(Duration.ofMillis(limit.windowMs()));
    assertEquals(expectedFree, refused.decidedAt().plus(refused.retryAfter()));

    AtomicReference<RateDecision> again = new AtomicReference<>();
    await()
        .pollInterval(Duration.ofMillis(20))
        .atMost(Duration.ofSeconds(3))
        .until(
            () -> {
              again.set(
                  limiter.tryAcquire(tenant, CommandType.FACE_REGISTER, limit, UUID.randomUUID()));
              return again.get().allowed();
            });
    assertTrue(
        !again.get().decidedAt().isBefore(expectedFree),
        "admitted at " + again.get().decidedAt() + " before the window slid at " + expectedFree);
  }

  @Test
  void aCommandAskedAgainWhileItsEntryIsInTheWindowIsAdmittedWithoutSpendingASecondToken() {
    TenantId tenant = uniqueTenant("rate");
    RateLimit limit = new RateLimit(2, 60_000);
    UUID retried = UUID.randomUUID();

    RateDecision first = limiter.tryAcquire(tenant, CommandType.FACE_REGISTER, limit, retried);
    RateDecision again = limiter.tryAcquire(tenant, CommandType.FACE_REGISTER, limit, retried);
    RateDecision other =
        limiter.tryAcquire(tenant, CommandType.FACE_REGISTER, limit, UUID.randomUUID());
    RateDecision retriedOnceFull =
        limiter.tryAcquire(tenant, CommandType.FACE_REGISTER, limit, retried);
    RateDecision third =
        limiter.tryAcquire(tenant, CommandType.FACE_REGISTER, limit, UUID.randomUUID());

    assertTrue(first.allowed() && again.allowed() && other.allowed());
    assertEquals(1, again.remaining(), "the retry spent nothing");
    assertTrue(retriedOnceFull.allowed(), "a retry is admitted even once the window is full");
    assertFalse(third.allowed(), "two commands, two tokens: the third is refused");
    assertEquals(
        2L,
        (long) redis.call("zcard", c -> c.zcard(RedisKeys.rateWindow(tenant, "face.register"))));
  }

  /**
   * Something else wrote the window's key: Redis is up and refuses the call with WRONGTYPE until an
   * operator acts. The limiter still fails open, but the refusal is a fault (counted by reason,
   * reported in readiness), not an outage.
   */
  @Test
  void aKeyHoldingAnotherTypeIsReportedAsAFaultNotAnOutage() {
    TenantId tenant = uniqueTenant("rate");
    String key = RedisKeys.rateWindow(tenant, "face.verify");
    redis.call(
        "set",
        c ->
            c.set(
                key, "not a sorted set".getBytes(StandardCharsets.UTF_8), SetArgs.Builder.ex(60)));
    redis.registerMetrics(registry);

    RateDecision decision =
        limiter.tryAcquire(
            tenant, CommandType.FACE_VERIFY, new RateLimit(5, 60_000), UUID.randomUUID());

    assertTrue(decision.failedOpen());
    assertTrue(
        registry
                .get(MetricNames.REDIS_REFUSALS.name())
                .tag("reason", "wrong_type")
                .functionCounter()
                .count()
            >= 1);
    String detail = redis.faultDetail().orElseThrow();
    assertTrue(detail.contains("wrong type"), detail);
    redis.call("del", c -> c.del(key));
  }

  @Test
  void everyAdmittedCommandHoldsItsOwnEntryEvenWithinOneMicrosecond() throws Exception {
    TenantId tenant = uniqueTenant("rate");
    RateLimit limit = new RateLimit(100_000, 60_000);
    List<RateDecision> decisions =
        callConcurrently(tenant, CommandType.FACE_VERIFY, limit, 16, Duration.ofMinutes(1), 50);
    assertTrue(decisions.stream().allMatch(RateDecision::allowed));
    long entries = redis.call("zcard", c -> c.zcard(RedisKeys.rateWindow(tenant, "face.verify")));
    assertEquals(decisions.size(), entries);
    RateDecision next =
        limiter.tryAcquire(tenant, CommandType.FACE_VERIFY, limit, UUID.randomUUID());
    assertEquals(limit.limit() - decisions.size() - 1, next.remaining());
  }

  @Test
  void limitsAreKeptPerTenantAndPerCommandType() {
    TenantId busy = uniqueTenant("rate");
    TenantId quiet = uniqueTenant("rate");
    RateLimit one = new RateLimit(1, 60_000);
    assertTrue(limiter.tryAcquire(busy, CommandType.FACE_VERIFY, one, UUID.randomUUID()).allowed());
    assertFalse(
        limiter.tryAcquire(busy, CommandType.FACE_VERIFY, one, UUID.randomUUID()).allowed());
    assertTrue(
        limiter.tryAcquire(busy, CommandType.FACE_REGISTER, one, UUID.randomUUID()).allowed());
    assertTrue(
        limiter.tryAcquire(quiet, CommandType.FACE_VERIFY, one, UUID.randomUUID()).allowed());
  }

  @Test
  void theWindowKeyExpiresOneWindowAfterTheLastAdmission() {
    TenantId tenant = uniqueTenant("rate");
    limiter.tryAcquire(tenant, CommandType.FACE_VERIFY, new RateLimit(5, 7_000), UUID.randomUUID());
    long ttl = redis.call("pttl", c -> c.pttl(RedisKeys.rateWindow(tenant, "face.verify")));
    assertTrue(ttl > 6_000 && ttl <= 7_000, "ttl " + ttl);
  }

  /** Runs {@code callers} threads, each calling for {@code runFor} or {@code maxCalls} (if > 0). */
  private List<RateDecision> callConcurrently(
      TenantId tenant,
      CommandType type,
      RateLimit limit,
      int callers,
      Duration runFor,
      int maxCalls)
      throws Exception {
    ConcurrentLinkedQueue<RateDecision> decisions = new ConcurrentLinkedQueue<>();
    CyclicBarrier start = new CyclicBarrier(callers);
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  long end = System.nanoTime() + runFor.toNanos();
                  for (int i = 0; (maxCalls == 0 || i < maxCalls) && System.nanoTime() < end; i++) {
                    decisions.add(limiter.tryAcquire(tenant, type, limit, UUID.randomUUID()));
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
    return List.copyOf(decisions);
  }

  private static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
  }
}
