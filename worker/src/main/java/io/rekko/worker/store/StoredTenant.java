package io.rekko.worker.store;

import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * A tenant as stored.
 *
 * @param tenant its id
 * @param config its configuration
 * @param status active or suspended
 * @param statusReason the reason given by the last suspend or resume; empty if none
 * @param version grows by one with every change of configuration or status
 * @param updatedAt when it last changed (by the worker's clock)
 */
public record StoredTenant(
    TenantId tenant,
    TenantConfig config,
    TenantStatus status,
    String statusReason,
    long version,
    Instant updatedAt) {

  public StoredTenant {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(statusReason, "statusReason");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  public boolean isActive() {
    return status == TenantStatus.ACTIVE;
  }
}
