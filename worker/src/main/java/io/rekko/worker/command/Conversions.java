package io.rekko.worker.command;

import io.rekko.schema.CommandType;
import io.rekko.schema.TenantConfig;
import io.rekko.worker.redis.CachedFace;
import io.rekko.worker.redis.CachedTenant;
import io.rekko.worker.redis.RateLimit;
import io.rekko.worker.store.StoredFace;
import io.rekko.worker.store.StoredTenant;
import io.rekko.worker.store.TenantStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Between the contract's records, the store's and the caches'. The three packages stay ignorant of
 * each other; this is the one place that knows all of their shapes.
 */
final class Conversions {
  private Conversions() {}

  /** A {@code tenant.upsert}'s settings as the store keeps them. */
  static io.rekko.worker.store.TenantConfig toStore(TenantConfig config) {
    Map<String, io.rekko.worker.store.RateLimit> limits = new HashMap<>();
    config
        .rateLimits()
        .forEach(
            (type, limit) ->
                limits.put(
                    type.wireName(),
                    new io.rekko.worker.store.RateLimit(
                        limit.limit(), Duration.ofMillis(limit.windowMs()))));
    return new io.rekko.worker.store.TenantConfig(
        Math.toIntExact(config.maxFaces()),
        limits,
        config.verifyThreshold(),
        config.embeddingDimension(),
        config.minQuality(),
        config.requireLiveness());
  }

  /** A stored tenant as the tenant-config cache keeps it. */
  static CachedTenant toCache(StoredTenant tenant) {
    io.rekko.worker.store.TenantConfig config = tenant.config();
    Map<String, RateLimit> limits = new HashMap<>();
    config
        .rateLimits()
        .forEach((type, limit) -> limits.put(type, new RateLimit(limit.limit(), limit.window())));
    return new CachedTenant(
        tenant.version(),
        tenant.status() == TenantStatus.SUSPENDED,
        config.maxFaces(),
        limits,
        config.verifyThreshold(),
        config.embeddingDimension(),
        config.minQuality(),
        config.requireLiveness());
  }

  /** A stored face as the face cache keeps it. */
  static CachedFace toCache(StoredFace face) {
    return new CachedFace(face.version(), face.embedding(), face.metadata());
  }

  /** The tenant's limit for {@code type}, or null when that type is not limited. */
  static RateLimit rateLimit(CachedTenant tenant, CommandType type) {
    return tenant.rateLimits().get(type.wireName());
  }
}
