package io.rekko.worker.store;

import io.rekko.worker.crypto.DataKeys;
import io.rekko.worker.store.UnitOfWork.DeleteFace;
import io.rekko.worker.store.UnitOfWork.RegisterFace;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a batch of units of work in one transaction and answers one result per unit, in the order
 * given. A batch of face units is decided set-based, one statement per step for the whole batch
 * ({@link BatchWrites}); any other batch, or one that the set-based attempt cannot decide alone (a
 * failing statement or unit, a command id the ledger holds under another key), unit by unit, each
 * in its own savepoint ({@link UnitRunner}), where a failing unit fails alone.
 *
 * <p>Face counts are settled at the end ({@link Quota}): the units leave {@code tenant_usage}
 * alone, and one statement just before the commit applies each tenant's summed change, so no batch
 * holds a count row for longer than that statement and batches sharing a tenant run side by side.
 * When a tenant's sum would pass its quota, the transaction is rolled back and the batch decided
 * again with every count row locked first and each unit counting its own face, in the order given
 * (the engine's, oldest first): the later registrations are then the ones refused. That path is
 * taken only near a quota.
 *
 * <p>Deadlock freedom: every batch takes its locks in one global order: unit by unit in (tenant,
 * key) order, the key's fence row and the rows behind it (a tenant's tenant-wide unit comes before
 * its faces, so a batch that creates a tenant and registers its first faces works); then the count
 * rows, sorted by tenant, in one statement. The batch decided again one unit at a time keeps that
 * order: it claims every fence row in key order first, then the count rows, and only then decides
 * its units in the order given (a key's face rows are only ever written by the holder of its fence
 * row, so deciding out of key order adds no wait).
 *
 * <p>Transactions run at READ COMMITTED: every decision is one statement that locks what it decides
 * on ({@code ON CONFLICT}, {@code UPDATE ... WHERE ... RETURNING}), which is correct at that level
 * and never fails with a serialization error the way SERIALIZABLE can.
 */
final class BatchRunner {
  private static final Logger log = LoggerFactory.getLogger(BatchRunner.class);
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
  private final DataKeys dataKeys;
  private final AtomicLong setBased = new AtomicLong();
  private final AtomicLong unitByUnit = new AtomicLong();

