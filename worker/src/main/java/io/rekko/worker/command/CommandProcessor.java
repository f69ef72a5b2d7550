package io.rekko.worker.command;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rekko.schema.Command;
import io.rekko.schema.CommandCodec;
import io.rekko.schema.CommandType;
import io.rekko.schema.DecodeError;
import io.rekko.schema.DecodeResult;
import io.rekko.schema.EventCodec;
import io.rekko.schema.FaceCommand;
import io.rekko.schema.FaceDelete;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.RateLimit;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantCommand;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantErase;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantUpsert;
import io.rekko.worker.command.TenantGate.Admission;
import io.rekko.worker.crypto.DataKeys;
import io.rekko.worker.engine.HandlerResult;
import io.rekko.worker.engine.RecordHandler;
import io.rekko.worker.outbox.Outbox;
import io.rekko.worker.outbox.OutboxRelay;
import io.rekko.worker.redis.CachedTenant;
import io.rekko.worker.redis.RateLimiter;
import io.rekko.worker.redis.RedisCaches;
import io.rekko.worker.redis.RedisErasure;
import io.rekko.worker.redis.RedisLocks;
import io.rekko.worker.redis.UsageCounters;
import io.rekko.worker.store.PendingEvent;
import io.rekko.worker.store.Store;
import io.rekko.worker.store.Tombstone;
import io.rekko.worker.store.UnitOfWork;
import io.rekko.worker.store.UnitResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's {@link RecordHandler}: carries out a batch of commands (distinct keys) as
 * DESIGN.md's flow says, and answers one {@link HandlerResult} per record.
 *
 * <ol>
 *   <li><b>Decode.</b> An invalid record, or a command on the wrong topic (admin commands on the
 *       admin topic only), is a dead letter; when its tenant and command id were readable, the
 *       tenant's channel gets {@code command.rejected} ({@code invalid_command}) through the
 *       outbox, so it survives a Redis outage.
 *   <li><b>Ledger first.</b> A face mutation already in the ledger re-emits its stored event (same
 *       event id) and is done, whatever the tenant checks would say now; for the other mutations
 *       the store's unit of work finds the ledger row itself.
 *   <li><b>Tenant checks</b> ({@link TenantGate}), then a sealed embedding opened ({@link
 *       CarriedEmbeddings}) and the tenant's embedding rules ({@link FaceRules}), for face commands
 *       only: each tenant's commands in offset order, the batch's tenants side by side ({@link
 *       TenantFanOut}; verifications are carried out there too).
 *   <li><b>Tombstones</b>, for tenant commands: a command issued at or before its tenant's latest
 *       erasure began is refused ({@code tenant_erased}), and so is any but {@code tenant.erase}
 *       while an erasure is under way. A tenant's admin commands share its record key, so nothing
 *       of the tenant's changes between this read and the command's unit of work.
 *   <li><b>Mutations</b> ({@link MutationBatch}): every outcome, refusals decided here included, is
 *       one unit of work (effect or rejection, ledger row, outbox row), all of the batch's in one
 *       store call, under the faces' locks; then published by the {@link OutboxRelay}.
 *   <li><b>Erasures</b> ({@link Eraser}): {@code tenant.erase} runs its steps as it is routed, each
 *       a transaction of its own.
 *   <li><b>Verifications</b> ({@link Verifier}): reads, not ledgered; the event is published
 *       directly, or written to the outbox when Redis cannot take it.
 * </ol>
 *
 * <p>Thread-safe: the engine calls it from many virtual threads at once. An unexpected failure of
 * one record is that record's {@code Retry}; it never fails its batch-mates. A {@code
 * face.delete}'s {@code Retry} is always {@link HandlerResult#retryUntilDone until done}: it is
 * retried until it takes effect ({@code face.deleted}, or {@code face_not_found}), never
 * dead-lettered for a failure.
 */
