package io.rekko.worker.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * The face-count side of a batch, settled in one statement at the end of its transaction: each
 * tenant's summed change is applied only if it keeps the count within {@code max_faces}.
 *
 * <p>Why at the end: every new or deleted face changes its tenant's count row, and a row updated
 * early stays locked until commit, so batches sharing a tenant would run one after another. Here
 * the rows are locked by one statement, in tenant order (so two batches cannot deadlock on them),
 * just before the commit. At READ COMMITTED a row waited for is read again once free, so the check
 * always sees the committed count: the quota stays exact.
 *
 * <p>A tenant whose sum would pass its quota is refused as a whole; the caller then decides the
 * batch again one unit at a time, in order, so that the later registrations get {@code
 * quota_exceeded}.
 */
final class Quota {
  private static final String SETTLE =
      """
      WITH change AS (
        SELECT * FROM unnest(CAST(:tenants AS text[]), CAST(:deltas AS bigint[]))
          AS c(tenant_id, delta)),
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

  private Quota() {}

  /**
   * Applies each tenant's change ({@code +1} per face added, {@code -1} per face removed) and
   * answers the tenants whose change was refused because it would pass {@code max_faces}; nothing
   * of theirs was applied.
   */
  static Set<String> settle(Handle handle, Map<String, Long> changes) {
    Map<String, Long> nonZero = new TreeMap<>();
    changes.forEach(
        (tenant, delta) -> {
          if (delta != 0) {
            nonZero.put(tenant, delta);
          }
        });
    if (nonZero.isEmpty()) {
      return Set.of();
    }
    List<String> tenants = new ArrayList<>(nonZero.keySet());
    Set<String> applied =
        new HashSet<>(
            handle
                .createQuery(SETTLE)
                .bindArray("tenants", String.class, tenants)
                .bindArray("deltas", Long.class, new ArrayList<>(nonZero.values()))
                .mapTo(String.class)
                .list());
    Set<String> refused = new HashSet<>();
    for (String tenant : tenants) {
      if (!applied.contains(tenant)) {
        refused.add(tenant);
      }
    }
    return refused;
  }
}
