package io.rekko.worker.store;

import io.rekko.worker.store.UnitOfWork.DeleteFace;
import io.rekko.worker.store.UnitOfWork.RegisterFace;
import io.rekko.worker.store.UnitOfWork.Reject;
import io.rekko.worker.store.UnitOfWork.RevokeApiKey;
import io.rekko.worker.store.UnitOfWork.SetTenantStatus;
import io.rekko.worker.store.UnitOfWork.UpsertTenant;
import io.rekko.worker.store.UnitResult.Applied;
import io.rekko.worker.store.UnitResult.Failed;
import io.rekko.worker.store.UnitResult.StaleFence;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

/**
 * Applies one unit of work inside the batch's transaction, within its own savepoint, in this order:
 *
 * <ol>
 *   <li>the guard: lock the key's fence row (and the advisory lock, for the fallback); a stale
 *       fence ends here;
 *   <li>the ledger: a command seen before ends here with its stored outcome;
 *   <li>the effect, or the rejection decided by SQL (or, for a {@link Reject}, by the caller);
 *   <li>the caller's renderer turns the outcome into an event;
 *   <li>the ledger row and the outbox row.
 * </ol>
 *
 * <p>Locking the key before reading the ledger makes a concurrent copy of the same command wait for
 * the first one and then find its ledger row, rather than race it. Anything but {@link Applied}
 * rolls back to the savepoint, so a stale fence, a replay or a failed unit leaves no trace. A
 * failure that took the connection is thrown: the whole batch is lost, and retriable.
 */
final class UnitRunner {
  private static final String SAVEPOINT = "SAVEPOINT unit_of_work";
  private static final String ROLLBACK = "ROLLBACK TO SAVEPOINT unit_of_work";
  private static final String RELEASE = "RELEASE SAVEPOINT unit_of_work";

  private UnitRunner() {}

  static UnitResult apply(
      Handle handle,
      UnitOfWork unit,
      Instant now,
      Counting counting,
      TenantStatuses statuses,
      UnitKeys keys) {
    return run(
        handle,
        unit,
        () -> {
          OptionalLong stale = Fences.claim(handle, unit, keys);
          return stale.isPresent()
              ? new StaleFence(stale.getAsLong())
              : decide(handle, unit, now, counting, statuses, keys);
        });
  }

  /**
   * Like {@link #apply}, for a unit whose guard the caller has already claimed (in this
   * transaction, without a stale fence).
   */
  static UnitResult applyClaimed(
      Handle handle,
      UnitOfWork unit,
      Instant now,
      Counting counting,
      TenantStatuses statuses,
      UnitKeys keys) {
    return run(handle, unit, () -> decide(handle, unit, now, counting, statuses, keys));
  }

  private static UnitResult run(
      Handle handle, UnitOfWork unit, java.util.function.Supplier<UnitResult> decision) {
    handle.execute(SAVEPOINT);
    UnitResult result;
    try {
      result = decision.get();
    } catch (RuntimeException failure) {
      if (StoreErrors.losesTransaction(failure)) {
        throw StoreErrors.translate(unit.describe(), failure);
      }
      result = new Failed(StoreErrors.translate(unit.describe(), failure));
    }
    if (!(result instanceof Applied)) {
      handle.execute(ROLLBACK);
    }
    handle.execute(RELEASE);
    return result;
  }

  private static UnitResult decide(
      Handle handle,
      UnitOfWork unit,
      Instant now,
      Counting counting,
      TenantStatuses statuses,
      UnitKeys keys) {
    Optional<Ledger.Entry> seen = Ledger.find(handle, unit.tenant(), unit.commandId());
    if (seen.isPresent()) {
      return seen.get().answer(unit);
    }
    Outcome outcome = effect(handle, unit, now, counting, statuses, keys);
    PendingEvent event = render(unit, outcome);
    if (!Ledger.record(handle, unit, outcome, event, now)) {
      // The same command id under another key committed first (a producer's mistake; one key
      // cannot race itself past the fence row). Its outcome stands; ours is discarded, and this
      // command is told it reused the id.
      handle.execute(ROLLBACK);
      return Ledger.find(handle, unit.tenant(), unit.commandId())
          .map(entry -> entry.answer(unit))
          .orElseThrow(() -> new IllegalStateException("ledger row vanished"));
    }
    // A rejection's event id may be taken by the answer to an earlier dead letter of the command.
    long outboxId =
        outcome.isRejection()
            ? Outbox.appendRejection(
                handle, unit.tenant(), unit.key(), event, outcome.version(), now)
            : Outbox.append(handle, unit.tenant(), unit.key(), event, outcome.version(), now);
    return new Applied(outcome, event, outboxId, keys.sealedFor(unit, outcome.version()));
  }

  private static Outcome effect(
      Handle handle,
      UnitOfWork unit,
      Instant now,
      Counting counting,
      TenantStatuses statuses,
      UnitKeys keys) {
    if (!(unit instanceof RegisterFace || unit instanceof DeleteFace || unit instanceof Reject)) {
      statuses.forget(unit.tenant());
    }
    return switch (unit) {
      case RegisterFace register ->
          FaceWrites.register(handle, register, now, counting, statuses, keys);
      case DeleteFace delete -> FaceWrites.delete(handle, delete, counting, statuses);
      case UpsertTenant upsert -> TenantWrites.upsert(handle, upsert, now);
      case SetTenantStatus status -> TenantWrites.setStatus(handle, status, now);
      case RevokeApiKey revoke -> TenantWrites.revoke(handle, revoke, now);
      case Reject reject -> Outcome.rejected(reject.code());
    };
  }

  private static PendingEvent render(UnitOfWork unit, Outcome outcome) {
    PendingEvent event;
    try {
      event = unit.renderer().render(outcome);
    } catch (RuntimeException e) {
      throw new StoreException(
          unit.describe() + ": the event renderer failed for outcome " + outcome.code().code(), e);
    }
    if (event == null) {
      throw new StoreException(
          unit.describe() + ": the event renderer returned no event for " + outcome.code().code(),
          null);
    }
    return event;
  }
}
