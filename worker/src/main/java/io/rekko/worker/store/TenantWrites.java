package io.rekko.worker.store;

import io.rekko.schema.TenantConfig;
import io.rekko.worker.store.UnitOfWork.RevokeApiKey;
import io.rekko.worker.store.UnitOfWork.SetTenantStatus;
import io.rekko.worker.store.UnitOfWork.UpsertTenant;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

/**
 * The effects of tenant and API-key commands. They need no existing tenant (a first upsert must
 * work), except suspend and resume, which answer {@code tenant_not_found}.
 */
final class TenantWrites {
  private static final String UPSERT =
      """
      INSERT INTO tenants (tenant_id, status, status_reason, max_faces, rate_limits,
                           verify_threshold, embedding_dimension, min_quality, require_liveness,
                           version, created_at, updated_at)
      VALUES (:tenant, 'active', '', :maxFaces, CAST(:rateLimits AS jsonb), :verifyThreshold,
              :embeddingDimension, :minQuality, :requireLiveness, 1, :now, :now)
      ON CONFLICT (tenant_id) DO UPDATE SET
        max_faces = EXCLUDED.max_faces,
        rate_limits = EXCLUDED.rate_limits,
        verify_threshold = EXCLUDED.verify_threshold,
        embedding_dimension = EXCLUDED.embedding_dimension,
        min_quality = EXCLUDED.min_quality,
        require_liveness = EXCLUDED.require_liveness,
        version = tenants.version + 1,
        updated_at = EXCLUDED.updated_at
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
      WHERE tenant_id = :tenant
      RETURNING version
      """;
  private static final String REVOKE =
      """
      INSERT INTO api_key_revocations (tenant_id, key_id, revoked_at) VALUES (:tenant, :keyId, :now)
      ON CONFLICT (tenant_id, key_id) DO NOTHING
      """;

  private TenantWrites() {}

  static Outcome upsert(Handle handle, UpsertTenant unit, Instant now) {
    TenantConfig config = unit.config();
    long version =
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
            .one();
    handle.createUpdate(CREATE_USAGE).bind("tenant", unit.tenant().value()).execute();
    return new Outcome(OutcomeCode.TENANT_UPDATED, version);
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
    handle
        .createUpdate(REVOKE)
        .bind("tenant", unit.tenant().value())
        .bind("keyId", unit.keyId().value())
        .bind("now", now)
        .execute();
    return new Outcome(OutcomeCode.API_KEY_REVOKED, 0);
  }
}
