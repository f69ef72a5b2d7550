package io.rekko.worker.store;

import io.rekko.schema.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An event waiting in the outbox for the relay to publish it.
 *
 * @param id the outbox row's id; rows are handed out in id order
 * @param tenant whose event it is
 * @param event the event to publish
 * @param version the version of the mutation the event reports; 0 when it reports none (a
 *     verification, a rejection) or was written before the outbox kept versions
 * @param createdAt when it was written (by the worker's clock)
 */
public record OutboxEntry(
    long id, TenantId tenant, PendingEvent event, long version, Instant createdAt) {

  public OutboxEntry {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** The mutation's version, when the row knows it. */
  public OptionalLong mutationVersion() {
    return version > 0 ? OptionalLong.of(version) : OptionalLong.empty();
  }
}
