package io.rekko.worker.store;

import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import io.rekko.worker.crypto.AssociatedData;
import io.rekko.worker.crypto.DataKey;
import io.rekko.worker.crypto.SealException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** What verification and the tenant checks read. Each read is one statement, no transaction. */
final class Reads {
  private static final String FACE =
      """
      SELECT embedding, quality_score, liveness_ok, metadata, version, created_at, updated_at
      FROM faces WHERE tenant_id = :tenant AND external_id = :externalId
      """;
  private static final String TENANT =
      """
      SELECT status, status_reason, max_faces, rate_limits, verify_threshold, embedding_dimension,
             min_quality, require_liveness, version, updated_at, erased_at
      FROM tenants WHERE tenant_id = :tenant
      """;
  private static final String REVOKED =
      "SELECT EXISTS (SELECT 1 FROM api_key_revocations WHERE tenant_id = :tenant AND key_id ="
          + " :keyId)";
  private static final String FACE_COUNT =
      "SELECT face_count FROM tenant_usage WHERE tenant_id = :tenant";

  private Reads() {}

  /** A face row as read: its embedding still sealed. */
  record FaceRow(
      byte[] sealedEmbedding,
      double qualityScore,
      boolean livenessOk,
      Map<String, String> metadata,
      long version,
      Instant createdAt,
      Instant updatedAt) {

    /**
     * The face, its embedding opened with {@code key}.
     *
     * @throws SealException naming the face when the embedding does not open
     */
    StoredFace open(TenantId tenant, ExternalId externalId, DataKey key) {
      Embedding embedding;
      try {
        embedding =
            key.openEmbedding(sealedEmbedding, AssociatedData.face(tenant, externalId, version));
      } catch (SealException e) {
        throw new SealException(
            "the stored embedding of face "
                + tenant
                + "/"
                + externalId
                + " (version "
                + version
                + ") does not open: "
                + e.getMessage(),
            e);
      }
      return new StoredFace(
          tenant,
          externalId,
          embedding,
          sealedEmbedding,
          qualityScore,
          livenessOk,
          metadata,
          version,
          createdAt,
          updatedAt);
    }
  }

  static Optional<FaceRow> face(Handle handle, TenantId tenant, ExternalId externalId) {
    return handle
        .createQuery(FACE)
        .bind("tenant", tenant.value())
        .bind("externalId", externalId.value())
        .map(
            (rs, ctx) ->
                new FaceRow(
                    rs.getBytes("embedding"),
                    rs.getDouble("quality_score"),
                    rs.getBoolean("liveness_ok"),
                    Json.metadata(rs.getString("metadata")),
                    rs.getLong("version"),
                    rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                    rs.getObject("updated_at", OffsetDateTime.class).toInstant()))
        .findOne();
  }

  static Optional<StoredTenant> tenant(Handle handle, TenantId tenant) {
    return handle
        .createQuery(TENANT)
        .bind("tenant", tenant.value())
        .map(
            (rs, ctx) ->
                new StoredTenant(
                    tenant,
                    new TenantConfig(
                        rs.getLong("max_faces"),
                        Json.rateLimits(rs.getString("rate_limits")),
                        rs.getDouble("verify_threshold"),
                        rs.getInt("embedding_dimension"),
                        rs.getDouble("min_quality"),
                        rs.getBoolean("require_liveness")),
                    TenantStatus.fromCode(rs.getString("status")),
                    rs.getString("status_reason"),
                    rs.getLong("version"),
                    rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
                    Optional.ofNullable(rs.getObject("erased_at", OffsetDateTime.class))
                        .map(OffsetDateTime::toInstant)))
        .findOne();
  }

  static boolean apiKeyRevoked(Handle handle, TenantId tenant, String keyId) {
    return handle
        .createQuery(REVOKED)
        .bind("tenant", tenant.value())
        .bind("keyId", keyId)
        .mapTo(Boolean.class)
        .one();
  }

  static long faceCount(Handle handle, TenantId tenant) {
    return handle
        .createQuery(FACE_COUNT)
        .bind("tenant", tenant.value())
        .mapTo(Long.class)
        .findOne()
        .orElse(0L);
  }
}
