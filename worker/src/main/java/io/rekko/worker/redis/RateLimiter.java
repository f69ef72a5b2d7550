package io.rekko.worker.redis;

import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.schema.CommandType;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantId;
import io.rekko.worker.support.MetricNames;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

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
 * a per-process random prefix and a sequence number, so two commands admitted in the same
 * microsecond never overwrite each other. Every admission refreshes the key's TTL to one window.
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

  private static final String PROCESS_PREFIX = processPrefix();

  private final RedisConnections redis;
  private final Clock clock;
  private final AtomicLong sequence = new AtomicLong();
  private final FailureReporter failures;
  private final Counter failedOpen;

  public RateLimiter(RedisConnections redis, MeterRegistry registry, Clock clock) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.failures = new FailureReporter("limiter", "admitting every command (fail open)", registry);
    this.failedOpen = MetricNames.REDIS_LIMITER_FAILED_OPEN.counter(registry);
  }

  /**
   * Admits or refuses one command of {@code commandType} for {@code tenant} under {@code limit}.
   */
  public RateDecision tryAcquire(TenantId tenant, CommandType commandType, RateLimit limit) {
    String key = RedisKeys.rateWindow(tenant, commandType.wireName());
    Objects.requireNonNull(limit, "limit");
    String member = PROCESS_PREFIX + sequence.incrementAndGet();
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
                      Args.number(limit.limit()),
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

  private static String processPrefix() {
    byte[] random = new byte[8];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random) + "-";
  }
}
