package io.rekko.worker.redis;

import io.rekko.schema.TenantId;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Tenant configurations and status, read through to the store and kept for {@link
 * RedisTtls#tenantConfig}; versioned like faces, so an upsert, suspend or resume racing a slow fill
 * never leaves the older configuration cached.
 */
public final class TenantConfigCache {
  private final VersionedCache<CachedTenant> cache;

  TenantConfigCache(VersionedCache<CachedTenant> cache) {
    this.cache = cache;
  }

  /** The tenant, from the cache or else from {@code loader}; empty for an unknown tenant. */
  public Optional<CachedTenant> get(TenantId tenant, Supplier<Optional<CachedTenant>> loader) {
    Objects.requireNonNull(loader, "loader");
    return cache.get(tenant, generation -> RedisKeys.tenantConfig(tenant, generation), loader);
  }

  /**
   * Marks cached configurations older than {@code version} stale; call it after a tenant change at
   * {@code version} committed.
   *
   * @throws RedisUnavailableException when Redis cannot be asked; retry (from the outbox)
   */
  public void invalidate(TenantId tenant, long version) {
    FaceCache.checkVersion(version);
    cache.invalidate(tenant, generation -> RedisKeys.tenantConfig(tenant, generation), version);
  }

  /** The entries, for reads in a generation the caller holds ({@link TenantView}). */
  VersionedCache<CachedTenant> entries() {
    return cache;
  }
}
