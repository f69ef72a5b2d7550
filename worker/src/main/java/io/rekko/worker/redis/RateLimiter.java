package io.rekko.worker.redis;

import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.schema.CommandType;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantId;
import io.rekko.worker.support.MetricNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sliding-window rate limits per (tenant, command type), decided atomically by Redis.
 *
 * <p><b>Algorithm: an exact sliding log.</b> Each tenant and command type has a sorted set of the
 * commands admitted within the last window, scored by Redis' time in microseconds. One script drops
 * the entries that left the window, counts the rest and admits only below the limit. This is the
 * only one of the usual choices that keeps the promise "never more than the limit in any window": a
 * sliding-window counter interpolates between two fixed windows and admits more than the limit when
 * traffic is uneven, and GCRA enforces a rate plus a burst, which lets up to about twice the limit
 * through in one window. The price is memory: about 70 bytes per admitted command still in the
 * window, so a limit of 10,000 per window costs under 1 MB per tenant and type. Refused commands
 * are not logged, so a flood cannot grow the set or keep a tenant locked out.
 *
 * <p>The window slides: its key holds no window number, and an entry leaves exactly one window
 * after it was admitted. Time comes from Redis' {@code TIME} only, so workers with skewed clocks
 * still agree (on a Cluster each key is decided by the clock of the node that owns it). Members are
 * command ids: a command asked about again while its entry is in the window (it was retried after a
 * busy lock or a stale fence, or redelivered) is admitted without spending a second token, and two
 * commands admitted in the same microsecond never overwrite each other. Every admission refreshes
 * the key's TTL to one window.
 *
 * <p><b>Bound:</b> a log never holds more than {@link #MAX_LOG_ENTRIES} entries. The worker refuses
 * a tenant configuration with a higher limit; one stored before that rule is enforced with this
 * many per window, and said so in the log.
 *
 * <p><b>Outage:</b> when Redis cannot be asked the limiter fails open (admits) and counts it in
 * {@link MetricNames#REDIS_LIMITER_FAILED_OPEN}: rate limits protect capacity, and refusing every
 * tenant's commands during a cache outage would be worse than admitting a burst.
 */
public final class RateLimiter {
  static final LuaScript SLIDING_LOG =
      new LuaScript(
          "rate-sliding-log",
          """
          local now = redis.call('TIME')
          local micros = tonumber(now[1]) * 1000000 + tonumber(now[2])
          local limit = tonumber(ARGV[1])
          local window = tonumber(ARGV[2]) * 1000
          redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', micros - window))
          local used = redis.call('ZCARD', KEYS[1])
          if redis.call('ZSCORE', KEYS[1], ARGV[3]) then
            return {1, math.max(limit - used, 0), 0, micros}
          end
          if used < limit then
            redis.call('ZADD', KEYS[1], string.format('%.0f', micros), ARGV[3])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return {1, limit - used - 1, 0, micros}
          end
          local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
          local wait = window
          if oldest[2] then
            wait = tonumber(oldest[2]) + window - micros
          end
          return {0, 0, wait, micros}
          """);

  /** The most entries a log holds: about 7 MB of Redis memory per tenant and command type. */
  public static final long MAX_LOG_ENTRIES = 100_000;

  private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

  private final RedisConnections redis;
  private final Clock clock;
  private final Set<String> capped = ConcurrentHashMap.newKeySet();
  private final FailureReporter failures;
  private final Counter failedOpen;

  public RateLimiter(RedisConnections redis, MeterRegistry registry, Clock clock) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.failures = new FailureReporter("limiter", "admitting every command (fail open)", registry);
    this.failedOpen = MetricNames.REDIS_LIMITER_FAILED_OPEN.counter(registry);
  }

  /**
   * Admits or refuses command {@code commandId} of {@code commandType} for {@code tenant} under
   * {@code limit}; admits it again, spending nothing, while its first admission is in the window.
   */
  public RateDecision tryAcquire(
      TenantId tenant, CommandType commandType, RateLimit limit, UUID commandId) {
    String key = RedisKeys.rateWindow(tenant, commandType.wireName());
    Objects.requireNonNull(limit, "limit");
    String member = commandId.toString();
    long admitted = admittedPerWindow(tenant, commandType, limit);
    List<Object> reply;
    try {
      reply =
          redis.call(
              "rate limit",
              commands ->
                  SLIDING_LOG.run(
                      commands,
                      ScriptOutputType.MULTI,
                      new String[] {key},
                      Args.number(admitted),
                      Args.number(limit.windowMs()),
                      Args.text(member)));
      failures.succeeded();
    } catch (RedisUnavailableException e) {
      failures.failed(e);
      failedOpen.increment();
      return RateDecision.failOpen(clock.instant());
    }
    long micros = Args.longAt(reply, 3);
    return new RateDecision(
        Args.longAt(reply, 0) == 1L,
        Args.longAt(reply, 1),
        Duration.ofNanos(Math.max(0, Args.longAt(reply, 2)) * 1000),
        Instant.EPOCH.plusNanos(micros * 1000),
        false);
  }

  /** {@code limit}'s own, up to {@link #MAX_LOG_ENTRIES}. */
  private long admittedPerWindow(TenantId tenant, CommandType commandType, RateLimit limit) {
    if (limit.limit() <= MAX_LOG_ENTRIES) {
      return limit.limit();
    }
    if (capped.add(tenant.value() + " " + commandType.wireName())) {
      log.warn(
          "tenant {} has a {} rate limit of {} per window, more than the limiter keeps a log of;"
              + " enforcing {} per window (upsert the tenant with a lower limit)",
          tenant,
          commandType.wireName(),
          limit.limit(),
          MAX_LOG_ENTRIES);
    }
    return MAX_LOG_ENTRIES;
  }
}
