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
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counters kept in Redis for reporting, none of them a source of truth.
 *
 * <ul>
 *   <li><b>Face count</b> per tenant: a cached copy of the store's count, filled from a loader on a
 *       miss, nudged by {@link #countBatch} after commits, and expiring after {@link
 *       RedisTtls#faceCount}, which bounds any drift (an adjustment lost to an outage or a race
 *       with a fill). Never a gate: the quota is decided in the store's transaction.
 *   <li><b>Daily requests</b> per tenant, and the day's <b>usage ranking</b> of tenants (the one
 *       global key family, {@code rekko:global:usage:<day>}); both kept for {@link
 *       RedisTtls#dailyCounters}. Days are UTC dates of the worker's clock: a few milliseconds of
 *       skew between workers only moves a request across midnight.
 * </ul>
 *
 * <p><b>Outage:</b> the face count falls back to the loader; a request that cannot be counted is
 * reported (empty result, {@link MetricNames#REDIS_FAILURES}) and not retried, since counts are for
 * reporting. Reads of past counts throw {@link RedisUnavailableException}.
 */
public final class UsageCounters {
  private static final Logger log = LoggerFactory.getLogger(UsageCounters.class);

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
          local count = redis.call('INCRBY', KEYS[1], ARGV[2])
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          return count
          """);

  /** ARGV: the TTL, then (increment, member) pairs: a whole batch's tenants in one call. */
  static final LuaScript RANK =
      new LuaScript(
          "usage-rank",
          """
          for i = 2, #ARGV, 2 do
            redis.call('ZINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
          end
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          return #ARGV
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
   * Counts a batch's requests per tenant (today's count and today's usage ranking) and adds each
   * tenant's change to its cached face count, if one is cached (a count is never built from deltas
   * alone; the TTL bounds any drift). Sent without waiting: one call per tenant and one for the
   * ranking, whatever the batch's size. The stage completes with true once Redis took every count,
   * with false when it could not be asked (the counts are then lost, and the failure reported):
   * counts are for reporting, so nothing waits for them or retries them.
   */
  public CompletableFuture<Boolean> countBatch(
      Map<TenantId, Long> requests, Map<TenantId, Long> faceCountChanges) {
    LocalDate today = today();
    List<CompletableFuture<?>> sent = new ArrayList<>();
    List<byte[]> ranking = new ArrayList<>();
    ranking.add(Args.millis(dailyTtl));
    requests.forEach(
        (tenant, count) -> {
          sent.add(
              redis.callAsync(
                  "count requests",
                  commands ->
                      INCREMENT.runAsync(
                          commands,
                          ScriptOutputType.INTEGER,
                          new String[] {RedisKeys.dailyRequests(tenant, today)},
                          Args.millis(dailyTtl),
                          Args.number(count))));
          ranking.add(Args.number(count));
          ranking.add(Args.text(tenant.value()));
        });
    if (!requests.isEmpty()) {
      sent.add(
          redis.callAsync(
              "rank usage",
              commands ->
                  RANK.runAsync(
                      commands,
                      ScriptOutputType.INTEGER,
                      new String[] {RedisKeys.globalUsage(today)},
                      ranking.toArray(byte[][]::new))));
    }
    faceCountChanges.forEach(
        (tenant, delta) -> {
          if (delta != 0) {
            sent.add(
                redis.callAsync(
                    "adjust face count",
                    commands ->
                        ADJUST_IF_CACHED.runAsync(
                            commands,
                            ScriptOutputType.INTEGER,
                            new String[] {RedisKeys.faceCount(tenant)},
                            Args.number(delta),
                            Args.millis(faceCountTtl))));
          }
        });
    return CompletableFuture.allOf(sent.toArray(CompletableFuture<?>[]::new))
        .handle(
            (done, failure) -> {
              if (failure == null) {
                failures.succeeded();
                return true;
              }
              Throwable cause =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              if (cause instanceof RedisUnavailableException unavailableRedis) {
                failures.failed(unavailableRedis);
              } else {
                log.warn("counting a batch failed unexpectedly", cause);
              }
              return false;
            });
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
