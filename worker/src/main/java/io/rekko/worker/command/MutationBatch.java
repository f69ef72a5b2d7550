package io.rekko.worker.command;

import io.rekko.schema.Command;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantId;
import io.rekko.worker.command.BatchLocks.FaceKey;
import io.rekko.worker.engine.HandlerResult;
import io.rekko.worker.outbox.Committed;
import io.rekko.worker.outbox.FaceFill;
import io.rekko.worker.outbox.OutboxRelay;
import io.rekko.worker.redis.CachedFace;
import io.rekko.worker.redis.RedisLocks;
import io.rekko.worker.redis.RedisUnavailableException;
import io.rekko.worker.store.Guard;
import io.rekko.worker.store.Outcome;
import io.rekko.worker.store.OutcomeCode;
import io.rekko.worker.store.Store;
import io.rekko.worker.store.UnitOfWork;
import io.rekko.worker.store.UnitResult;
import io.rekko.worker.support.ContentionException;
import io.rekko.worker.support.Failpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a batch's mutations: locks their faces, applies every unit in one {@link Store#apply}
 * call, publishes the committed events through the {@link OutboxRelay} (while the locks are still
 * held, so a key's events leave in commit order), then counts.
 *
 * <p>Each record's answer: {@code Done} once its outcome is committed (or was committed before, and
 * is re-emitted); {@code Retry} with a retriable cause when its face's lock was busy, its fence was
 * stale, or the store was unreachable; {@code Retry} with the store's non-retriable cause when the
 * unit failed (the engine dead-letters it after its attempts, but for a delete, which {@link
 * CommandProcessor} has retried until it takes effect).
 */
final class MutationBatch {
  private static final Logger log = LoggerFactory.getLogger(MutationBatch.class);

  private final Store store;
  private final RedisLocks locks;
  private final OutboxRelay relay;
  private final Events events;
  private final CommandMetrics metrics;
  private final ReusedIds reusedIds;
  private final ErasedIds erasedIds;
  private final Duration lockWait;

  MutationBatch(
      Store store,
      RedisLocks locks,
      OutboxRelay relay,
      Events events,
      CommandMetrics metrics,
      ReusedIds reusedIds,
      ErasedIds erasedIds,
      Duration lockWait) {
    this.store = store;
    this.locks = locks;
    this.relay = relay;
    this.events = events;
    this.metrics = metrics;
    this.reusedIds = reusedIds;
    this.erasedIds = erasedIds;
    this.lockWait = lockWait;
  }

  /** Applies {@code mutations}, writing each one's answer into {@code results} at its index. */
  void apply(
      List<Mutation> mutations, AtomicReferenceArray<HandlerResult> results, BatchUsage usage) {
    List<FaceKey> faces =
        mutations.stream()
            .filter(Mutation::needsFaceLock)
            .map(m -> m.faceKey().orElseThrow())
            .toList();
    try (BatchLocks held = BatchLocks.acquire(locks, faces, lockWait)) {
      metrics.lockFallbacks(held.fallbacks());
      List<Mutation> ready = new ArrayList<>();
      List<UnitOfWork> units = new ArrayList<>();
      for (Mutation mutation : mutations) {
        Optional<Guard> guard = mutation.faceKey().flatMap(held::guard);
        if (mutation.needsFaceLock() && guard.isEmpty()) {
          results.set(mutation.index(), busy(mutation));
          continue;
        }
        ready.add(mutation);
        units.add(mutation.unit(guard, events));
      }
      if (!units.isEmpty()) {
        commit(ready, units, results, usage);
      }
    }
  }

  private void commit(
      List<Mutation> ready,
      List<UnitOfWork> units,
      AtomicReferenceArray<HandlerResult> results,
      BatchUsage usage) {
    List<UnitResult> outcomes;
    try {
      outcomes = store.apply(units);
    } catch (RuntimeException e) {
      log.warn("a batch of {} units of work failed: {}", units.size(), e.getMessage());
      for (Mutation mutation : ready) {
        results.set(mutation.index(), retry(mutation.command(), e));
      }
      return;
    }
    Failpoints.reach(Failpoints.AFTER_STORE_COMMIT);
    List<Committed> committed = new ArrayList<>();
    List<Applied> applied = new ArrayList<>();
    for (int i = 0; i < ready.size(); i++) {
      Mutation mutation = ready.get(i);
      UnitOfWork unit = units.get(i);
      UnitResult outcome = outcomes.get(i);
      results.set(
          mutation.index(),
          CommandContext.within(
              mutation.command(), () -> settle(mutation, unit, outcome, committed, applied)));
    }
    relay.publishCommitted(committed);
    for (int i = 0; i < ready.size(); i++) {
      if (outcomes.get(i) instanceof UnitResult.Replayed replay) {
        reemit(ready.get(i), replay, results);
      } else if (outcomes.get(i) instanceof UnitResult.Erased) {
        answerErased(ready.get(i), results);
      }
    }
    applied.forEach(done -> count(done, usage));
  }

  /** A mutation whose outcome this batch committed. */
  private record Applied(Command command, Outcome outcome) {}

