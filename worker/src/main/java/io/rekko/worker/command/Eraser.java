package io.rekko.worker.command;

import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantErase;
import io.rekko.schema.TenantErased;
import io.rekko.schema.TenantId;
import io.rekko.schema.Topics;
import io.rekko.worker.crypto.DataKeys;
import io.rekko.worker.engine.HandlerResult;
import io.rekko.worker.outbox.Committed;
import io.rekko.worker.outbox.OutboxRelay;
import io.rekko.worker.redis.RedisErasure;
import io.rekko.worker.store.Erasure;
import io.rekko.worker.store.ErasureCounts;
import io.rekko.worker.store.Invalidation;
import io.rekko.worker.store.PendingEvent;
import io.rekko.worker.store.Store;
import io.rekko.worker.store.UnitOfWork;
import io.rekko.worker.store.UnitResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out {@code tenant.erase}: the store's {@link Erasure} step by step, the tenant's Redis
 * keys ({@link RedisErasure}) and its data key in this worker's memory ({@link DataKeys#forget}) in
 * between, then the outcome, {@code tenant.erased} with the counts, published through the outbox.
 *
 * <p>The order matters. The tenant is marked erasing first, and its caches are invalidated on every
 * worker through the outbox (a row that only invalidates), so that its face commands are refused
 * from then on; its data key goes next, so that whatever was sealed under it, wherever a copy is,
 * can no longer be opened; its Redis keys are found by the external ids its faces and its ledger
 * rows name (fence rows hold HMACs), so they go before those rows; its events go last, since
 * commands that race the erasure keep writing their rejections until the tenant row is gone.
 *
 * <p>Resumable and idempotent: every step is, so a failure anywhere answers {@code Retry} and the
 * redelivered command runs them all again, finishing what was cut short; once finished, the ledger
 * answers it with the same {@code tenant.erased}. Other workers drop their copy of the tenant's
 * data key when their invalidation watch sees the erasure begin.
 *
 * <p>Refusals (a command issued before another erasure of the tenant) are decided before, by the
 * processor, and go through the store like any rejection.
 */
final class Eraser {
  private static final Logger log = LoggerFactory.getLogger(Eraser.class);

  /** Rows read from the store at a time, whose faces' Redis keys are then deleted at once. */
  static final int PAGE = 500;

  private final Store store;
  private final RedisErasure redis;
  private final DataKeys dataKeys;
  private final OutboxRelay relay;
  private final Events events;
  private final CommandMetrics metrics;
  private final ReusedIds reusedIds;
  private final ErasedIds erasedIds;
  private final Clock clock;

