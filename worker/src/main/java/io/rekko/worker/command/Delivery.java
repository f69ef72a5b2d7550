package io.rekko.worker.command;

import io.rekko.schema.DecodeLimits;
import io.rekko.schema.Event;
import io.rekko.schema.EventCodec;
import io.rekko.schema.EventDecodeException;
import io.rekko.schema.TenantId;
import io.rekko.worker.redis.EventPublisher;
import io.rekko.worker.redis.PublishResult;
import io.rekko.worker.redis.RedisCaches;
import io.rekko.worker.redis.RedisUnavailableException;
import io.rekko.worker.store.PendingEvent;
import io.rekko.worker.store.Store;
import io.rekko.worker.store.StoreUnavailableException;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one committed event: first the cache invalidations it implies ({@link Invalidations}),
 * then the publication on its tenant's channel. Either step failing for want of Redis makes the
 * whole delivery fail, to be tried again from the outbox; both steps are idempotent.
 */
final class Delivery {
  private static final Logger log = LoggerFactory.getLogger(Delivery.class);

  /**
   * Events in the outbox were written by this worker's own code, so they are decoded with the hard
   * ceilings of the contract rather than the input limits a deployment may tighten.
   */
  private static final DecodeLimits OWN_EVENTS =
      new DecodeLimits(4 * 1024 * 1024, 1, 65_536, 1024, 1024, 65_536);

  private final Store store;
  private final EventPublisher publisher;
  private final Invalidations invalidations;
  private final EventCodec events = new EventCodec(OWN_EVENTS);

  Delivery(Store store, EventPublisher publisher, RedisCaches caches) {
    this.store = store;
    this.publisher = publisher;
    this.invalidations = new Invalidations(caches);
  }

  /**
   * Invalidates, then publishes; false when Redis could not take either (nothing is to be marked).
   *
   * @param version the mutation's version when the caller knows it (the unit's outcome, or the
   *     outbox row's); else, for a row written before the outbox kept versions, it is read from
   *     the ledger, for the event types whose invalidation needs it
   * @throws io.rekko.worker.store.StoreUnavailableException when the ledger cannot be read
   */
  boolean deliver(TenantId tenant, PendingEvent event, OptionalLong version) {
    try {
      invalidate(tenant, event, version);
    } catch (RedisUnavailableException e) {
      return false;
    } catch (StoreUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      // A bug must not block the outbox behind this event forever: publish it, and say so.
      log.error(
          "invalidating for event {} failed; published without cache invalidation",
          event.eventId(),
          e);
    }
    return publish(tenant, event);
  }

  /** Publishes without invalidating: for events that change nothing cached. */
  boolean publish(TenantId tenant, PendingEvent event) {
    return publisher.publish(tenant, event.payload()) instanceof PublishResult.Published;
  }

  /**
   * Performs the cache invalidations {@code pending} implies, if any.
   *
   * @param version as for {@link #deliver}
   * @throws RedisUnavailableException when Redis cannot be asked
   * @throws StoreUnavailableException when the ledger cannot be read
   */
  void invalidate(TenantId tenant, PendingEvent pending, OptionalLong version) {
    Event event;
    try {
      event = events.decode(pending.payload());
    } catch (EventDecodeException e) {
      log.error(
          "outbox event {} cannot be decoded ({}); published without cache invalidation",
          pending.eventId(),
          e.getMessage());
      return;
    }
    if (!Invalidations.needsVersion(event.type())) {
      invalidations.apply(event, 0);
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
    invalidations.apply(event, known.getAsLong());
  }

  private OptionalLong ledgerVersion(TenantId tenant, Event event) {
    return store
        .ledgered(tenant, event.commandId())
        .map(replayed -> OptionalLong.of(replayed.outcome().version()))
        .orElseGet(OptionalLong::empty);
  }
}
