package io.rekko.schema;

/**
 * A command about a tenant's settings, API keys or existence, keyed {@code <tenant_id>}. These skip
 * the tenant checks (a tenant's first {@code tenant.upsert} must work).
 */
public sealed interface TenantCommand extends Command
    permits TenantUpsert, TenantSuspend, TenantResume, ApiKeyRevoke, TenantErase {

  @Override
  default String recordKey() {
    return Topics.tenantKey(tenantId());
  }
}