  private HandlerResult settle(
      Mutation mutation,
      UnitOfWork unit,
      UnitResult outcome,
      List<Committed> committed,
      List<Applied> applied) {
    Command command = mutation.command();
    return switch (outcome) {
      case UnitResult.Applied done -> {
        committed.add(
            new Committed(
                done.outboxId(),
                unit.tenant(),
                done.event(),
                done.outcome().version(),
                faceFill(command, done)));
        applied.add(new Applied(command, done.outcome()));
        record(command, done.outcome());
        yield HandlerResult.done();
      }
      case UnitResult.Replayed replay -> {
        metrics.outcome(command.type(), CommandMetrics.REPLAYED);
        log.debug("already {}: re-emitting its event", replay.outcome().code().code());
        yield HandlerResult.done();
      }
      case UnitResult.Erased erased -> HandlerResult.done(); // answered after the commit
      case UnitResult.StaleFence stale -> staleFence(mutation, stale.storedFence());
      case UnitResult.Reused reused -> reused(mutation, reused);
      case UnitResult.Failed failed -> {
        log.warn("unit of work failed: {}", failed.cause().getMessage());
        yield retry(command, failed.cause());
      }
    };
  }

  /**
   * The face a registration or re-enrolment stored, to fill the cache with after the commit: its
   * embedding as the row holds it, sealed for the version the row got (the store sealed it once,
   * for the row). Empty for every other outcome.
   */
  private static Optional<FaceFill> faceFill(Command command, UnitResult.Applied done) {
    OutcomeCode code = done.outcome().code();
    if (!(command instanceof FaceRegister register)
        || (code != OutcomeCode.REGISTERED && code != OutcomeCode.REPLACED)) {
      return Optional.empty();
    }
    return done.storedEmbedding()
        .map(
            embedding ->
                new FaceFill(
                    register.externalId(),
                    new CachedFace(done.outcome().version(), embedding, register.metadata())));
  }

  private void record(Command command, Outcome outcome) {
    if (outcome.isRejection()) {
      RejectionReason reason = RejectionReason.fromWireName(outcome.code().reason()).orElseThrow();
      metrics.rejected(command.type(), reason);
      log.info("rejected: {}", reason);
    } else {
      metrics.outcome(command.type(), CommandMetrics.APPLIED);
      log.debug("applied: {} (version {})", outcome.code().code(), outcome.version());
    }
  }

  /**
   * A newer lock holder wrote the face (our lock had lapsed, or Redis lost the fencing counter):
   * lift the counter above the stored fence, so the next grant is accepted, and retry.
   */
  private HandlerResult staleFence(Mutation mutation, long storedFence) {
    FaceKey face = mutation.faceKey().orElseThrow();
    try {
      locks.reseed(face.tenant(), face.externalId(), storedFence);
    } catch (RedisUnavailableException e) {
      log.debug("could not reseed the fencing counter: {}", e.getMessage());
    }
    return retry(
        mutation.command(),
        new ContentionException(
            "the store holds a newer fence ("
                + storedFence
                + ") for "
                + face.tenant()
                + "/"
                + face.externalId()
                + "; retrying with a new lock"));
  }

  /** A command id the ledger holds for another key or type: a dead letter ({@link ReusedIds}). */
  private HandlerResult reused(Mutation mutation, UnitResult.Reused reused) {
    try {
      return reusedIds.deadLetter(mutation.command(), reused, mutation.occurredAt());
    } catch (RuntimeException e) {
      return retry(mutation.command(), e);
    }
  }

  private HandlerResult busy(Mutation mutation) {
    FaceKey face = mutation.faceKey().orElseThrow();
    metrics.lockBusy();
    return retry(
        mutation.command(),
        new ContentionException(
            "the lock of "
                + face.tenant()
                + "/"
                + face.externalId()
                + " is held by another worker; retrying later"));
  }

  private void reemit(
      Mutation mutation, UnitResult.Replayed replay, AtomicReferenceArray<HandlerResult> results) {
    try {
      relay.publishOrStore(
          mutation.command().tenantId(), UnitOfWork.keyOf(mutation.command()), replay.event());
    } catch (RuntimeException e) {
      results.set(mutation.index(), retry(mutation.command(), e));
    }
  }

  /** A command carried out before its tenant's erasure ({@link ErasedIds}). */
  private void answerErased(Mutation mutation, AtomicReferenceArray<HandlerResult> results) {
    try {
      CommandContext.within(
          mutation.command(), () -> erasedIds.answer(mutation.command(), mutation.occurredAt()));
    } catch (RuntimeException e) {
      results.set(mutation.index(), retry(mutation.command(), e));
    }
  }

  /**
   * Usage counters, for reporting only: added to the batch's counts, sent once at its end. Replays
   * are not counted again.
   */
  private static void count(Applied applied, BatchUsage usage) {
    TenantId tenant = applied.command().tenantId();
    usage.request(tenant);
    OutcomeCode code = applied.outcome().code();
    if (code == OutcomeCode.REGISTERED) {
      usage.faceCountChange(tenant, 1);
    } else if (code == OutcomeCode.DELETED) {
      usage.faceCountChange(tenant, -1);
    }
  }

  private HandlerResult retry(Command command, Throwable cause) {
    metrics.outcome(command.type(), CommandMetrics.RETRY);
    return new HandlerResult.Retry(cause);
  }
}
