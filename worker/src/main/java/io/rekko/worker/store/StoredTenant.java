package io.rekko.worker.store;

import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant as stored.
 *
 * @param tenant its id
 * @param config its configuration
 * @param status active, suspended or erasing
 * @param statusReason the reason given by the last suspend or resume; empty if none
 * @param version grows by one with every change of configuration or status; a tenant created again
 *     after an erasure continues from the erased tenant's
 * @param updatedAt when it last changed (by the worker's clock)
 * @param erasedAt for a tenant created again after an erasure, when that erasure began: commands
 *     issued at or before then are refused ({@code tenant_erased}); empty for a tenant never erased
 */
public record StoredTenant(
    TenantId tenant,
    TenantConfig config,
    TenantStatus status,
    String statusReason,
    long version,
    Instant updatedAt,
    Optional<Instant> erasedAt) {

  public StoredTenant {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(statusReason, "statusReason");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(erasedAt, "erasedAt");
  }

  public boolean isActive() {
    return status == TenantStatus.ACTIVE;
  }
}
