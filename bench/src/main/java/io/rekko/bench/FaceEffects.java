package io.rekko.bench;

import io.rekko.schema.FaceCommand;
import io.rekko.schema.FaceDelete;
import io.rekko.schema.FaceRegister;
import io.rekko.worker.crypto.AssociatedData;
import io.rekko.worker.crypto.DataKeys;
import io.rekko.worker.store.Outcome;
import io.rekko.worker.store.OutcomeCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The effects of face mutations, as the worker's FaceWrites decides them: each decision is one SQL
 * statement inside the caller's transaction, uniqueness by the primary key ({@code ON CONFLICT DO
 * NOTHING}), the quota by one conditional {@code UPDATE} of the tenant's count. Nothing is read in
 * Java and written back. Part of {@link WorkerSql}, which holds the key's fence row meanwhile.
 *
 * <p>The embedding is stored sealed under the tenant's data key for the version the row gets
 * ({@link AssociatedData#face}), so that version is drawn first ({@code nextval}, under the fence
 * row lock), and both the re-enrolment and the insert write it, as in FaceWrites.
 *
 * <p>One difference: the tenant read also fetches the tenant's embedding rules, which the worker
 * checks against its Redis cache before the unit of work; here the one read serves both.
 */
final class FaceEffects implements AutoCloseable {
  private static final String TENANT_RULES =
      """
      SELECT status, embedding_dimension, min_quality, require_liveness
      FROM tenants WHERE tenant_id = ? FOR KEY SHARE
      """;
  private static final String REENROL =
      """
      UPDATE faces SET embedding = ?, quality_score = ?, liveness_ok = ?,
                       metadata = CAST(? AS jsonb), version = ?, updated_at = ?
      WHERE tenant_id = ? AND external_id = ?
      RETURNING version
      """;
  private static final String INSERT_FACE =
      """
      INSERT INTO faces (tenant_id, external_id, embedding, quality_score, liveness_ok, metadata,
                         version, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?)
      ON CONFLICT (tenant_id, external_id) DO NOTHING
      RETURNING version
      """;

  /** The quota decision: counts the new face only while the count is below max_faces. */
  private static final String COUNT_NEW_FACE =
      """
      UPDATE tenant_usage SET face_count = face_count + 1
      WHERE tenant_id = ?
        AND face_count < (SELECT max_faces FROM tenants WHERE tenant_id = ?)
      """;

  private static final String REMOVE_FACE =
      "DELETE FROM faces WHERE tenant_id = ? AND external_id = ?";
  private static final String UNCOUNT_FACE =
      "UPDATE tenant_usage SET face_count = face_count - 1 WHERE tenant_id = ?";
  private static final String NEXT_VERSION = "SELECT nextval('face_versions')";

  /** The worker's statement that settles a batch's face counts (store/Quota.java). */
  private static final String SETTLE_COUNTS =
      """
      WITH change AS (
        SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS bigint[])) AS c(tenant_id, delta)),
      locked AS (
        SELECT u.tenant_id, u.face_count, t.max_faces, c.delta
        FROM tenant_usage u
        JOIN change c ON c.tenant_id = u.tenant_id
        JOIN tenants t ON t.tenant_id = u.tenant_id
        ORDER BY u.tenant_id COLLATE "C"
        FOR UPDATE OF u)
      UPDATE tenant_usage u SET face_count = u.face_count + l.delta
      FROM locked l
      WHERE u.tenant_id = l.tenant_id AND (l.delta <= 0 OR l.face_count + l.delta <= l.max_faces)
      RETURNING u.tenant_id
      """;

  private final List<PreparedStatement> statements = new ArrayList<>();
  private final PreparedStatement tenantRules;
  private final PreparedStatement reenrol;
  private final PreparedStatement insertFace;
  private final PreparedStatement countNewFace;
  private final PreparedStatement removeFace;
  private final PreparedStatement uncountFace;
  private final PreparedStatement nextVersion;
  private final PreparedStatement settleCounts;
  private final boolean countEachUnit;
  private final DataKeys keys;

  /** Per tenant, faces added minus faces removed since the last {@link #settleCounts}. */
  private final Map<String, Long> countChanges = new TreeMap<>();

  /**
   * @param countEachUnit true: each unit counts its face as it goes (the plain worker, B2); false:
   *     the counts wait for {@link #settleCounts} at the end of the transaction, as the worker's
   *     batches do
   * @param keys the tenants' data keys, which seal the embeddings
   */
  FaceEffects(Connection connection, boolean countEachUnit, DataKeys keys) throws SQLException {
    this.countEachUnit = countEachUnit;
    this.keys = keys;
    this.settleCounts = prepare(connection, SETTLE_COUNTS);
    this.tenantRules = prepare(connection, TENANT_RULES);
    this.reenrol = prepare(connection, REENROL);
    this.insertFace = prepare(connection, INSERT_FACE);
    this.countNewFace = prepare(connection, COUNT_NEW_FACE);
    this.removeFace = prepare(connection, REMOVE_FACE);
    this.uncountFace = prepare(connection, UNCOUNT_FACE);
    this.nextVersion = prepare(connection, NEXT_VERSION);
  }

  /**
   * Registers the face, or re-enrols it ({@code replace}), or decides the rejection; the outcome's
   * version is the face's new one.
   */
  Outcome register(FaceRegister command, Instant now) throws SQLException {
    Optional<OutcomeCode> refusal = tenantRefusal(command);
    if (refusal.isPresent()) {
      return Outcome.rejected(refusal.get());
    }
    long next = nextVersion();
    byte[] sealed =
        keys.of(command.tenantId())
            .sealEmbedding(
                command.embedding(),
                AssociatedData.face(command.tenantId(), command.externalId(), next));
    if (command.replace()) {
      OptionalLong replaced = reenrol(command, next, sealed, now);
      if (replaced.isPresent()) {
        return new Outcome(OutcomeCode.REPLACED, replaced.getAsLong());
      }
    }
    OptionalLong version = insertFace(command, next, sealed, now);
    if (version.isEmpty()) {
      return Outcome.rejected(OutcomeCode.ALREADY_REGISTERED);
    }
    String tenant = command.tenantId().value();
    if (!countEachUnit) {
      countChanges.merge(tenant, 1L, Long::sum);
      return new Outcome(OutcomeCode.REGISTERED, version.getAsLong());
    }
    countNewFace.setString(1, tenant);
    countNewFace.setString(2, tenant);
    if (countNewFace.executeUpdate() != 1) {
      // Undo our own insert: the face never existed for anyone else, and the count is unchanged.
      removeFace(command);
      return Outcome.rejected(OutcomeCode.QUOTA_EXCEEDED);
    }
    return new Outcome(OutcomeCode.REGISTERED, version.getAsLong());
  }

  /**
   * Applies the counted changes in one tenant-sorted conditional statement, the worker's; fails if
   * a tenant would pass its quota (the benchmark's quotas are far above its traffic).
   */
  void settleCounts(Connection connection) throws SQLException {
    if (countChanges.isEmpty()) {
      return;
    }
    settleCounts.setArray(1, connection.createArrayOf("text", countChanges.keySet().toArray()));
    settleCounts.setArray(2, connection.createArrayOf("bigint", countChanges.values().toArray()));
    int settled = 0;
    try (ResultSet rs = settleCounts.executeQuery()) {
      while (rs.next()) {
        settled++;
      }
    }
    if (settled != countChanges.size()) {
      throw new SQLException("a tenant's face count would pass its quota: " + countChanges);
    }
    countChanges.clear();
  }

  /** Deletes the face, or decides the rejection; the version is a tombstone newer than the face. */
  Outcome delete(FaceDelete command) throws SQLException {
    Optional<OutcomeCode> refusal = tenantRefusal(command);
    if (refusal.isPresent()) {
      return Outcome.rejected(refusal.get());
    }
    if (!removeFace(command)) {
      return Outcome.rejected(OutcomeCode.FACE_NOT_FOUND);
    }
    if (countEachUnit) {
      uncountFace.setString(1, command.tenantId().value());
      uncountFace.executeUpdate();
    } else {
      countChanges.merge(command.tenantId().value(), -1L, Long::sum);
    }
    return new Outcome(OutcomeCode.DELETED, nextVersion());
  }

  private long nextVersion() throws SQLException {
    try (ResultSet rs = nextVersion.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The tenant's status, and for a registration its embedding rules, in the worker's order. */
  private Optional<OutcomeCode> tenantRefusal(FaceCommand command) throws SQLException {
    tenantRules.setString(1, command.tenantId().value());
    try (ResultSet rs = tenantRules.executeQuery()) {
      // Held FOR KEY SHARE as the worker's batches hold it (TenantStatuses): a tenant's erasure
      // waits for the transactions that read it as active.
      if (!rs.next() || rs.getString("status").equals("erasing")) {
        return Optional.of(OutcomeCode.TENANT_NOT_FOUND);
      }
      // A delete is never refused for a suspension, as in the worker.
      if (!rs.getString("status").equals("active") && !(command instanceof FaceDelete)) {
        return Optional.of(OutcomeCode.TENANT_SUSPENDED);
      }
      if (!(command instanceof FaceRegister register)) {
        return Optional.empty();
      }
      if (register.embedding().dimension() != rs.getInt("embedding_dimension")) {
        return Optional.of(OutcomeCode.INVALID_EMBEDDING);
      }
      if (register.qualityScore() < rs.getDouble("min_quality")) {
        return Optional.of(OutcomeCode.LOW_QUALITY);
      }
      if (rs.getBoolean("require_liveness") && !register.livenessOk()) {
        return Optional.of(OutcomeCode.LIVENESS_FAILED);
      }
      return Optional.empty();
    }
  }

  /** The new face's version ({@code version}), unless the id is taken. */
  private OptionalLong insertFace(FaceRegister command, long version, byte[] sealed, Instant now)
      throws SQLException {
    insertFace.setString(1, command.tenantId().value());
    insertFace.setString(2, command.externalId().value());
    insertFace.setBytes(3, sealed);
    insertFace.setDouble(4, command.qualityScore());
    insertFace.setBoolean(5, command.livenessOk());
    insertFace.setString(6, Columns.metadata(command.metadata()));
    insertFace.setLong(7, version);
    insertFace.setObject(8, Columns.timestamp(now));
    insertFace.setObject(9, Columns.timestamp(now));
    return version(insertFace);
  }

  /** The re-enrolled face's new version ({@code version}), if the face exists. */
  private OptionalLong reenrol(FaceRegister command, long version, byte[] sealed, Instant now)
      throws SQLException {
    reenrol.setBytes(1, sealed);
    reenrol.setDouble(2, command.qualityScore());
    reenrol.setBoolean(3, command.livenessOk());
    reenrol.setString(4, Columns.metadata(command.metadata()));
    reenrol.setLong(5, version);
    reenrol.setObject(6, Columns.timestamp(now));
    reenrol.setString(7, command.tenantId().value());
    reenrol.setString(8, command.externalId().value());
    return version(reenrol);
  }

  private static OptionalLong version(PreparedStatement write) throws SQLException {
    try (ResultSet rs = write.executeQuery()) {
      return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
    }
  }

  private boolean removeFace(FaceCommand command) throws SQLException {
    removeFace.setString(1, command.tenantId().value());
    removeFace.setString(2, command.externalId().value());
    return removeFace.executeUpdate() == 1;
  }

  private PreparedStatement prepare(Connection connection, String sql) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    statements.add(statement);
    return statement;
  }

  @Override
  public void close() throws SQLException {
    for (PreparedStatement statement : statements) {
      statement.close();
    }
  }
}
