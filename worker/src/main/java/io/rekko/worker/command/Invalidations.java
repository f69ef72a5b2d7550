package io.rekko.worker.command;

import io.rekko.schema.ApiKeyRevoked;
import io.rekko.schema.DecodeLimits;
import io.rekko.schema.Event;
import io.rekko.schema.EventCodec;
import io.rekko.schema.EventDecodeException;
import io.rekko.schema.EventType;
import io.rekko.schema.FaceDeleted;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantResumed;
import io.rekko.schema.TenantSuspended;
import io.rekko.schema.TenantUpdated;
import io.rekko.worker.redis.RedisCaches;
import io.rekko.worker.redis.RedisUnavailableException;
import io.rekko.worker.store.PendingEvent;
import io.rekko.worker.store.Store;
import io.rekko.worker.store.StoreUnavailableException;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache invalidations a committed event implies, performed before the event is published (by
 * the outbox relay) and for every event still pending (by the {@link InvalidationWatch}): so they
 * are retried with the event while Redis is down, and a subscriber that reads after the event never
 * reads the state before it from a cache.
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
 * Every one is idempotent, so applying an event's invalidations twice is harmless.
 */
final class Invalidations {
  private static final Logger log = LoggerFactory.getLogger(Invalidations.class);

  /**
   * Events in the outbox were written by this worker's own code, so they are decoded with the hard
   * ceilings of the contract rather than the input limits a deployment may tighten.
   */
  private static final DecodeLimits OWN_EVENTS =
      new DecodeLimits(4 * 1024 * 1024, 1, 65_536, 1024, 1024, 65_536);

  private final Store store;
  private final RedisCaches caches;
  private final EventCodec events = new EventCodec(OWN_EVENTS);

  Invalidations(Store store, RedisCaches caches) {
    this.store = store;
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

  /**
   * Performs the invalidations {@code pending} implies, if any. An event that cannot be decoded, or
   * whose mutation's version is unknown, is logged and invalidates nothing: its entries expire with
   * their TTL.
   *
   * @param version the mutation's version when the caller knows it (the unit's outcome, or the
   *     outbox row's); else, for a row written before the outbox kept versions, it is read from the
   *     ledger, for the event types whose invalidation needs it
   * @throws RedisUnavailableException when Redis cannot be asked; try again later
   * @throws StoreUnavailableException when the ledger cannot be read
   */
  void apply(TenantId tenant, PendingEvent pending, OptionalLong version) {
    Event event;
    try {
      event = events.decode(pending.payload());
    } catch (EventDecodeException e) {
      log.error(
          "outbox event {} cannot be decoded ({}); its cache entries expire with their TTL",
          pending.eventId(),
          e.getMessage());
      return;
    }
    if (!needsVersion(event.type())) {
      apply(event, 0);
      return;
    }
    OptionalLong known = version.isPresent() ? version : ledgerVersion(tenant, event);
    if (known.isEmpty()) {
      log.warn(
          "no ledger row for event {} of command {}: its cache entries expire with their TTL",
          event.eventId(),
          event.commandId());
      return;
    }
    apply(event, known.getAsLong());
  }

  /**
   * Writes the face a registration committed into the face cache, in place of the tombstone its
   * event would leave: a newer entry (a later delete's tombstone) refuses it, and a tombstone at
   * the same version, applied again by the watch, leaves it alone.
   *
   * @throws RedisUnavailableException when Redis cannot be asked; try again later
   */
  void fill(TenantId tenant, OutboxRelay.FaceFill fill) {
    caches.faces().put(tenant, fill.externalId(), fill.face());
  }

  /** True when invalidating for events of this type needs the mutation's version. */
  private static boolean needsVersion(EventType type) {
    return switch (type) {
      case FACE_REGISTERED, FACE_DELETED, TENANT_UPDATED, TENANT_RESUMED -> true;
      default -> false;
    };
  }

  private void apply(Event event, long version) {
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

  private OptionalLong ledgerVersion(TenantId tenant, Event event) {
    return store
        .ledgered(tenant, event.commandId())
        .map(replayed -> OptionalLong.of(replayed.outcome().version()))
        .orElseGet(OptionalLong::empty);
  }
}
