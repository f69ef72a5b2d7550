package io.rekko.worker.redis;

import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.schema.TenantId;
import io.rekko.worker.support.MetricNames;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;

/**
 * Counters kept in Redis for reporting, none of them a source of truth.
 *
 * <ul>
 *   <li><b>Face count</b> per tenant: a cached copy of the store's count, filled from a loader on a
 *       miss, nudged by {@link #adjustFaceCount} after commits, and expiring after {@code
 *       redis.ttl.face-count}, which bounds any drift (an adjustment lost to an outage or a race
 *       with a fill). Never a gate: the quota is decided in the store's transaction.
 *   <li><b>Daily requests</b> per tenant, and the day's <b>usage ranking</b> of tenants (the one
 *       global key family, {@code rekko:global:usage:<day>}); both kept for {@code
 *       redis.ttl.daily-counters}. Days are UTC dates of the worker's clock: a few milliseconds of
 *       skew between workers only moves a request across midnight.
 * </ul>
 *
 * <p><b>Outage:</b> the face count falls back to the loader; a request that cannot be counted is
 * reported (empty result, {@link MetricNames#REDIS_FAILURES}) and not retried, since counts are for
 * reporting. Reads of past counts throw {@link RedisUnavailableException}.
 */
public final class UsageCounters {
  static final LuaScript ADJUST_IF_CACHED =
      new LuaScript(
          "face-count-adjust",
          """
          local ttl = redis.call('PTTL', KEYS[1])
          if ttl == -2 then
            return false
          end
          local count = redis.call('INCRBY', KEYS[1], ARGV[1])
          if ttl == -1 then
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
          end
          return count
          """);

  static final LuaScript INCREMENT =
      new LuaScript(
          "daily-increment",
          """
          local count = redis.call('INCR', KEYS[1])
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          return count
          """);

  static final LuaScript RANK =
      new LuaScript(
          "usage-rank",
          """
          local score = redis.call('ZINCRBY', KEYS[1], 1, ARGV[1])
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return score
          """);

  private final RedisConnections redis;
  private final Clock clock;
  private final Duration faceCountTtl;
  private final Duration dailyTtl;
  private final FailureReporter failures;
  private final Counter hits;
  private final Counter misses;
  private final Counter unavailable;

  public UsageCounters(RedisConnections redis, MeterRegistry registry, Clock clock) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.faceCountTtl = redis.settings().ttls().faceCount();
    this.dailyTtl = redis.settings().ttls().dailyCounters();
    this.failures =
        new FailureReporter(
            "counters", "face counts from the store, request counts skipped", registry);
    this.hits = lookups(registry, "hit");
    this.misses = lookups(registry, "miss");
    this.unavailable = lookups(registry, "unavailable");
  }

  /** The tenant's face count, cached, else from {@code loader} (and then cached). */
  public long faceCount(TenantId tenant, LongSupplier loader) {
    String key = RedisKeys.faceCount(tenant);
    try {
      byte[] cached = redis.call("read face count", commands -> commands.get(key));
      failures.succeeded();
      if (cached != null) {
        hits.increment();
        return Long.parseLong(Args.string(cached));
      }
    } catch (RedisUnavailableException e) {
      failures.failed(e);
      unavailable.increment();
      return loader.getAsLong();
    }
    misses.increment();
    long count = loader.getAsLong();
    try {
      redis.call(
          "fill face count",
          commands -> commands.set(key, Args.number(count), SetArgs.Builder.nx().px(faceCountTtl)));
    } catch (RedisUnavailableException e) {
      failures.failed(e);
    }
    return count;
  }

  /**
   * Adds {@code delta} to the cached face count, if one is cached (a count is never built from
   * deltas alone). Best effort: a failure is counted, and the TTL bounds the drift.
   */
  public void adjustFaceCount(TenantId tenant, long delta) {
    try {
      redis.call(
          "adjust face count",
          commands ->
              ADJUST_IF_CACHED.<Long>run(
                  commands,
                  ScriptOutputType.INTEGER,
                  new String[] {RedisKeys.faceCount(tenant)},
                  Args.number(delta),
                  Args.millis(faceCountTtl)));
      failures.succeeded();
    } catch (RedisUnavailableException e) {
      failures.failed(e);
    }
  }

  /**
   * Counts one request of the tenant today and in today's usage ranking. Returns the tenant's count
   * for today, or empty when Redis could not be asked (the request then goes uncounted).
   */
  public OptionalLong countRequest(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    LocalDate today = today();
    CompletableFuture<Long> daily =
        redis.callAsync(
            "count request",
            commands ->
                INCREMENT.runAsync(
                    commands,
                    ScriptOutputType.INTEGER,
                    new String[] {RedisKeys.dailyRequests(tenant, today)},
                    Args.millis(dailyTtl)));
    CompletableFuture<Object> ranking =
        redis.callAsync(
            "rank usage",
            commands ->
                RANK.runAsync(
                    commands,
                    ScriptOutputType.VALUE,
                    new String[] {RedisKeys.globalUsage(today)},
                    Args.text(tenant.value()),
                    Args.millis(dailyTtl)));
    try {
      CompletableFuture.allOf(daily, ranking).join();
      failures.succeeded();
      return OptionalLong.of(daily.join());
    } catch (CompletionException e) {
      if (e.getCause() instanceof RedisUnavailableException unavailableRedis) {
        failures.failed(unavailableRedis);
        return OptionalLong.empty();
      }
      throw e;
    }
  }

  /**
   * The tenant's request count on {@code day} (zero when none was counted).
   *
   * @throws RedisUnavailableException when Redis cannot be asked
   */
  public long requestsOn(TenantId tenant, LocalDate day) {
    byte[] count =
        redis.call("read requests", commands -> commands.get(RedisKeys.dailyRequests(tenant, day)));
    return count == null ? 0 : Long.parseLong(Args.string(count));
  }

  /**
   * The {@code top} tenants by requests on {@code day}, most first.
   *
   * @throws RedisUnavailableException when Redis cannot be asked
   */
  public List<TenantUsage> usageRanking(LocalDate day, int top) {
    if (top < 1) {
      throw new IllegalArgumentException("top must be at least 1, was " + top);
    }
    List<ScoredValue<byte[]>> ranked =
        redis.call(
            "read usage ranking",
            commands -> commands.zrevrangeWithScores(RedisKeys.globalUsage(day), 0, top - 1));
    List<TenantUsage> usage = new ArrayList<>(ranked.size());
    for (ScoredValue<byte[]> entry : ranked) {
      String tenant = Args.string(entry.getValue());
      if (TenantId.isValid(tenant)) {
        usage.add(new TenantUsage(TenantId.of(tenant), (long) entry.getScore()));
      }
    }
    return List.copyOf(usage);
  }

  LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  private static Counter lookups(MeterRegistry registry, String outcome) {
    return MetricNames.REDIS_CACHE_LOOKUPS.counter(
        registry, "cache", "face_count", "outcome", outcome);
  }
}
