package io.rekko.worker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.TenantId;
import io.rekko.worker.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

abstract class CountersBehaviour extends RedisBehaviour {
  // A day of our own, so that the global ranking of the shared server holds only our tenants.
  private final LocalDate day =
      LocalDate.of(2100, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(300_000));
  private final MutableClock clock = new MutableClock(day.atTime(12, 0).toInstant(ZoneOffset.UTC));
  private UsageCounters counters;

  CountersBehaviour(RedisTarget target) {
    super(target);
  }

  @BeforeAll
  void createCounters() {
    counters = new UsageCounters(redis, registry, clock);
  }

  @Test
  void theFaceCountIsBuiltFromTheLoaderOnAMissAndThenServedFromTheCache() {
    TenantId tenant = uniqueTenant("count");
    AtomicInteger loads = new AtomicInteger();
    LongSupplier store =
        () -> {
          loads.incrementAndGet();
          return 7;
        };
    assertEquals(7, counters.faceCount(tenant, store));
    assertEquals(7, counters.faceCount(tenant, store));
    assertEquals(1, loads.get());
    assertTtlAtMost(RedisKeys.faceCount(tenant), target.settings().ttls().faceCount());
  }

  @Test
  void committedRegistrationsAndDeletesAdjustACachedCount() {
    TenantId tenant = uniqueTenant("count");
    counters.faceCount(tenant, () -> 7);
    assertTrue(counters.countBatch(Map.of(), Map.of(tenant, 2L)).join());
    assertTrue(counters.countBatch(Map.of(), Map.of(tenant, -1L)).join());
    assertEquals(
        8,
        counters.faceCount(
            tenant,
            () -> {
              throw new AssertionError("the count is cached");
            }));
    assertTtlAtMost(RedisKeys.faceCount(tenant), target.settings().ttls().faceCount());
  }

  @Test
  void anAdjustmentNeverBuildsACountFromDeltasAlone() {
    TenantId tenant = uniqueTenant("count");
    assertTrue(counters.countBatch(Map.of(), Map.of(tenant, 1L)).join());
    assertEquals(0L, (long) redis.call("exists", c -> c.exists(RedisKeys.faceCount(tenant))));
    assertEquals(12, counters.faceCount(tenant, () -> 12));
  }

  @Test
  void requestsAreCountedPerTenantPerDayAndRankedAcrossTenants() {
    TenantId busy = uniqueTenant("usage");
    TenantId quiet = uniqueTenant("usage");
    assertTrue(counters.countBatch(Map.of(busy, 2L, quiet, 1L), Map.of()).join());
    assertTrue(counters.countBatch(Map.of(busy, 1L), Map.of()).join());

    assertEquals(3, counters.requestsOn(busy, day));
    assertEquals(0, counters.requestsOn(busy, day.plusDays(1)));
    List<TenantUsage> ranking =
        counters.usageRanking(day, 100).stream()
            .filter(usage -> usage.tenant().equals(busy) || usage.tenant().equals(quiet))
            .toList();
    assertEquals(List.of(new TenantUsage(busy, 3), new TenantUsage(quiet, 1)), ranking);

    Duration daily = target.settings().ttls().dailyCounters();
    assertTtlAtMost(RedisKeys.dailyRequests(busy, day), daily);
    assertTtlAtMost(RedisKeys.globalUsage(day), daily);
  }

  @Test
  void aNewDayStartsNewCounters() {
    TenantId tenant = uniqueTenant("usage");
    MutableClock tomorrow =
        new MutableClock(Instant.from(clock.instant()).plus(Duration.ofDays(1)));
    UsageCounters later = new UsageCounters(redis, registry, tomorrow);
    assertTrue(counters.countBatch(Map.of(tenant, 1L), Map.of()).join());
    assertTrue(later.countBatch(Map.of(tenant, 1L), Map.of()).join());
    assertEquals(1, counters.requestsOn(tenant, day));
    assertEquals(1, counters.requestsOn(tenant, day.plusDays(1)));
  }

  private void assertTtlAtMost(String key, Duration ttl) {
    long remaining = redis.call("pttl", c -> c.pttl(key));
    assertTrue(remaining > 0 && remaining <= ttl.toMillis(), key + " has " + remaining + "ms left");
  }
}
