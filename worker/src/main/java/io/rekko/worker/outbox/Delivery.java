package io.rekko.worker.outbox;

import io.rekko.schema.TenantId;
import io.rekko.worker.redis.EventPublisher;
import io.rekko.worker.redis.PublishResult;
import io.rekko.worker.redis.RedisUnavailableException;
import io.rekko.worker.store.PendingEvent;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one committed event: first the cache invalidation its row names ({@link Invalidations}),
 * or, for a registration whose face is at hand, the fill of the face's entry; then the publication
 * on its tenant's channel. Either step failing for want of Redis makes the whole delivery fail, to
 * be tried again from the outbox; both steps are idempotent.
 */
final class Delivery {
  private static final Logger log = LoggerFactory.getLogger(Delivery.class);

  private final EventPublisher publisher;
  private final Invalidations invalidations;

  Delivery(EventPublisher publisher, Invalidations invalidations) {
    this.publisher = publisher;
    this.invalidations = invalidations;
  }

  /**
   * Invalidates (or fills), then publishes; false when Redis could not take either (nothing is to
   * be marked).
   *
   * @param version the mutation's version, when known
   * @param fill the face a registration committed, when the caller has it
   */
  boolean deliver(
      TenantId tenant, PendingEvent event, OptionalLong version, Optional<FaceFill> fill) {
    try {
      if (fill.isPresent()) {
        invalidations.fill(tenant, fill.get());
      } else {
        invalidations.apply(tenant, event.invalidation(), version);
      }
    } catch (RedisUnavailableException e) {
      return false;
    } catch (RuntimeException e) {
      // A bug must not block the outbox behind this event forever: publish it, and say so.
      log.error(
          "invalidating for event {} failed; published without cache invalidation",
          event.eventId(),
          e);
    }
    return publish(tenant, event);
  }

  /** {@link #deliver}, but a failure of any kind is logged and answers false (the row stays). */
  boolean deliverQuietly(
      TenantId tenant, PendingEvent event, OptionalLong version, Optional<FaceFill> fill) {
    try {
      return deliver(tenant, event, version, fill);
    } catch (RuntimeException e) {
      log.warn("delivering event {} failed: {}", event.eventId(), e.getMessage());
      return false;
    }
  }

  /**
   * Publishes without invalidating: for events that change nothing cached. A row that only
   * invalidates has nothing to publish and counts as published.
   */
  boolean publish(TenantId tenant, PendingEvent event) {
    if (!event.hasEvent()) {
      return true;
    }
    return publisher.publish(tenant, event.payload()) instanceof PublishResult.Published;
  }
}
