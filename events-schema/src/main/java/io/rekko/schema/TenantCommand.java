package io.rekko.schema;

/**
 * A command about a tenant's settings or API keys, keyed {@code <tenant_id>}. These skip the tenant
 * checks (a tenant's first {@code tenant.upsert} must work).
 */
public sealed interface TenantCommand extends Command
    permits TenantUpsert, TenantSuspend, TenantResume, ApiKeyRevoke {

  @Override
  default String recordKey() {
    return Topics.tenantKey(tenantId());
  }
}
