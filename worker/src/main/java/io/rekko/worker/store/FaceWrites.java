package io.rekko.worker.store;

import io.rekko.schema.TenantId;
import io.rekko.worker.store.UnitOfWork.DeleteFace;
import io.rekko.worker.store.UnitOfWork.RegisterFace;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

/**
 * The effects of face commands, each decided by SQL inside the unit's transaction: uniqueness by
 * the primary key ({@code ON CONFLICT DO NOTHING}), the quota by one conditional {@code UPDATE} of
 * the tenant's count. Nothing is read in Java and then written back.
 *
 * <p>The caller holds the key's fence row lock, so no other transaction writes this face meanwhile;
 * the statements would stay correct without it, only less predictable.
 *
 * <p>The embedding is stored sealed for the version the row gets ({@link UnitKeys#seal}), so that
 * version is drawn first ({@code nextval}, under the fence row lock, so versions of one face still
 * grow in the order of its writes), and both the re-enrolment and the insert write it.
 */
final class FaceWrites {
  private static final String REENROL =
      """
      UPDATE faces SET embedding = :embedding, quality_score = :quality, liveness_ok = :liveness,
                       metadata = CAST(:metadata AS jsonb), version = :version,
                       updated_at = :now
      WHERE tenant_id = :tenant AND external_id = :externalId
      RETURNING version
      """;
  private static final String INSERT =
      """
      INSERT INTO faces (tenant_id, external_id, embedding, quality_score, liveness_ok, metadata,
                         version, created_at, updated_at)
      VALUES (:tenant, :externalId, :embedding, :quality, :liveness, CAST(:metadata AS jsonb),
              :version, :now, :now)
      ON CONFLICT (tenant_id, external_id) DO NOTHING
      RETURNING version
      """;

  /** The quota decision: counts the new face only while the count is below max_faces. */
  private static final String COUNT_NEW_FACE =
      """
      UPDATE tenant_usage SET face_count = face_count + 1
      WHERE tenant_id = :tenant
        AND face_count < (SELECT max_faces FROM tenants WHERE tenant_id = :tenant)
      """;

  private static final String REMOVE =
      "DELETE FROM faces WHERE tenant_id = :tenant AND external_id = :externalId";
  private static final String UNCOUNT =
      "UPDATE tenant_usage SET face_count = face_count - 1 WHERE tenant_id = :tenant";
  private static final String NEXT_VERSION = "SELECT nextval('face_versions')";

  private FaceWrites() {}

  static Outcome register(
      Handle handle,
      RegisterFace unit,
      Instant now,
      Counting counting,
      TenantStatuses statuses,
      UnitKeys keys) {
    Optional<OutcomeCode> refusal = statuses.refusal(handle, unit.tenant());
    if (refusal.isPresent()) {
      return Outcome.rejected(refusal.get());
    }
    long next = handle.createQuery(NEXT_VERSION).mapTo(Long.class).one();
    Row row = new Row(next, keys.seal(unit, next), Json.metadata(unit.metadata()));
    if (unit.replace()) {
      OptionalLong version = write(handle, REENROL, unit, row, now);
      if (version.isPresent()) {
        return new Outcome(OutcomeCode.REPLACED, version.getAsLong());
      }
    }
    OptionalLong version = write(handle, INSERT, unit, row, now);
    if (version.isEmpty()) {
      return Outcome.rejected(OutcomeCode.ALREADY_REGISTERED);
    }
    if (counting == Counting.EACH_UNIT && !countNewFace(handle, unit.tenant())) {
      // Undo our own insert: the face never existed for anyone else, and the count is unchanged.
      remove(handle, unit.tenant(), unit.key());
      return Outcome.rejected(OutcomeCode.QUOTA_EXCEEDED);
    }
    return new Outcome(OutcomeCode.REGISTERED, version.getAsLong());
  }

  static Outcome delete(
      Handle handle, DeleteFace unit, Counting counting, TenantStatuses statuses) {
    Optional<OutcomeCode> refusal = statuses.refusal(handle, unit.tenant());
    if (refusal.isPresent()) {
      return Outcome.rejected(refusal.get());
    }
    if (!remove(handle, unit.tenant(), unit.key())) {
      return Outcome.rejected(OutcomeCode.FACE_NOT_FOUND);
    }
    if (counting == Counting.EACH_UNIT) {
      handle.createUpdate(UNCOUNT).bind("tenant", unit.tenant().value()).execute();
    }
    long tombstone = handle.createQuery(NEXT_VERSION).mapTo(Long.class).one();
    return new Outcome(OutcomeCode.DELETED, tombstone);
  }

  /** What a registration writes besides the unit's own fields: its version and sealed embedding. */
  private record Row(long version, byte[] sealedEmbedding, String metadata) {}

  private static OptionalLong write(
      Handle handle, String sql, RegisterFace unit, Row row, Instant now) {
    return handle
        .createQuery(sql)
        .bind("tenant", unit.tenant().value())
        .bind("externalId", unit.key())
        .bind("embedding", row.sealedEmbedding())
        .bind("version", row.version())
        .bind("quality", unit.qualityScore())
        .bind("liveness", unit.livenessOk())
        .bind("metadata", row.metadata())
        .bind("now", now)
        .mapTo(Long.class)
        .findOne()
        .map(OptionalLong::of)
        .orElseGet(OptionalLong::empty);
  }

  private static boolean countNewFace(Handle handle, TenantId tenant) {
    return handle.createUpdate(COUNT_NEW_FACE).bind("tenant", tenant.value()).execute() == 1;
  }

  private static boolean remove(Handle handle, TenantId tenant, String externalId) {
    return handle
            .createUpdate(REMOVE)
            .bind("tenant", tenant.value())
            .bind("externalId", externalId)
            .execute()
        == 1;
  }
}