  Eraser(
      Store store,
      RedisErasure redis,
      DataKeys dataKeys,
      OutboxRelay relay,
      Events events,
      CommandMetrics metrics,
      ReusedIds reusedIds,
      ErasedIds erasedIds,
      Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.redis = Objects.requireNonNull(redis, "redis");
    this.dataKeys = Objects.requireNonNull(dataKeys, "dataKeys");
    this.relay = Objects.requireNonNull(relay, "relay");
    this.events = Objects.requireNonNull(events, "events");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.reusedIds = Objects.requireNonNull(reusedIds, "reusedIds");
    this.erasedIds = Objects.requireNonNull(erasedIds, "erasedIds");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Erases the command's tenant, or finishes erasing it, or repeats the outcome; {@code Retry} when
   * a step failed (the store or Redis away, most often): the command comes again and resumes.
   */
  HandlerResult erase(TenantErase command) {
    try {
      return eraseOrResume(command);
    } catch (RuntimeException e) {
      log.warn(
          "erasure of tenant {} cut short, to be resumed: {}", command.tenantId(), e.toString());
      metrics.outcome(command.type(), CommandMetrics.RETRY);
      return new HandlerResult.Retry(e);
    }
  }

  private HandlerResult eraseOrResume(TenantErase command) {
    TenantId tenant = command.tenantId();
    UUID id = command.commandId();
    Optional<UnitResult> seen =
        Optional.ofNullable(
            store
                .ledgered(
                    Map.of(id, new Store.LedgerKey(tenant, UnitOfWork.TENANT_KEY, command.type())))
                .get(id));
    if (seen.isPresent()) {
      return answerSeen(command, seen.get());
    }
    Erasure erasure = store.erasure(tenant, id);
    PendingEvent signal = signal(command);
    Erasure.Start start = erasure.begin(signal);
    start
        .signalRow()
        .ifPresent(row -> relay.publishCommitted(List.of(new Committed(row, tenant, signal, 0))));
    if (!start.finished()) {
      log.info(
          "erasing tenant {} (begun {}){}",
          tenant,
          start.startedAt(),
          command.reason().map(reason -> ": " + reason).orElse(""));
      run(erasure);
    }
    UnitResult finished = erasure.finish(counts -> tenantErased(command, counts));
    dataKeys.forget(tenant);
    return switch (finished) {
      case UnitResult.Applied applied -> {
        relay.publishCommitted(
            List.of(new Committed(applied.outboxId(), tenant, applied.event(), 0)));
        metrics.outcome(command.type(), CommandMetrics.APPLIED);
        log.info("erased tenant {}", tenant);
        yield HandlerResult.done();
      }
      default -> answerSeen(command, finished);
    };
  }

  /** The steps between the beginning and the end; each one skips what is done already. */
  private void run(Erasure erasure) {
    TenantId tenant = erasure.tenant();
    erasure.destroyDataKey();
    dataKeys.forget(tenant);
    eraseRedisKeys(erasure);
    erasure.eraseFaces();
    erasure.eraseRevocations();
    erasure.eraseFences();
    erasure.eraseOutbox();
    erasure.bareLedger();
  }

  /**
   * Deletes the tenant's Redis keys: those of every face it has, then of every face its ledger
   * names, a page at a time, then the tenant-wide ones; each page's count is kept as it goes. A
   * face named twice is deleted twice, which finds nothing the second time.
   */
  private void eraseRedisKeys(Erasure erasure) {
    TenantId tenant = erasure.tenant();
    RedisErasure.Names names = redis.names(tenant);
    Optional<ExternalId> after = Optional.empty();
    while (true) {
      List<ExternalId> faces = erasure.faces(after, PAGE);
      eraseFaceKeys(erasure, faces, names);
      if (faces.size() < PAGE) {
        break;
      }
      after = Optional.of(faces.getLast());
    }
    Optional<UUID> next = Optional.empty();
    do {
      Erasure.LedgerPage page = erasure.ledgerFaces(next, PAGE);
      eraseFaceKeys(erasure, page.faces(), names);
      next = page.next();
    } while (next.isPresent());
    erasure.countRedisKeys(redis.eraseTenant(tenant, names));
  }

  private void eraseFaceKeys(Erasure erasure, List<ExternalId> faces, RedisErasure.Names names) {
    if (!faces.isEmpty()) {
      erasure.countRedisKeys(redis.eraseFaces(erasure.tenant(), faces, names));
    }
  }

  /** A redelivered erase: its stored outcome, or why it cannot have one. */
  private HandlerResult answerSeen(TenantErase command, UnitResult seen) {
    return switch (seen) {
      case UnitResult.Replayed replayed -> {
        relay.publishOrStore(command.tenantId(), UnitOfWork.TENANT_KEY, replayed.event());
        metrics.outcome(command.type(), CommandMetrics.REPLAYED);
        log.debug("already erased: re-emitting tenant.erased");
        yield HandlerResult.done();
      }
      case UnitResult.Reused reused -> reusedIds.deadLetter(command, reused, clock.instant());
      case UnitResult.Erased erased -> erasedIds.answer(command, clock.instant());
      case UnitResult.Applied applied ->
          throw new IllegalStateException("the ledger answered with a new outcome");
      case UnitResult.StaleFence stale ->
          throw new IllegalStateException("an erasure takes no fence");
      case UnitResult.Failed failed -> throw failed.cause();
    };
  }

  private PendingEvent tenantErased(TenantErase command, ErasureCounts counts) {
    return events.pending(
        Events.event(
            command,
            clock.instant(),
            new TenantErased(
                counts.faces(),
                counts.fences(),
                counts.apiKeyRevocations(),
                counts.bareLedgerRows(),
                counts.outboxRows(),
                counts.dataKeys(),
                counts.redisKeys())));
  }

  /**
   * The outbox row that invalidates every cache entry of the tenant on every worker, before any of
   * its data goes: named after the command, so the erasure writes it once however often it runs.
   */
  private static PendingEvent signal(TenantErase command) {
    UUID id =
        UUID.nameUUIDFromBytes((command.commandId() + "/erasing").getBytes(StandardCharsets.UTF_8));
    return PendingEvent.invalidationOnly(
        id, Topics.eventsChannel(command.tenantId()), new Invalidation.TenantCaches());
  }
}