public final class CommandProcessor implements RecordHandler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CommandProcessor.class);

  private final CommandCodec codec;
  private final String adminTopic;
  private final Duration maxClockSkew;
  private final Store store;
  private final UsageCounters counters;
  private final OutboxRelay relay;
  private final Clock clock;
  private final Events events;
  private final TenantGate gate;
  private final Verifier verifier;
  private final MutationBatch mutations;
  private final CommandMetrics metrics;
  private final CacheReads reads;
  private final ReusedIds reusedIds;
  private final CarriedEmbeddings embeddings;
  private final ErasedIds erasedIds;
  private final Eraser eraser;

  private final TenantFanOut tenants = new TenantFanOut();

  /** Built by {@link CommandHandlers}, which owns the parts and closes them. */
  CommandProcessor(
      CommandSettings settings,
      CommandCodec codec,
      Store store,
      CarriedEmbeddings embeddings,
      RedisLocks locks,
      RateLimiter limiter,
      RedisCaches caches,
      UsageCounters counters,
      RedisErasure redisErasure,
      DataKeys dataKeys,
      Outbox outbox,
      Clock clock,
      MeterRegistry registry) {
    this.codec = codec;
    this.adminTopic = settings.adminTopic();
    this.maxClockSkew = settings.maxClockSkew();
    this.store = store;
    this.embeddings = embeddings;
    this.counters = counters;
    this.relay = outbox.relay();
    this.clock = clock;
    this.events = new Events(EventCodec.withDefaults());
    this.metrics = new CommandMetrics(registry);
    this.reads = new CacheReads(store, caches, outbox.invalidationWatch());
    this.gate = new TenantGate(limiter::tryAcquire, settings.maxCommandAge(), clock);
    this.verifier = new Verifier(reads);
    this.reusedIds = new ReusedIds(relay, events, metrics);
    this.erasedIds = new ErasedIds(relay, events, metrics);
    this.mutations =
        new MutationBatch(
            store, locks, relay, events, metrics, reusedIds, erasedIds, settings.lockWait());
    this.eraser =
        new Eraser(
            store, redisErasure, dataKeys, relay, events, metrics, reusedIds, erasedIds, clock);
  }

  @Override
  public List<HandlerResult> handle(List<ConsumerRecord<byte[], byte[]>> batch) {
    List<DecodeResult> decoded = new ArrayList<>(batch.size());
    for (ConsumerRecord<byte[], byte[]> record : batch) {
      String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
      decoded.add(
          StorableText.check(
              withinLimits(
                  notLater(onItsTopic(record.topic(), codec.decode(key, record.value()))))));
    }
    List<HandlerResult> answers;
    try {
      answers = carryOut(decoded);
    } catch (RuntimeException e) {
      // A bug: answered here rather than thrown, so that each delete's answer still says that it
      // must not be given up on (the engine's answer for a thrown batch cannot).
      log.error("a batch of {} commands failed unexpectedly", batch.size(), e);
      answers = new ArrayList<>(Collections.nCopies(batch.size(), new HandlerResult.Retry(e)));
    }
    for (int i = 0; i < answers.size(); i++) {
      answers.set(i, untilDoneIfErasing(decoded.get(i), answers.get(i)));
    }
    return answers;
  }

  /**
   * A failed {@code face.delete} or {@code tenant.erase} is retried until it takes effect, never
   * dead-lettered for its failures: a data subject's deletion must happen, and an erasure given up
   * half-way would leave its tenant {@code erasing} (their decode failures are dead letters still).
   */
  private static HandlerResult untilDoneIfErasing(DecodeResult decoded, HandlerResult answer) {
    if (answer instanceof HandlerResult.Retry retry
        && !retry.untilDone()
        && decoded instanceof DecodeResult.Decoded ok
        && (ok.command() instanceof FaceDelete || ok.command() instanceof TenantErase)) {
      return HandlerResult.retryUntilDone(retry.cause());
    }
    return answer;
  }

  private List<HandlerResult> carryOut(List<DecodeResult> decoded) {
    int size = decoded.size();
    // Written from the tenants' threads. An array of the sealed interface type would make C2
    // speculate on the stored class at each store, and each tenant's first other answer undid the
    // compiled routing code: hundreds of recompilations in a drain.
    AtomicReferenceArray<HandlerResult> results = new AtomicReferenceArray<>(size);
    Map<UUID, UnitResult> seen = ledgered(decoded);
    Mutation[] admitted = new Mutation[size];
    BatchUsage usage = new BatchUsage();
    Map<TenantId, List<Integer>> faceCommands = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      if (decoded.get(i) instanceof DecodeResult.Decoded ok
          && ok.command() instanceof FaceCommand face) {
        faceCommands.computeIfAbsent(face.tenantId(), t -> new ArrayList<>()).add(i);
      } else {
        results.set(i, route(i, decoded.get(i), seen, admitted, usage, null));
      }
    }
    checkByTenant(faceCommands, decoded, seen, admitted, usage, results);
    List<Mutation> pending = new ArrayList<>();
    for (Mutation mutation : admitted) {
      if (mutation != null) {
        pending.add(mutation);
      }
    }
    if (!pending.isEmpty()) {
      applyMutations(pending, results, usage);
    }
    usage.sendTo(counters);
    List<HandlerResult> answers = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      answers.add(results.get(i));
    }
    return answers;
  }

  /**
   * A valid command read from the wrong topic becomes invalid ({@code wrong_topic}): admin commands
   * are taken from the admin topic only, which Kafka ACLs let fewer principals write, so one sent
   * to the commands topic must not take effect; and a face command on the admin topic is a
   * producer's mistake.
   */
  private DecodeResult onItsTopic(String topic, DecodeResult result) {
    if (result instanceof DecodeResult.Decoded ok
        && ok.command().type().isAdmin() != topic.equals(adminTopic)) {
      return new DecodeResult.Invalid(DecodeError.wrongTopic(ok.command(), topic, adminTopic));
    }
    return result;
  }

  /**
   * A valid command issued later than the clock allows becomes invalid ({@code issued_at}, rule
   * {@code maxClockSkew}): its age would never pass {@code command.max-command-age}, and it would
   * pass the tombstone an erasure leaves (which refuses only commands issued before it).
   */
  private DecodeResult notLater(DecodeResult result) {
    if (result instanceof DecodeResult.Decoded ok) {
      Instant now = clock.instant();
      if (ok.command().envelope().issuedAt().isAfter(now.plus(maxClockSkew))) {
        return new DecodeResult.Invalid(
            DecodeError.issuedInTheFuture(ok.command(), maxClockSkew, now));
      }
    }
    return result;
  }

  /**
   * A tenant configuration whose rate limit passes what the limiter keeps a log of ({@link
   * RateLimiter#MAX_LOG_ENTRIES}) becomes invalid: each admitted command costs a log entry in Redis
   * for a whole window, so an unbounded limit is unbounded memory.
   */
  private static DecodeResult withinLimits(DecodeResult result) {
    if (result instanceof DecodeResult.Decoded ok && ok.command() instanceof TenantUpsert upsert) {
      for (Map.Entry<CommandType, RateLimit> limit : upsert.config().rateLimits().entrySet()) {
        if (limit.getValue().limit() > RateLimiter.MAX_LOG_ENTRIES) {
          return new DecodeResult.Invalid(
              DecodeError.rateLimitTooHigh(upsert, limit.getKey(), RateLimiter.MAX_LOG_ENTRIES));
        }
      }
    }
    return result;
  }

  /**
   * Routes the face commands, each tenant's in offset order and the tenants side by side; returns
   * once all are routed.
   */
  private void checkByTenant(
      Map<TenantId, List<Integer>> faceCommands,
      List<DecodeResult> decoded,
      Map<UUID, UnitResult> seen,
      Mutation[] admitted,
      BatchUsage usage,
      AtomicReferenceArray<HandlerResult> results) {
    tenants.runAll(
        faceCommands,
        (tenant, indexes) -> {
          CacheReads.Tenant reads = this.reads.of(tenant);
          for (int i : indexes) {
            results.set(i, route(i, decoded.get(i), seen, admitted, usage, reads));
          }
        },
        results);
  }

  private void applyMutations(
      List<Mutation> pending, AtomicReferenceArray<HandlerResult> results, BatchUsage usage) {
    try {
      mutations.apply(pending, results, usage);
    } catch (RuntimeException e) {
      // A bug or an unforeseen failure: the mutations still unanswered are tried again.
      log.error("a batch of {} mutations failed unexpectedly", pending.size(), e);
      for (Mutation mutation : pending) {
        if (results.get(mutation.index()) == null) {
          results.set(mutation.index(), new HandlerResult.Retry(e));
        }
      }
    }
  }

  /** Stops starting tenants' checks on their own threads; a closing batch runs them itself. */
  @Override
  public void close() {
    tenants.close();
  }

  /**
   * The ledger rows of the batch's face mutations, read in one query: a redelivered command is
   * answered from its row before any tenant check. (Tenant-wide mutations find their row inside
   * their unit of work.) Empty when the ledger cannot be read now: each unit of work checks the
   * ledger again inside its transaction, so a replay still wins there.
   */
  private Map<UUID, UnitResult> ledgered(List<DecodeResult> decoded) {
    Map<UUID, Store.LedgerKey> faceMutations = new HashMap<>();
    Set<UUID> repeated = new HashSet<>();
    for (DecodeResult result : decoded) {
      if (result instanceof DecodeResult.Decoded ok
          && ok.command() instanceof FaceCommand face
          && !(face instanceof FaceVerify)) {
        Store.LedgerKey key =
            new Store.LedgerKey(face.tenantId(), face.externalId().value(), face.type());
        if (faceMutations.putIfAbsent(face.commandId(), key) != null) {
          repeated.add(face.commandId());
        }
      }
    }
    // An id two records of the batch share is left to each one's unit of work, which compares the
    // ledger row with its own key and type.
    repeated.forEach(faceMutations::remove);
    try {
      return store.ledgered(faceMutations);
    } catch (RuntimeException e) {
      log.warn("the ledger could not be read before the batch: {}", e.getMessage());
      return Map.of();
    }
  }

  /**
   * The record's answer, or null when it became a {@link Mutation} (set at its index in {@code
   * admitted}).
   */
  private HandlerResult route(
      int index,
      DecodeResult decoded,
      Map<UUID, UnitResult> seen,
      Mutation[] admitted,
      BatchUsage usage,
      CacheReads.Tenant reads) {
    return switch (decoded) {
      case DecodeResult.Invalid invalid ->
          CommandContext.within(invalid.error(), () -> deadLetter(invalid.error()));
      case DecodeResult.Decoded ok ->
          CommandContext.within(
              ok.command(), () -> route(index, ok.command(), seen, admitted, usage, reads));
    };
  }

  private HandlerResult route(
      int index,
      Command command,
      Map<UUID, UnitResult> seen,
      Mutation[] admitted,
      BatchUsage usage,
      CacheReads.Tenant reads) {
    try {
      Instant now = clock.instant();
      return switch (command) {
        case FaceVerify verify -> verify(verify, now, usage, reads);
        case FaceCommand face ->
            admit(
                index, face, now, Optional.ofNullable(seen.get(face.commandId())), admitted, reads);
        case TenantCommand tenant -> {
          Optional<Refusal> refusal = tombstoneRefusal(tenant);
          if (tenant instanceof TenantErase erase && refusal.isEmpty()) {
            yield eraser.erase(erase);
          }
          admitted[index] = new Mutation(index, tenant, refusal, now);
          yield null;
        }
      };
    } catch (RuntimeException e) {
      log.warn("command failed before the store: {}", e.getMessage());
      metrics.outcome(command.type(), CommandMetrics.RETRY);
      return new HandlerResult.Retry(e);
    }
  }

  /**
   * {@code tenant_erased} for a tenant command issued at or before the tenant's latest erasure
   * began (unless it is that erasure's own command, resuming), or for a tenant command other than
   * {@code tenant.erase} while an erasure is under way.
   */
  private Optional<Refusal> tombstoneRefusal(TenantCommand command) {
    Optional<Tombstone> tombstone = store.tombstone(command.tenantId());
    if (tombstone.isEmpty()) {
      return Optional.empty();
    }
    Tombstone erased = tombstone.get();
    if (command instanceof TenantErase) {
      boolean other = !erased.latestCommand().equals(command.commandId());
      return other && erased.precedes(command.envelope().issuedAt())
          ? Optional.of(issuedBeforeErasure(command, erased))
          : Optional.empty();
    }
    if (erased.underWay()) {
      return Optional.of(
          Refusal.of(RejectionReason.TENANT_ERASED, Messages.erasureUnderWay(command)));
    }
    return erased.precedes(command.envelope().issuedAt())
        ? Optional.of(issuedBeforeErasure(command, erased))
        : Optional.empty();
  }

  private static Refusal issuedBeforeErasure(Command command, Tombstone erased) {
    return Refusal.of(
        RejectionReason.TENANT_ERASED, Messages.issuedBeforeErasure(command, erased.latestStart()));
  }

  /** Ledger first, then the tenant checks; the mutation (or its rejection) joins the batch. */
  private HandlerResult admit(
      int index,
      FaceCommand command,
      Instant now,
      Optional<UnitResult> seen,
      Mutation[] admitted,
      CacheReads.Tenant reads) {
    if (seen.isPresent() && seen.get() instanceof UnitResult.Reused reused) {
      return reusedIds.deadLetter(command, reused, now);
    }
    if (seen.isPresent() && seen.get() instanceof UnitResult.Erased) {
      return erasedIds.answer(command, now);
    }
    if (seen.isPresent() && seen.get() instanceof UnitResult.Replayed replayed) {
      relay.publishOrStore(command.tenantId(), UnitOfWork.keyOf(command), replayed.event());
      metrics.outcome(command.type(), CommandMetrics.REPLAYED);
      log.debug("already {}: re-emitting its event", replayed.outcome().code().code());
      return HandlerResult.done();
    }
    admitted[index] =
        switch (gate.admit(command, reads)) {
          case Admission.Refused refused ->
              new Mutation(index, command, Optional.of(refused.refusal()), now);
          case Admission.Admitted passed ->
              command instanceof FaceRegister register
                  ? registration(index, register, passed.tenant().config(), now)
                  : new Mutation(index, command, Optional.empty(), now);
        };
    return null;
  }

  /**
   * An admitted registration, its embedding in the clear (a sealed one opened: {@link
   * CarriedEmbeddings}), with the tenant's embedding rules' refusal if any.
   */
  private Mutation registration(
      int index, FaceRegister register, TenantConfig tenant, Instant now) {
    Optional<FaceRegister> clear = embeddings.inTheClear(register);
    if (clear.isEmpty()) {
      return new Mutation(index, register, Optional.of(CarriedEmbeddings.doesNotOpen()), now);
    }
    return new Mutation(index, clear.get(), FaceRules.register(clear.get(), tenant), now);
  }

  private HandlerResult verify(
      FaceVerify command, Instant now, BatchUsage usage, CacheReads.Tenant reads) {
    Timer.Sample started = Timer.start();
    Verifier.Verdict verdict =
        switch (gate.admit(command, reads)) {
          case Admission.Refused refused -> new Verifier.Verdict.Refused(refused.refusal());
          case Admission.Admitted admitted -> verification(command, admitted.tenant(), reads);
        };
    PendingEvent event =
        switch (verdict) {
          case Verifier.Verdict.Compared compared -> {
            metrics.outcome(command.type(), CommandMetrics.VERIFIED);
            log.debug("verified: matched={}", compared.result().matched());
            yield events.pending(Events.event(command, now, compared.result()));
          }
          case Verifier.Verdict.Refused refused -> {
            metrics.rejected(command.type(), refused.refusal().reason());
            log.info("rejected: {}", refused.refusal().reason());
            yield events.rejection(command, refused.refusal(), now);
          }
        };
    relay.publishOrStore(command.tenantId(), UnitOfWork.keyOf(command), event);
    usage.request(command.tenantId());
    started.stop(metrics.verifyLatency());
    return HandlerResult.done();
  }

  /** An admitted verification's verdict, its probe in the clear (a sealed one opened). */
  private Verifier.Verdict verification(
      FaceVerify command, CachedTenant tenant, CacheReads.Tenant reads) {
    Optional<FaceVerify> clear = embeddings.inTheClear(command);
    if (clear.isEmpty()) {
      return new Verifier.Verdict.Refused(CarriedEmbeddings.doesNotOpen());
    }
    return verifier.verify(clear.get(), tenant, reads);
  }

  private HandlerResult deadLetter(DecodeError error) {
    try {
      error
          .rejection(clock.instant())
          .ifPresent(event -> relay.publishStored(event.tenantId(), events.pending(event)));
    } catch (RuntimeException e) {
      log.warn("dead letter's rejection could not be written: {}", e.getMessage());
      metrics.outcome(error.commandType().orElse(null), CommandMetrics.RETRY);
      return new HandlerResult.Retry(e);
    }
    metrics.deadLetter(error.commandType());
    log.info("dead letter: {}", error.describe());
    return new HandlerResult.DeadLetter(
        error.code().wireName(), error.field(), error.rule(), error.message());
  }
}
