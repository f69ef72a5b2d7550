package io.rekko.worker.store;

import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

/**
 * Applies a unit's {@link Guard}: locks the key's fence row (and, for the fallback, an advisory
 * lock) before anything else the unit does, and refuses a stale fence.
 *
 * <p>The check and the update are one statement ({@code ON CONFLICT DO UPDATE ... WHERE}), which
 * locks the row whether or not it updates it; the lock is held until the batch commits.
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
  private static final String ADVISORY_LOCK =
      "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(:lock, 0))) AS locked";
  private static final String ADVANCE =
      """
      INSERT INTO fences (tenant_id, key, fence) VALUES (:tenant, :key, 1)
      ON CONFLICT (tenant_id, key) DO UPDATE SET fence = fences.fence + 1
      """;

  private Fences() {}

  /** Empty when the unit may write its key; otherwise the newer fence that is stored. */
  static OptionalLong claim(Handle handle, UnitOfWork unit) {
    return switch (unit.guard()) {
      case Guard.Fence fence -> present(handle, unit, fence.token());
      case Guard.AdvisoryLock lock -> {
        lockAndAdvance(handle, unit);
        yield OptionalLong.empty();
      }
      case Guard.None none -> OptionalLong.empty();
    };
  }

  private static OptionalLong present(Handle handle, UnitOfWork unit, long token) {
    boolean accepted =
        handle
            .createQuery(PRESENT)
            .bind("tenant", unit.tenant().value())
            .bind("key", unit.key())
            .bind("fence", token)
            .mapTo(Long.class)
            .findOne()
            .isPresent();
    if (accepted) {
      return OptionalLong.empty();
    }
    // The row exists (the upsert found a conflict) and is locked by us: it cannot change.
    return OptionalLong.of(
        handle
            .createQuery(STORED)
            .bind("tenant", unit.tenant().value())
            .bind("key", unit.key())
            .mapTo(Long.class)
            .one());
  }

  private static void lockAndAdvance(Handle handle, UnitOfWork unit) {
    handle
        .createQuery(ADVISORY_LOCK)
        .bind("lock", unit.tenant().value() + "/" + unit.key())
        .mapTo(Integer.class)
        .one();
    handle
        .createUpdate(ADVANCE)
        .bind("tenant", unit.tenant().value())
        .bind("key", unit.key())
        .execute();
  }
}
