package io.rekko.worker.store;

import io.rekko.worker.store.UnitOfWork.RegisterFace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The face effects of a batch, one set-based statement per kind ({@link FaceWrites} does them unit
 * by unit): re-enrolments, then inserts, then deletions, each deciding every unit it covers.
 * Uniqueness is still the primary key's ({@code ON CONFLICT DO NOTHING}): a unit whose row the
 * statement did not return is refused.
 *
 * <p>Hazards: the units must hold their fence row locks ({@link Fences#claimAll}), and no two may
 * name one face (a batch has one unit per key). Face counts are left alone: the batch settles them
 * at commit ({@link Quota}).
 *
 * <p>Embeddings are written sealed for the version their row gets ({@link UnitKeys#seal}): the
 * versions of all the batch's registrations are drawn first, in one statement, under the fence row
 * locks; a unit's re-enrolment and insert both write the one drawn for it.
 */
final class BatchFaceWrites {
  private static final String REENROL =
      """
      UPDATE faces f SET embedding = r.embedding, quality_score = r.quality,
                         liveness_ok = r.liveness, metadata = CAST(r.metadata AS jsonb),
                         version = r.version, updated_at = :now
      FROM unnest(CAST(:tenants AS text[]), CAST(:keys AS text[]), CAST(:embeddings AS bytea[]),
                  CAST(:qualities AS float8[]), CAST(:liveness AS boolean[]),
                  CAST(:metadata AS text[]), CAST(:versions AS bigint[]))
        AS r(tenant_id, external_id, embedding, quality, liveness, metadata, version)
      WHERE f.tenant_id = r.tenant_id AND f.external_id = r.external_id
      RETURNING f.tenant_id, f.external_id, f.version
      """;
  private static final String INSERT =
      """
      INSERT INTO faces (tenant_id, external_id, embedding, quality_score, liveness_ok, metadata,
                         version, created_at, updated_at)
      SELECT r.tenant_id, r.external_id, r.embedding, r.quality, r.liveness,
             CAST(r.metadata AS jsonb), r.version, CAST(:now AS timestamptz),
             CAST(:now AS timestamptz)
      FROM unnest(CAST(:tenants AS text[]), CAST(:keys AS text[]), CAST(:embeddings AS bytea[]),
                  CAST(:qualities AS float8[]), CAST(:liveness AS boolean[]),
                  CAST(:metadata AS text[]), CAST(:versions AS bigint[]))
        AS r(tenant_id, external_id, embedding, quality, liveness, metadata, version)
      ON CONFLICT (tenant_id, external_id) DO NOTHING
      RETURNING tenant_id, external_id, version
      """;
  private static final String NEXT_VERSIONS =
      "SELECT nextval('face_versions') FROM generate_series(1, :count)";
  private static final String REMOVE =
      """
      DELETE FROM faces f
      USING unnest(CAST(:tenants AS text[]), CAST(:keys AS text[])) AS d(tenant_id, external_id)
      WHERE f.tenant_id = d.tenant_id AND f.external_id = d.external_id
      RETURNING f.tenant_id, f.external_id, nextval('face_versions') AS tombstone
      """;

  private BatchFaceWrites() {}

  /**
   * Writes the faces of the {@code registers} (indexes into {@code units}): re-enrols those that
   * replace an existing face, inserts the rest; each unit's outcome goes into {@code outcomes}.
   */
  static void register(
      Handle handle,
      List<? extends UnitOfWork> units,
      List<Integer> registers,
      Instant now,
      Map<Integer, Outcome> outcomes,
      UnitKeys keys) {
    Map<Integer, Sealed> rows = seal(handle, units, registers, keys);
    List<Integer> replacing = new ArrayList<>();
    for (int index : registers) {
      if (((RegisterFace) units.get(index)).replace()) {
        replacing.add(index);
      }
    }
    Map<String, Long> replaced = writeFaces(handle, REENROL, units, replacing, rows, now);
    List<Integer> inserting = new ArrayList<>();
    for (int index : registers) {
      Long version = replaced.get(ArrayColumns.faceKey(units.get(index)));
      if (version != null) {
        outcomes.put(index, new Outcome(OutcomeCode.REPLACED, version));
      } else {
        inserting.add(index);
      }
    }
    Map<String, Long> inserted = writeFaces(handle, INSERT, units, inserting, rows, now);
    for (int index : inserting) {
      Long version = inserted.get(ArrayColumns.faceKey(units.get(index)));
      outcomes.put(
          index,
          version == null
              ? Outcome.rejected(OutcomeCode.ALREADY_REGISTERED)
              : new Outcome(OutcomeCode.REGISTERED, version));
    }
  }

  /** A registration's version and its embedding sealed for it. */
  private record Sealed(long version, byte[] embedding) {}

  /** Draws a version for each of the {@code registers} and seals its embedding for it. */
  private static Map<Integer, Sealed> seal(
      Handle handle, List<? extends UnitOfWork> units, List<Integer> registers, UnitKeys keys) {
    Map<Integer, Sealed> rows = new HashMap<>();
    if (registers.isEmpty()) {
      return rows;
    }
    List<Long> versions =
        handle.createQuery(NEXT_VERSIONS).bind("count", registers.size()).mapTo(Long.class).list();
    for (int i = 0; i < registers.size(); i++) {
      int index = registers.get(i);
      long version = versions.get(i);
      rows.put(index, new Sealed(version, keys.seal((RegisterFace) units.get(index), version)));
    }
    return rows;
  }

  /** Runs a face-writing statement over {@code indexes}; the versions written, by face key. */
  private static Map<String, Long> writeFaces(
      Handle handle,
      String sql,
      List<? extends UnitOfWork> units,
      List<Integer> indexes,
      Map<Integer, Sealed> rows,
      Instant now) {
    Map<String, Long> versions = new HashMap<>();
    if (indexes.isEmpty()) {
      return versions;
    }
    ArrayColumns faces = new ArrayColumns();
    for (int index : indexes) {
      RegisterFace unit = (RegisterFace) units.get(index);
      faces.add(index, unit);
      faces.bytes("embeddings").add(rows.get(index).embedding());
      faces.longs("versions").add(rows.get(index).version());
      faces.doubles("qualities").add(unit.qualityScore());
      faces.booleans("liveness").add(unit.livenessOk());
      faces.strings("metadata").add(Json.metadata(unit.metadata()));
    }
    faces
        .bindTo(
            handle.createQuery(sql).bind("now", now),
            "tenants",
            "keys",
            "embeddings",
            "qualities",
            "liveness",
            "metadata",
            "versions")
        .map(
            (rs, ctx) ->
                versions.put(
                    rs.getString("tenant_id") + "/" + rs.getString("external_id"),
                    rs.getLong("version")))
        .list();
    return versions;
  }

  /** Deletes the faces of the {@code deletes}; each unit's outcome goes into {@code outcomes}. */
  static void delete(
      Handle handle,
      List<? extends UnitOfWork> units,
      List<Integer> deletes,
      Map<Integer, Outcome> outcomes) {
    if (deletes.isEmpty()) {
      return;
    }
    ArrayColumns faces = new ArrayColumns();
    deletes.forEach(index -> faces.add(index, units.get(index)));
    Map<String, Long> tombstones = new HashMap<>();
    faces
        .bindTo(handle.createQuery(REMOVE), "tenants", "keys")
        .map(
            (rs, ctx) ->
                tombstones.put(
                    rs.getString("tenant_id") + "/" + rs.getString("external_id"),
                    rs.getLong("tombstone")))
        .list();
    for (int index : deletes) {
      Long tombstone = tombstones.get(ArrayColumns.faceKey(units.get(index)));
      outcomes.put(
          index,
          tombstone == null
              ? Outcome.rejected(OutcomeCode.FACE_NOT_FOUND)
              : new Outcome(OutcomeCode.DELETED, tombstone));
    }
  }
}
