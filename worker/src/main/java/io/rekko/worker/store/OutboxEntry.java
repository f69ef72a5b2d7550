package io.rekko.worker.store;

import io.rekko.schema.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * An event waiting in the outbox for the relay to publish it.
 *
 * @param id the outbox row's id; rows are handed out in id order
 * @param tenant whose event it is
 * @param event the event to publish
 * @param createdAt when it was written (by the worker's clock)
 */
public record OutboxEntry(long id, TenantId tenant, PendingEvent event, Instant createdAt) {

  public OutboxEntry {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
