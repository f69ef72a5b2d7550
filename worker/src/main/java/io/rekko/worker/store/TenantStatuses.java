package io.rekko.worker.store;

import io.rekko.schema.TenantId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The statuses of a batch's tenants, read with one query at the start of its transaction rather
 * than once per face unit. A tenant-wide unit of the batch (which may create, suspend or resume its
 * tenant) makes its tenant's status be read again, so face units after it see its effect.
 *
 * <p>Reading once per batch rather than per unit only moves the read earlier in the same
 * transaction: the batch is then ordered before a suspension that commits while it runs, which it
 * could have been anyway.
 *
 * <p>The read takes {@code FOR KEY SHARE} on each tenant row, held to the end of the batch: it
 * conflicts with no write a face batch or a tenant command makes, only with the {@code FOR UPDATE}
 * that begins a tenant's erasure ({@link Erasure}). So the erasure waits for every batch that read
 * the tenant as active, and a batch that starts meanwhile waits for the erasure's first step and
 * then reads the tenant as erasing: once that step committed, no transaction that took the tenant
 * for active is left to write a row of it.
 */
final class TenantStatuses {
  private static final String ONE =
      "SELECT status FROM tenants WHERE tenant_id = :tenant FOR KEY SHARE";
  private static final String MANY =
      """
      SELECT tenant_id, status FROM tenants WHERE tenant_id = ANY(:tenants)
      ORDER BY tenant_id COLLATE "C" FOR KEY SHARE
      """;

  private final Map<String, Optional<TenantStatus>> known = new HashMap<>();

  private TenantStatuses() {}

  /** Reads the statuses of {@code tenants} (absent tenants are known as absent). */
  static TenantStatuses read(Handle handle, Collection<String> tenants) {
    TenantStatuses statuses = new TenantStatuses();
    if (tenants.isEmpty()) {
      return statuses;
    }
    tenants.forEach(tenant -> statuses.known.put(tenant, Optional.empty()));
    handle
        .createQuery(MANY)
        .bindArray("tenants", String.class, tenants)
        .map(
            (rs, ctx) ->
                statuses.known.put(
                    rs.getString("tenant_id"),
                    Optional.of(TenantStatus.fromCode(rs.getString("status")))))
        .list();
    return statuses;
  }

  /**
   * {@code tenant_not_found} (also for a tenant being erased) or {@code tenant_suspended}, if
   * either applies to {@code unit} (a register or a delete). A delete is never refused for a
   * suspension: a data subject's deletion must happen whatever the tenant's standing, so only a
   * tenant that does not exist refuses it.
   */
  Optional<OutcomeCode> refusal(Handle handle, UnitOfWork unit) {
    return refusal(handle, unit.tenant(), unit instanceof UnitOfWork.DeleteFace);
  }

  private Optional<OutcomeCode> refusal(Handle handle, TenantId tenant, boolean delete) {
    Optional<TenantStatus> status =
        known.computeIfAbsent(
            tenant.value(),
            t ->
                handle
                    .createQuery(ONE)
                    .bind("tenant", t)
                    .mapTo(String.class)
                    .findOne()
                    .map(TenantStatus::fromCode));
    if (status.isEmpty()) {
      return Optional.of(OutcomeCode.TENANT_NOT_FOUND);
    }
    return switch (status.get()) {
      case ACTIVE -> Optional.empty();
      case SUSPENDED -> delete ? Optional.empty() : Optional.of(OutcomeCode.TENANT_SUSPENDED);
      case ERASING -> Optional.of(OutcomeCode.TENANT_NOT_FOUND);
    };
  }

  /** A tenant-wide unit changed the tenant: read its status again when next asked. */
  void forget(TenantId tenant) {
    known.remove(tenant.value());
  }
}
