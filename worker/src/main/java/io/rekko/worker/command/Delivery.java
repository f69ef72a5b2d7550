package io.rekko.worker.command;

import io.rekko.schema.TenantId;
import io.rekko.worker.command.OutboxRelay.FaceFill;
import io.rekko.worker.redis.EventPublisher;
import io.rekko.worker.redis.PublishResult;
import io.rekko.worker.redis.RedisUnavailableException;
import io.rekko.worker.store.PendingEvent;
import io.rekko.worker.store.StoreUnavailableException;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one committed event: first the cache invalidations it implies ({@link Invalidations}),
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
   * @param version as for {@link Invalidations#apply}
   * @param fill the face a registration committed, when the caller has it
   * @throws StoreUnavailableException when the ledger cannot be read
   */
  boolean deliver(
      TenantId tenant, PendingEvent event, OptionalLong version, Optional<FaceFill> fill) {
    try {
      if (fill.isPresent()) {
        invalidations.fill(tenant, fill.get());
      } else {
        invalidations.apply(tenant, event, version);
      }
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
}
