package io.rekko.worker.outbox;

import io.rekko.schema.TenantId;
import io.rekko.worker.redis.RedisCaches;
import io.rekko.worker.redis.RedisUnavailableException;
import io.rekko.worker.store.Invalidation;
import java.util.OptionalLong;

/**
 * Applies the cache invalidation an outbox row names, before its event is published (by the relay)
 * and while it is pending (by the {@link InvalidationWatch}): so it is retried with the event while
 * Redis is down, and a subscriber that reads after the event never reads the state before it from a
 * cache. Every one is idempotent, so applying a row's invalidation twice is harmless.
 *
 * <ul>
 *   <li>a face, or the tenant's settings: the entry is marked stale below the mutation's version (a
 *       slower reader's fill of the older state is refused);
 *   <li>all of the tenant's entries: the tenant's cache generation is replaced, so every worker
 *       stops serving the tenant from its caches at once, without waiting for a TTL;
 *   <li>an API key: cached as revoked.
 * </ul>
 *
 * A row that needs a version and has none (written before the outbox kept versions) invalidates all
 * of the tenant's entries instead.
 */
final class Invalidations {
  private final RedisCaches caches;

  Invalidations(RedisCaches caches) {
    this.caches = caches;
  }

  /**
   * Performs {@code invalidation}, if any, for a mutation at {@code version}.
   *
   * @throws RedisUnavailableException when Redis cannot be asked; try again later
   */
  void apply(TenantId tenant, Invalidation invalidation, OptionalLong version) {
    if (invalidation == null) {
      return;
    }
    switch (invalidation) {
      case Invalidation.Face face when version.isPresent() ->
          caches.faces().invalidate(tenant, face.externalId(), version.getAsLong());
      case Invalidation.TenantSettings settings when version.isPresent() ->
          caches.tenantConfigs().invalidate(tenant, version.getAsLong());
      case Invalidation.ApiKey key -> caches.apiKeys().markRevoked(tenant, key.keyId().value());
      case Invalidation.Face face -> caches.invalidateTenant(tenant);
      case Invalidation.TenantSettings settings -> caches.invalidateTenant(tenant);
      case Invalidation.TenantCaches all -> caches.invalidateTenant(tenant);
    }
  }

  /**
   * Writes the face a registration committed into the face cache, in place of the tombstone its
   * invalidation would leave: a newer entry (a later delete's tombstone) refuses it, and a
   * tombstone at the same version, applied again by the watch, leaves it alone.
   *
   * @throws RedisUnavailableException when Redis cannot be asked; try again later
   */
  void fill(TenantId tenant, FaceFill fill) {
    caches.faces().put(tenant, fill.externalId(), fill.face());
  }
}
