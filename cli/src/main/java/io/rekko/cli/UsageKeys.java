package io.rekko.cli;

import io.rekko.schema.TenantId;
import java.time.LocalDate;

/**
 * The Redis keys of the worker's usage counters, as the worker writes them (its {@code RedisKeys};
 * the CLI does not depend on the worker, and {@code UsageIT} proves these names against a real
 * one):
 *
 * <pre>{@code
 * rekko:<t>:requests:{<t>}:<yyyy-mm-dd>   the tenant's request count that day (a string integer)
 * rekko:global:usage:<yyyy-mm-dd>         that day's ranking of tenants by requests (a sorted set)
 * rekko:<t>:face-count:{<t>}              the tenant's cached face count (a string integer)
 * }</pre>
 *
 * Days are UTC dates. All are caches that expire (daily counters after {@code
 * redis.ttl.daily-counters}, 48 h by default; the face count after {@code redis.ttl.face-count}, 5
 * min, and only there once something asked the worker for it).
 */
final class UsageKeys {
  private UsageKeys() {}

  static String dailyRequests(TenantId tenant, LocalDate day) {
    return tenantKey(tenant, "requests") + ":" + day;
  }

  static String globalUsage(LocalDate day) {
    return "rekko:global:usage:" + day;
  }

  static String faceCount(TenantId tenant) {
    return tenantKey(tenant, "face-count");
  }

  private static String tenantKey(TenantId tenant, String resource) {
    return "rekko:" + tenant.value() + ":" + resource + ":{" + tenant.value() + "}";
  }
}