  BatchRunner(Jdbi jdbi, Clock clock, DataKeys dataKeys) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.dataKeys = dataKeys;
  }

  List<UnitResult> apply(List<? extends UnitOfWork> units) {
    if (units.isEmpty()) {
      return List.of();
    }
    int[] order = keyOrder(units);
    Instant now = clock.instant();
    UnitResult[] results = new UnitResult[units.size()];
    try {
      // Before any transaction: fetching a key may take a connection and create a row.
      UnitKeys keys = UnitKeys.of(units, dataKeys);
      try {
        if (BatchWrites.fits(units)) {
          try {
            decide(units, order, now, results, true, keys);
          } catch (BatchWrites.Fallback | StatementFailure e) {
            log.debug("batch decided again unit by unit: {}", e.getMessage());
            Arrays.fill(results, null);
            decide(units, order, now, results, false, keys);
          }
        } else {
          decide(units, order, now, results, false, keys);
        }
      } catch (QuotaReached reached) {
        unitByUnit.incrementAndGet();
        jdbi.useTransaction(
            handle -> {
              OptionalLong[] stale = new OptionalLong[units.size()];
              for (int index : order) {
                stale[index] = Fences.claim(handle, units.get(index), keys);
              }
              lockCounts(handle, units);
              TenantStatuses statuses = TenantStatuses.read(handle, statusTenants(units));
              for (int index = 0; index < units.size(); index++) {
                results[index] =
                    stale[index].isPresent()
                        ? new UnitResult.StaleFence(stale[index].getAsLong())
                        : UnitRunner.applyClaimed(
                            handle, units.get(index), now, Counting.EACH_UNIT, statuses, keys);
              }
            });
      }
    } catch (RuntimeException e) {
      throw StoreErrors.translate("batch of " + units.size() + " units of work", e);
    }
    return Arrays.asList(results);
  }

  /**
   * Decides every unit in one transaction, at the end settling the face counts: set-based ({@link
   * BatchWrites}) or unit by unit ({@link UnitRunner}).
   *
   * @throws QuotaReached when a tenant's summed change would pass its quota (rolled back)
   * @throws StatementFailure when a set-based statement failed without taking the connection
   */
  private void decide(
      List<? extends UnitOfWork> units,
      int[] order,
      Instant now,
      UnitResult[] results,
      boolean setBased,
      UnitKeys keys) {
    (setBased ? this.setBased : unitByUnit).incrementAndGet();
    jdbi.useTransaction(
        handle -> {
          TenantStatuses statuses = TenantStatuses.read(handle, statusTenants(units));
          if (setBased) {
            try {
              BatchWrites.apply(handle, units, order, now, statuses, results, keys);
            } catch (BatchWrites.Fallback e) {
              throw e;
            } catch (RuntimeException e) {
              if (StoreErrors.losesTransaction(e)) {
                throw e;
              }
              throw new StatementFailure(e);
            }
          } else {
            for (int index : order) {
              results[index] =
                  UnitRunner.apply(
                      handle, units.get(index), now, Counting.AT_COMMIT, statuses, keys);
            }
          }
          Set<String> refused = Quota.settle(handle, faceCountChanges(units, results));
          if (!refused.isEmpty()) {
            throw new QuotaReached(refused);
          }
        });
  }

  /**
   * A set-based statement failed but the connection stands: one unit may be at fault, so the batch
   * is decided again unit by unit, where it fails alone.
   */
  private static final class StatementFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StatementFailure(RuntimeException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  /** Batch transactions tried set-based so far. */
  long setBasedBatches() {
    return setBased.get();
  }

  /** Batch transactions tried unit by unit so far (the strict quota path included). */
  long unitByUnitBatches() {
    return unitByUnit.get();
  }

  /** Per tenant: faces the batch added minus faces it removed. */
  private static Map<String, Long> faceCountChanges(
      List<? extends UnitOfWork> units, UnitResult[] results) {
    Map<String, Long> changes = new HashMap<>();
    for (int i = 0; i < results.length; i++) {
      if (results[i] instanceof UnitResult.Applied applied) {
        long change =
            switch (applied.outcome().code()) {
              case REGISTERED -> 1;
              case DELETED -> -1;
              default -> 0;
            };
        changes.merge(units.get(i).tenant().value(), change, Long::sum);
      }
    }
    return changes;
  }

  /** Some tenant's summed change would pass its quota: decide the batch one unit at a time. */
  private static final class QuotaReached extends RuntimeException {
    private static final long serialVersionUID = 1L;

    QuotaReached(Set<String> tenants) {
      super("face count would pass max_faces for " + tenants, null, false, false);
    }
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

  /** The tenants that the batch's face units add faces to or remove faces from, sorted. */
  private static Set<String> faceTenants(List<? extends UnitOfWork> units) {
    Set<String> tenants = new TreeSet<>();
    for (UnitOfWork unit : units) {
      if (unit instanceof RegisterFace || unit instanceof DeleteFace) {
        tenants.add(unit.tenant().value());
      }
    }
    return tenants;
  }

  /**
   * The tenants whose status the batch reads (and so holds against an erasure, {@link
   * TenantStatuses}): those of its face units, rejections included, sorted.
   */
  private static Set<String> statusTenants(List<? extends UnitOfWork> units) {
    Set<String> tenants = new TreeSet<>();
    for (UnitOfWork unit : units) {
      if (!unit.key().equals(UnitOfWork.TENANT_KEY)) {
        tenants.add(unit.tenant().value());
      }
    }
    return tenants;
  }

  private static void lockCounts(Handle handle, List<? extends UnitOfWork> units) {
    Set<String> tenants = faceTenants(units);
    if (!tenants.isEmpty()) {
      handle
          .createQuery(LOCK_COUNTS)
          .bindArray("tenants", String.class, tenants)
          .mapTo(String.class)
          .list();
    }
  }
}
