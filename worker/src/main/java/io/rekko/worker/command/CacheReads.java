package io.rekko.worker.command;

import io.rekko.schema.ApiKeyId;
import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.worker.redis.CachedFace;
import io.rekko.worker.redis.CachedTenant;
import io.rekko.worker.redis.RedisCaches;
import io.rekko.worker.store.Store;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The handlers' reads of cached state: through the Redis caches with the store as loader, so a warm
 * cache keeps them off PostgreSQL; straight from the store while the {@link InvalidationWatch} does
 * not trust Redis for the tenant (an invalidation of it may not have reached Redis).
 */
final class CacheReads {
  private final Store store;
  private final RedisCaches caches;
  private final InvalidationWatch watch;

  CacheReads(Store store, RedisCaches caches, InvalidationWatch watch) {
    this.store = Objects.requireNonNull(store, "store");
    this.caches = Objects.requireNonNull(caches, "caches");
    this.watch = Objects.requireNonNull(watch, "watch");
  }

  /** The tenant's settings and status, if the tenant exists. */
  Optional<CachedTenant> tenant(TenantId tenant) {
    Supplier<Optional<CachedTenant>> load = () -> store.tenant(tenant).map(Conversions::toCache);
    return watch.trusts(tenant) ? caches.tenantConfigs().get(tenant, load) : load.get();
  }

  /** False when the key is revoked for the tenant. */
  boolean apiKeyValid(TenantId tenant, ApiKeyId key) {
    BooleanSupplier load = () -> !store.apiKeyRevoked(tenant, key.value());
    return watch.trusts(tenant)
        ? caches.apiKeys().isValid(tenant, key.value(), load)
        : load.getAsBoolean();
  }

  /** The face registered under {@code externalId}, if any. */
  Optional<CachedFace> face(TenantId tenant, ExternalId externalId) {
    Supplier<Optional<CachedFace>> load =
        () -> store.face(tenant, externalId).map(Conversions::toCache);
    return watch.trusts(tenant) ? caches.faces().get(tenant, externalId, load) : load.get();
  }
}
