package io.rekko.schema;

import java.util.Objects;

/** {@code tenant.updated}: the tenant now has exactly these settings. */
public record TenantUpdated(TenantConfig config) implements EventPayload {

  public TenantUpdated {
    Objects.requireNonNull(config, "config");
  }

  @Override
  public EventType type() {
    return EventType.TENANT_UPDATED;
  }
}
