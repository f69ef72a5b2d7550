package io.rekko.schema;

import java.util.Objects;

/** {@code tenant.upsert}: create a tenant or replace all of its settings. */
public record TenantUpsert(CommandEnvelope envelope, TenantConfig config) implements TenantCommand {

  public TenantUpsert {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(config, "config");
  }

  @Override
  public CommandType type() {
    return CommandType.TENANT_UPSERT;
  }
}
