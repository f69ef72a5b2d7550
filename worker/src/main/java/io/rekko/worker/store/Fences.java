package io.rekko.worker.store;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Applies a unit's {@link Guard}: locks the key's fence row (and, for the fallback, an advisory
 * lock) before anything else the unit does, and refuses a stale fence.
 *
 * <p>The check and the update are one statement ({@code ON CONFLICT DO UPDATE ... WHERE}), which
 * locks the row whether or not it updates it; the lock is held until the batch commits. A batch's
 * fences are claimed by one such statement for all its units ({@link #claimAll}); its rows are
 * locked in the order given, which must be the lock order every batch uses.
 *
 * <p>A face's fence row is keyed by the HMAC of its external id ({@link UnitKeys#fenceKey}), not
 * the id: fence rows are never deleted, and must not keep the identifiers of deleted faces. The map
 * from id to HMAC is one-to-one within a tenant, so the lock order by (tenant, external id) is
 * still one order over the rows. The advisory lock of the fallback is taken on the same HMAC.
 */
final class Fences {
  private static final String PRESENT =
      """
      INSERT INTO fences (tenant_id, key, fence) VALUES (:tenant, :key, :fence)
      ON CONFLICT (tenant_id, key) DO UPDATE SET fence = EXCLUDED.fence
        WHERE fences.fence <= EXCLUDED.fence
      RETURNING fence
      """;
  private static final String STORED =
      "SELECT fence FROM fences WHERE tenant_id = :tenant AND key = :key";
  private static final String PRESENT_ALL =
      """
      INSERT INTO fences (tenant_id, key, fence)
      SELECT * FROM unnest(CAST(:tenants AS text[]), CAST(:keys AS text[]),
                           CAST(:fences AS bigint[]))
      ON CONFLICT (tenant_id, key) DO UPDATE SET fence = EXCLUDED.fence
        WHERE fences.fence <= EXCLUDED.fence
      RETURNING tenant_id, key
      """;
  private static final String STORED_ALL =
      """
      SELECT f.tenant_id, f.key, f.fence
      FROM unnest(CAST(:tenants AS text[]), CAST(:keys AS text[])) AS k(tenant_id, key)
      JOIN fences f ON f.tenant_id = k.tenant_id AND f.key = k.key
      """;
  private static final String ADVISORY_LOCK =
      "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(:lock, 0))) AS locked";
  private static final String ADVANCE =
      """
      INSERT INTO fences (tenant_id, key, fence) VALUES (:tenant, :key, 1)
      ON CONFLICT (tenant_id, key) DO UPDATE SET fence = fences.fence + 1
      """;

  private Fences() {}

  /** Empty when the unit may write its key; otherwise the newer fence that is stored. */
  static OptionalLong claim(Handle handle, UnitOfWork unit, UnitKeys keys) {
    return switch (unit.guard()) {
      case Guard.Fence fence ->
          present(handle, unit.tenant().value(), keys.fenceKey(unit), fence.token());
      case Guard.AdvisoryLock lock -> {
        lockAndAdvance(handle, unit.tenant().value(), keys.fenceKey(unit));
        yield OptionalLong.empty();
      }
      case Guard.None none -> OptionalLong.empty();
    };
  }

  /**
   * {@link #claim} for a batch whose units are all fenced or unguarded, in one statement: locks the
   * fence rows in {@code order} (the units' indexes, in lock order), and a stale fence becomes that
   * unit's result.
   */
  static void claimAll(
      Handle handle,
      List<? extends UnitOfWork> units,
      int[] order,
      UnitResult[] results,
      UnitKeys keys) {
    ArrayColumns fenced = new ArrayColumns();
    for (int index : order) {
      UnitOfWork unit = units.get(index);
      if (unit.guard() instanceof Guard.Fence fence) {
        fenced.add(index, unit, keys.fenceKey(unit));
        fenced.longs("fences").add(fence.token());
      }
    }
    if (fenced.isEmpty()) {
      return;
    }
    Set<String> accepted =
        new HashSet<>(
            fenced
                .bindTo(handle.createQuery(PRESENT_ALL), "tenants", "keys", "fences")
                .map((rs, ctx) -> rs.getString("tenant_id") + "/" + rs.getString("key"))
                .list());
    if (accepted.size() == fenced.size()) {
      return;
    }
    Map<String, Long> stored = new HashMap<>();
    fenced
        .bindTo(handle.createQuery(STORED_ALL), "tenants", "keys")
        .map(
            (rs, ctx) ->
                stored.put(
                    rs.getString("tenant_id") + "/" + rs.getString("key"), rs.getLong("fence")))
        .list();
    for (int index : fenced.indexes()) {
      String key = fenced.keyOf(index);
      if (!accepted.contains(key)) {
        // The row exists (the upsert found a conflict) and is locked by us: it cannot change.
        results[index] = new UnitResult.StaleFence(stored.get(key));
      }
    }
  }

  private static OptionalLong present(Handle handle, String tenant, String key, long token) {
    boolean accepted =
        handle
            .createQuery(PRESENT)
            .bind("tenant", tenant)
            .bind("key", key)
            .bind("fence", token)
            .mapTo(Long.class)
            .findOne()
            .isPresent();
    if (accepted) {
      return OptionalLong.empty();
    }
    // The row exists (the upsert found a conflict) and is locked by us: it cannot change.
    return OptionalLong.of(
        handle.createQuery(STORED).bind("tenant", tenant).bind("key", key).mapTo(Long.class).one());
  }

  private static void lockAndAdvance(Handle handle, String tenant, String key) {
    handle.createQuery(ADVISORY_LOCK).bind("lock", tenant + "/" + key).mapTo(Integer.class).one();
    handle.createUpdate(ADVANCE).bind("tenant", tenant).bind("key", key).execute();
  }
}
