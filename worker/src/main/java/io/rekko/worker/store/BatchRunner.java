package io.rekko.worker.store;

import io.rekko.worker.store.UnitOfWork.DeleteFace;
import io.rekko.worker.store.UnitOfWork.RegisterFace;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Runs a batch of units of work in one transaction, each in its own savepoint (see {@link
 * UnitRunner}), and answers one result per unit, in the order given.
 *
 * <p>Deadlock freedom: every batch takes its locks in one global order. First the count rows
 * ({@code tenant_usage}) of the tenants it has face units for, sorted by tenant, in one statement;
 * then, unit by unit in (tenant, key) order, the key's fence row and the rows behind it (a tenant's
 * tenant-wide unit comes before its faces, so a batch that creates a tenant and registers its first
 * faces works). The count row comes first because every new or deleted face of a tenant updates it:
 * taken in the middle, two batches sharing a tenant and a key would each hold what the other waits
 * for.
 *
 * <p>Transactions run at READ COMMITTED: every decision is one statement that locks what it decides
 * on ({@code ON CONFLICT}, {@code UPDATE ... WHERE ... RETURNING}), which is correct at that level
 * and never fails with a serialization error the way SERIALIZABLE can.
 */
final class BatchRunner {
  private static final String LOCK_COUNTS =
      """
      SELECT tenant_id FROM tenant_usage WHERE tenant_id = ANY(:tenants)
      ORDER BY tenant_id COLLATE "C" FOR UPDATE
      """;

  /** By tenant; within a tenant the tenant-wide unit first, then faces by external id. */
  private static final Comparator<UnitOfWork> KEY_ORDER =
      Comparator.<UnitOfWork, String>comparing(unit -> unit.tenant().value())
          .thenComparing(unit -> !unit.key().equals(UnitOfWork.TENANT_KEY))
          .thenComparing(UnitOfWork::key);

  private final Jdbi jdbi;
  private final Clock clock;

  BatchRunner(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  List<UnitResult> apply(List<? extends UnitOfWork> units) {
    if (units.isEmpty()) {
      return List.of();
    }
    int[] order = keyOrder(units);
    Instant now = clock.instant();
    UnitResult[] results = new UnitResult[units.size()];
    try {
      jdbi.useTransaction(
          handle -> {
            lockCounts(handle, units);
            for (int index : order) {
              results[index] = UnitRunner.apply(handle, units.get(index), now);
            }
          });
    } catch (RuntimeException e) {
      throw StoreErrors.translate("batch of " + units.size() + " units of work", e);
    }
    return Arrays.asList(results);
  }

  /** Indexes of {@code units} in lock order; refuses two units for one key. */
  private static int[] keyOrder(List<? extends UnitOfWork> units) {
    Set<String> keys = new HashSet<>();
    for (UnitOfWork unit : units) {
      if (!keys.add(unit.tenant().value() + "/" + unit.key())) {
        throw new IllegalArgumentException(
            "a batch holds at most one unit per key, but has two for "
                + unit.tenant()
                + "/"
                + unit.key());
      }
    }
    return IntStream.range(0, units.size())
        .boxed()
        .sorted(Comparator.comparing(units::get, KEY_ORDER))
        .mapToInt(Integer::intValue)
        .toArray();
  }

  private static void lockCounts(Handle handle, List<? extends UnitOfWork> units) {
    Set<String> tenants = new TreeSet<>();
    for (UnitOfWork unit : units) {
      if (unit instanceof RegisterFace || unit instanceof DeleteFace) {
        tenants.add(unit.tenant().value());
      }
    }
    if (!tenants.isEmpty()) {
      handle
          .createQuery(LOCK_COUNTS)
          .bindArray("tenants", String.class, tenants)
          .mapTo(String.class)
          .list();
    }
  }
}
