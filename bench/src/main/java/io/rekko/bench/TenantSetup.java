package io.rekko.bench;

import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * B1's tenant set-up through plain JDBC, before anything is measured: the tenant row with its
 * settings and its face-count row, written as the worker's TenantWrites writes them, so {@link
 * WorkerSql} finds what the worker would find.
 *
 * <p>Hazard: it writes in the caller's transaction and does not commit; an existing tenant keeps
 * its status and face count, only its settings are replaced.
 */
final class TenantSetup {
  private static final String UPSERT =
      """
      INSERT INTO tenants (tenant_id, status, status_reason, max_faces, rate_limits,
                           verify_threshold, embedding_dimension, min_quality, require_liveness,
                           version, created_at, updated_at)
      VALUES (?, 'active', '', ?, CAST(? AS jsonb), ?, ?, ?, ?, 1, ?, ?)
      ON CONFLICT (tenant_id) DO UPDATE SET
        max_faces = EXCLUDED.max_faces,
        rate_limits = EXCLUDED.rate_limits,
        verify_threshold = EXCLUDED.verify_threshold,
        embedding_dimension = EXCLUDED.embedding_dimension,
        min_quality = EXCLUDED.min_quality,
        require_liveness = EXCLUDED.require_liveness,
        version = tenants.version + 1,
        updated_at = EXCLUDED.updated_at
      """;
  private static final String CREATE_USAGE =
      """
      INSERT INTO tenant_usage (tenant_id, face_count) VALUES (?, 0)
      ON CONFLICT (tenant_id) DO NOTHING
      """;

  private TenantSetup() {}

  /** Creates the tenant with its count row, or replaces its settings, as TenantWrites does. */
  static void upsert(Connection connection, TenantId tenant, TenantConfig config, Instant now)
      throws SQLException {
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT);
        PreparedStatement usage = connection.prepareStatement(CREATE_USAGE)) {
      upsert.setString(1, tenant.value());
      upsert.setLong(2, config.maxFaces());
      upsert.setString(3, Columns.rateLimits(config));
      upsert.setDouble(4, config.verifyThreshold());
      upsert.setInt(5, config.embeddingDimension());
      upsert.setDouble(6, config.minQuality());
      upsert.setBoolean(7, config.requireLiveness());
      upsert.setObject(8, Columns.timestamp(now));
      upsert.setObject(9, Columns.timestamp(now));
      upsert.executeUpdate();
      usage.setString(1, tenant.value());
      usage.executeUpdate();
    }
  }
}
