package io.rekko.worker.command;

import io.rekko.schema.ApiKeyRevoked;
import io.rekko.schema.Event;
import io.rekko.schema.EventType;
import io.rekko.schema.FaceDeleted;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantResumed;
import io.rekko.schema.TenantSuspended;
import io.rekko.schema.TenantUpdated;
import io.rekko.worker.redis.RedisCaches;
import io.rekko.worker.redis.RedisUnavailableException;

/**
 * The cache invalidations a committed event implies, performed by the outbox relay before it
 * publishes the event: so they are retried with the event while Redis is down, and a subscriber
 * that reads after the event never reads the state before it from a cache.
 *
 * <ul>
 *   <li>{@code face.registered} and {@code face.deleted}: the face's entry is marked stale below
 *       the mutation's version (a slower reader's fill of the older face is refused);
 *   <li>{@code tenant.updated} and {@code tenant.resumed}: the tenant's configuration likewise;
 *   <li>{@code tenant.suspended}: the tenant's cache generation is replaced, so every worker stops
 *       serving the tenant from its caches at once, without waiting for a TTL;
 *   <li>{@code api_key.revoked}: the key is cached as revoked.
 * </ul>
 *
 * Every one is idempotent, so relaying an event twice is harmless.
 */
final class Invalidations {
  private final RedisCaches caches;

  Invalidations(RedisCaches caches) {
    this.caches = caches;
  }

  /** True when delivering events of this type must first invalidate cache entries. */
  static boolean invalidates(EventType type) {
    return switch (type) {
      case FACE_REGISTERED,
          FACE_DELETED,
          TENANT_UPDATED,
          TENANT_SUSPENDED,
          TENANT_RESUMED,
          API_KEY_REVOKED ->
          true;
      case FACE_VERIFIED, COMMAND_REJECTED -> false;
    };
  }

  /** True when invalidating for events of this type needs the mutation's version. */
  static boolean needsVersion(EventType type) {
    return switch (type) {
      case FACE_REGISTERED, FACE_DELETED, TENANT_UPDATED, TENANT_RESUMED -> true;
      default -> false;
    };
  }

  /**
   * Invalidates what {@code event} changed.
   *
   * @param version the mutation's version (the store's outcome); ignored by the types that do not
   *     {@link #needsVersion need} it
   * @throws RedisUnavailableException when Redis cannot be asked; relay the event later
   */
  void apply(Event event, long version) {
    TenantId tenant = event.tenantId();
    switch (event.payload()) {
      case FaceRegistered registered ->
          caches.faces().invalidate(tenant, registered.externalId(), version);
      case FaceDeleted deleted -> caches.faces().invalidate(tenant, deleted.externalId(), version);
      case TenantUpdated updated -> caches.tenantConfigs().invalidate(tenant, version);
      case TenantResumed resumed -> caches.tenantConfigs().invalidate(tenant, version);
      case TenantSuspended suspended -> caches.invalidateTenant(tenant);
      case ApiKeyRevoked revoked -> caches.apiKeys().markRevoked(tenant, revoked.keyId().value());
      default -> {
        // Rejections and verifications change nothing cached.
      }
    }
  }
}
