package io.rekko.worker.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How long each kind of Redis key lives. Every key the worker writes gets one of these in the same
 * command or script that writes it, so nothing in Redis outlives its usefulness and a value that
 * drifts from PostgreSQL (the truth) corrects itself within its TTL.
 *
 * @param face a cached face (embedding, metadata, version) and its tombstone: {@code
 *     redis.ttl.face}
 * @param tenantConfig a cached tenant configuration: {@code redis.ttl.tenant-config}
 * @param apiKey a cached API-key validity: {@code redis.ttl.api-key}
 * @param lock a per-face lock, renewed every third of it while held: {@code redis.ttl.lock}
 * @param dailyCounters per-tenant daily request counts and the global daily usage ranking: {@code
 *     redis.ttl.daily-counters}; at least a day, so today's counters survive until tomorrow
 * @param faceCount the cached face count of a tenant, which bounds its drift: {@code
 *     redis.ttl.face-count}
 * @param fence the per-face fencing counter: {@code redis.ttl.fence}. Its expiry is safe because a
 *     token is never below Redis' clock in microseconds; the counter only orders grants within one
 *     microsecond and keeps a reseeded floor
 */
public record RedisTtls(
    Duration face,
    Duration tenantConfig,
    Duration apiKey,
    Duration lock,
    Duration dailyCounters,
    Duration faceCount,
    Duration fence) {

  /** Below this, a renewal every third of the TTL would race ordinary network latency. */
  static final Duration MIN_LOCK = Duration.ofMillis(100);

  /** The TTLs of DESIGN.md: face 1 h, tenant config 5 min, API key 1 min, lock 30 s, daily 48 h. */
  public static final RedisTtls DEFAULTS =
      new RedisTtls(
          Duration.ofHours(1),
          Duration.ofMinutes(5),
          Duration.ofMinutes(1),
          Duration.ofSeconds(30),
          Duration.ofHours(48),
          Duration.ofMinutes(5),
          Duration.ofHours(1));

  public RedisTtls {
    positive(face, "redis.ttl.face");
    positive(tenantConfig, "redis.ttl.tenant-config");
    positive(apiKey, "redis.ttl.api-key");
    positive(lock, "redis.ttl.lock");
    positive(dailyCounters, "redis.ttl.daily-counters");
    positive(faceCount, "redis.ttl.face-count");
    positive(fence, "redis.ttl.fence");
    if (lock.compareTo(MIN_LOCK) < 0) {
      throw new IllegalArgumentException(
          "redis.ttl.lock must be at least "
              + MIN_LOCK.toMillis()
              + "ms (it is renewed every third of it), was "
              + lock.toMillis()
              + "ms");
    }
    if (dailyCounters.compareTo(Duration.ofDays(1)) < 0) {
      throw new IllegalArgumentException(
          "redis.ttl.daily-counters must be at least 1 day so a day's counters outlive the day,"
              + " was "
              + dailyCounters);
    }
  }

  public RedisTtls withLock(Duration lock) {
    return new RedisTtls(face, tenantConfig, apiKey, lock, dailyCounters, faceCount, fence);
  }

  public RedisTtls withCaches(Duration face, Duration tenantConfig, Duration apiKey) {
    return new RedisTtls(face, tenantConfig, apiKey, lock, dailyCounters, faceCount, fence);
  }

  /** The longest cache TTL: the cache generation key must live at least as long as its entries. */
  Duration longestCache() {
    Duration longest = face;
    for (Duration d : new Duration[] {tenantConfig, apiKey}) {
      if (d.compareTo(longest) > 0) {
        longest = d;
      }
    }
    return longest;
  }

  private static void positive(Duration value, String setting) {
    Objects.requireNonNull(value, setting);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(setting + " must be positive, was " + value);
    }
    if (value.toMillis() < 1) {
      throw new IllegalArgumentException(
          setting + " must be at least 1ms (Redis expiries are in milliseconds), was " + value);
    }
  }
}
