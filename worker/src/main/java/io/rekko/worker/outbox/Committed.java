package io.rekko.worker.outbox;

import io.rekko.schema.TenantId;
import io.rekko.worker.store.PendingEvent;
import java.util.Objects;
import java.util.Optional;

/**
 * An event a unit of work committed to the outbox row {@code outboxId}, with the version its
 * outcome carries and, for a registration, the face to fill the cache with.
 */
public record Committed(
    long outboxId, TenantId tenant, PendingEvent event, long version, Optional<FaceFill> fill) {
  public Committed {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(fill, "fill");
  }

  public Committed(long outboxId, TenantId tenant, PendingEvent event, long version) {
    this(outboxId, tenant, event, version, Optional.empty());
  }
}
