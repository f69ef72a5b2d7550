package io.rekko.worker.store;

import io.rekko.schema.TenantConfig;
import io.rekko.worker.store.UnitOfWork.RevokeApiKey;
import io.rekko.worker.store.UnitOfWork.SetTenantStatus;
import io.rekko.worker.store.UnitOfWork.UpsertTenant;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The effects of tenant and API-key commands. They need no existing tenant (a first upsert must
 * work), except suspend and resume, which answer {@code tenant_not_found}.
 *
 * <p>While the tenant's erasure is under way none of them takes effect: suspend and resume find no
 * tenant, an upsert or a revocation is refused as {@code tenant_erased}, so no row of the tenant is
 * written behind the erasure's back. (The command handlers refuse them before the store already;
 * this is the store's own guard.) A tenant created again after an erasure continues the erased
 * tenant's versions and remembers when the erasure began ({@code erased_at}).
 */
final class TenantWrites {
  private static final String UPSERT =
      """
      WITH erased AS (
        SELECT max(started_at) FILTER (WHERE finished_at IS NOT NULL) AS erased_at,
               coalesce(max(tenant_version), 0) AS last_version,
               coalesce(bool_or(finished_at IS NULL), false) AS under_way
        FROM erasures WHERE tenant_id = :tenant)
      INSERT INTO tenants (tenant_id, status, status_reason, max_faces, rate_limits,
                           verify_threshold, embedding_dimension, min_quality, require_liveness,
                           version, created_at, updated_at, erased_at)
      SELECT :tenant, 'active', '', :maxFaces, CAST(:rateLimits AS jsonb), :verifyThreshold,
             :embeddingDimension, :minQuality, :requireLiveness, e.last_version + 1, :now, :now,
             e.erased_at
      FROM erased e WHERE NOT e.under_way
      ON CONFLICT (tenant_id) DO UPDATE SET
        max_faces = EXCLUDED.max_faces,
        rate_limits = EXCLUDED.rate_limits,
        verify_threshold = EXCLUDED.verify_threshold,
        embedding_dimension = EXCLUDED.embedding_dimension,
        min_quality = EXCLUDED.min_quality,
        require_liveness = EXCLUDED.require_liveness,
        version = tenants.version + 1,
        updated_at = EXCLUDED.updated_at
      WHERE tenants.status <> 'erasing'
      RETURNING version
      """;
  private static final String CREATE_USAGE =
      """
      INSERT INTO tenant_usage (tenant_id, face_count) VALUES (:tenant, 0)
      ON CONFLICT (tenant_id) DO NOTHING
      """;
  private static final String SET_STATUS =
      """
      UPDATE tenants SET status = :status, status_reason = :reason, version = version + 1,
                         updated_at = :now
      WHERE tenant_id = :tenant AND status <> 'erasing'
      RETURNING version
      """;
  private static final String REVOKE =
      """
      INSERT INTO api_key_revocations (tenant_id, key_id, revoked_at) VALUES (:tenant, :keyId, :now)
      ON CONFLICT (tenant_id, key_id) DO NOTHING
      """;

  private static final String ERASURE_UNDER_WAY =
      """
      SELECT EXISTS (SELECT 1 FROM erasures WHERE tenant_id = :tenant AND finished_at IS NULL)
      """;

  private TenantWrites() {}

  static Outcome upsert(Handle handle, UpsertTenant unit, Instant now) {
    TenantConfig config = unit.config();
    Optional<Long> version =
        handle
            .createQuery(UPSERT)
            .bind("tenant", unit.tenant().value())
            .bind("maxFaces", config.maxFaces())
            .bind("rateLimits", Json.rateLimits(config.rateLimits()))
            .bind("verifyThreshold", config.verifyThreshold())
            .bind("embeddingDimension", config.embeddingDimension())
            .bind("minQuality", config.minQuality())
            .bind("requireLiveness", config.requireLiveness())
            .bind("now", now)
            .mapTo(Long.class)
            .findOne();
    if (version.isEmpty()) {
      return Outcome.rejected(OutcomeCode.TENANT_ERASED);
    }
    handle.createUpdate(CREATE_USAGE).bind("tenant", unit.tenant().value()).execute();
    return new Outcome(OutcomeCode.TENANT_UPDATED, version.get());
  }

  static Outcome setStatus(Handle handle, SetTenantStatus unit, Instant now) {
    OutcomeCode effect =
        unit.status() == TenantStatus.SUSPENDED ? OutcomeCode.SUSPENDED : OutcomeCode.RESUMED;
    return handle
        .createQuery(SET_STATUS)
        .bind("tenant", unit.tenant().value())
        .bind("status", unit.status().code())
        .bind("reason", unit.reason())
        .bind("now", now)
        .mapTo(Long.class)
        .findOne()
        .map(version -> new Outcome(effect, version))
        .orElseGet(() -> Outcome.rejected(OutcomeCode.TENANT_NOT_FOUND));
  }

  static Outcome revoke(Handle handle, RevokeApiKey unit, Instant now) {
    boolean erasing =
        handle
            .createQuery(ERASURE_UNDER_WAY)
            .bind("tenant", unit.tenant().value())
            .mapTo(Boolean.class)
            .one();
    if (erasing) {
      return Outcome.rejected(OutcomeCode.TENANT_ERASED);
    }
    handle
        .createUpdate(REVOKE)
        .bind("tenant", unit.tenant().value())
        .bind("keyId", unit.keyId().value())
        .bind("now", now)
        .execute();
    return new Outcome(OutcomeCode.API_KEY_REVOKED, 0);
  }
}
