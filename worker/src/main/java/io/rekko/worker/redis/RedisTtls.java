package io.rekko.worker.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How long each kind of cached or counted Redis key lives (locks have {@link LockSettings}). Every
 * key the worker writes gets its TTL in the same command or script that writes it, so nothing in
 * Redis outlives its usefulness and a value that drifts from PostgreSQL (the truth) corrects itself
 * within its TTL.
 *
 * @param face a cached face (embedding, metadata, version) and its tombstone
 * @param tenantConfig a cached tenant configuration
 * @param apiKey a cached API-key validity
 * @param dailyCounters per-tenant daily request counts and the global daily usage ranking; at least
 *     a day, so today's counters survive until tomorrow
 * @param faceCount the cached face count of a tenant, which bounds its drift
 */
public record RedisTtls(
    Duration face,
    Duration tenantConfig,
    Duration apiKey,
    Duration dailyCounters,
    Duration faceCount) {

  /** The TTLs of DESIGN.md: face 1 h, tenant config 5 min, API key 1 min, daily 48 h. */
  public static final RedisTtls DEFAULTS =
      new RedisTtls(
          Duration.ofHours(1),
          Duration.ofMinutes(5),
          Duration.ofMinutes(1),
          Duration.ofHours(48),
          Duration.ofMinutes(5));

  public RedisTtls {
    requireMillis(face, "face");
    requireMillis(tenantConfig, "tenantConfig");
    requireMillis(apiKey, "apiKey");
    requireMillis(dailyCounters, "dailyCounters");
    requireMillis(faceCount, "faceCount");
    if (dailyCounters.compareTo(Duration.ofDays(1)) < 0) {
      throw new IllegalArgumentException(
          "dailyCounters must be at least 1 day so a day's counters outlive the day, was "
              + dailyCounters);
    }
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

  /** Refuses a TTL Redis cannot express: not positive, or below its millisecond resolution. */
  static void requireMillis(Duration value, String ttl) {
    Objects.requireNonNull(value, ttl);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(ttl + " must be positive, was " + value);
    }
    if (value.toMillis() < 1) {
      throw new IllegalArgumentException(
          ttl + " must be at least 1ms (Redis expiries are in milliseconds), was " + value);
    }
  }
}
