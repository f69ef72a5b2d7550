package io.rekko.worker.command;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rekko.schema.Command;
import io.rekko.schema.CommandCodec;
import io.rekko.schema.DecodeError;
import io.rekko.schema.DecodeResult;
import io.rekko.schema.EventCodec;
import io.rekko.schema.FaceCommand;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.TenantCommand;
import io.rekko.schema.TenantId;
import io.rekko.worker.command.TenantGate.Admission;
import io.rekko.worker.engine.HandlerResult;
import io.rekko.worker.engine.RecordHandler;
import io.rekko.worker.redis.EventPublisher;
import io.rekko.worker.redis.RateLimiter;
import io.rekko.worker.redis.RedisCaches;
import io.rekko.worker.redis.RedisLocks;
import io.rekko.worker.redis.UsageCounters;
import io.rekko.worker.store.PendingEvent;
import io.rekko.worker.store.Store;
import io.rekko.worker.store.UnitResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's {@link RecordHandler}: carries out a batch of commands (distinct keys) as
 * DESIGN.md's flow says, and answers one {@link HandlerResult} per record.
 *
 * <ol>
 *   <li><b>Decode.</b> An invalid record is a dead letter; when its tenant and command id were
 *       readable, the tenant's channel gets {@code command.rejected} ({@code invalid_command})
 *       through the outbox, so it survives a Redis outage.
 *   <li><b>Ledger first.</b> A face mutation already in the ledger re-emits its stored event (same
 *       event id) and is done, whatever the tenant checks would say now; for the other mutations
 *       the store's unit of work finds the ledger row itself.
 *   <li><b>Tenant checks</b> ({@link TenantGate}) and the tenant's embedding rules ({@link
 *       FaceRules}), for face commands only.
 *   <li><b>Mutations</b> ({@link MutationBatch}): every outcome, refusals decided here included, is
 *       one unit of work (effect or rejection, ledger row, outbox row), all of the batch's in one
 *       store call, under the faces' locks; then published by the {@link OutboxRelay}.
 *   <li><b>Verifications</b> ({@link Verifier}): reads, not ledgered, each on its own virtual
 *       thread while the mutations are carried out; the event is published directly, or written
 *       to the outbox when Redis cannot take it.
 * </ol>
 *
 * <p>Thread-safe: the engine calls it from many virtual threads at once. An unexpected failure of
 * one record is that record's {@code Retry}; it never fails its batch-mates.
 */
public final class CommandProcessor implements RecordHandler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CommandProcessor.class);

  private final CommandCodec codec;
  private final Store store;
  private final UsageCounters counters;
  private final OutboxRelay relay;
  private final Clock clock;
  private final Events events;
  private final TenantGate gate;
  private final Verifier verifier;
  private final MutationBatch mutations;
  private final CommandMetrics metrics;

  /**
   * Runs a batch's verifications side by side, while its mutations are carried out: they are
   * reads of distinct keys, so none waits behind another's Redis calls or the mutations' commit.
   */
  private final ExecutorService verifications =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("rekko-verify-", 0).factory());

  private CommandProcessor(
      CommandSettings settings,
      CommandCodec codec,
      Store store,
      RedisLocks locks,
      RateLimiter limiter,
      RedisCaches caches,
      UsageCounters counters,
      OutboxRelay relay,
      Clock clock,
      MeterRegistry registry) {
    this.codec = codec;
    this.store = store;
    this.counters = counters;
    this.relay = relay;
    this.clock = clock;
    this.events = new Events(EventCodec.withDefaults());
    this.metrics = new CommandMetrics(registry);
    CacheReads reads = new CacheReads(store, caches, relay.invalidationWatch());
    this.gate = new TenantGate(reads, limiter, settings.maxCommandAge(), clock);
    this.verifier = new Verifier(reads);
    this.mutations =
        new MutationBatch(store, locks, relay, events, metrics, settings.lockWait());
  }

  /**
   * Builds the processor from the worker's parts. It owns none of them: the caller closes them (the
   * relay before the store and the Redis connections).
   *
   * @param publisher the relay's publisher; taken here so that the composition root states every
   *     Redis block the handlers use, and checked to be non-null
   */
  public static CommandProcessor create(
      CommandSettings settings,
      CommandCodec codec,
      Store store,
      RedisLocks locks,
      RateLimiter limiter,
      RedisCaches caches,
      UsageCounters counters,
      EventPublisher publisher,
      OutboxRelay relay,
      Clock clock,
      MeterRegistry registry) {
    Objects.requireNonNull(publisher, "publisher");
    return new CommandProcessor(
        Objects.requireNonNull(settings, "settings"),
        Objects.requireNonNull(codec, "codec"),
        Objects.requireNonNull(store, "store"),
        Objects.requireNonNull(locks, "locks"),
        Objects.requireNonNull(limiter, "limiter"),
        Objects.requireNonNull(caches, "caches"),
        Objects.requireNonNull(counters, "counters"),
        Objects.requireNonNull(relay, "relay"),
        Objects.requireNonNull(clock, "clock"),
        Objects.requireNonNull(registry, "registry"));
  }

  @Override
  public List<HandlerResult> handle(List<ConsumerRecord<byte[], byte[]>> batch) {
    HandlerResult[] results = new HandlerResult[batch.size()];
    List<DecodeResult> decoded = new ArrayList<>(batch.size());
    for (ConsumerRecord<byte[], byte[]> record : batch) {
      String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
      decoded.add(codec.decode(key, record.value()));
    }
    Map<UUID, UnitResult.Replayed> seen = ledgered(decoded);
    List<Mutation> pending = new ArrayList<>();
    BatchUsage usage = new BatchUsage();
    Map<Integer, Future<HandlerResult>> verifying = new HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      if (decoded.get(i) instanceof DecodeResult.Decoded ok && ok.command() instanceof FaceVerify) {
        int index = i;
        try {
          verifying.put(i, verifications.submit(() -> route(index, ok, seen, pending, usage)));
        } catch (RejectedExecutionException closing) {
          results[i] = route(i, ok, seen, pending, usage);
        }
      } else {
        results[i] = route(i, decoded.get(i), seen, pending, usage);
      }
    }
    if (!pending.isEmpty()) {
      applyMutations(pending, results, usage);
    }
    verifying.forEach((index, verification) -> results[index] = answer(verification));
    usage.sendTo(counters);
    return Arrays.asList(results);
  }

  /** A verification's answer; one that could not finish is retried. */
  private static HandlerResult answer(Future<HandlerResult> verification) {
    try {
      return verification.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      verification.cancel(true);
      return new HandlerResult.Retry(e);
    } catch (ExecutionException e) {
      return new HandlerResult.Retry(e.getCause());
    }
  }

  private void applyMutations(List<Mutation> pending, HandlerResult[] results, BatchUsage usage) {
    try {
      mutations.apply(pending, results, usage);
    } catch (RuntimeException e) {
      // A bug or an unforeseen failure: the mutations still unanswered are tried again.
      log.error("a batch of {} mutations failed unexpectedly", pending.size(), e);
      for (Mutation mutation : pending) {
        if (results[mutation.index()] == null) {
          results[mutation.index()] = new HandlerResult.Retry(e);
        }
      }
    }
  }

  /** Stops taking verifications; those running finish on their own threads. */
  @Override
  public void close() {
    verifications.shutdown();
  }

  /**
   * The ledger rows of the batch's face mutations, read in one query: a redelivered command is
   * answered from its row before any tenant check. (Tenant-wide mutations find their row inside
   * their unit of work.) Empty when the ledger cannot be read now: each unit of work checks the
   * ledger again inside its transaction, so a replay still wins there.
   */
  private Map<UUID, UnitResult.Replayed> ledgered(List<DecodeResult> decoded) {
    Map<UUID, TenantId> faceMutations = new HashMap<>();
    for (DecodeResult result : decoded) {
      if (result instanceof DecodeResult.Decoded ok
          && ok.command() instanceof FaceCommand face
          && !(face instanceof FaceVerify)) {
        faceMutations.put(face.commandId(), face.tenantId());
      }
    }
    try {
      return store.ledgered(faceMutations);
    } catch (RuntimeException e) {
      log.warn("the ledger could not be read before the batch: {}", e.getMessage());
      return Map.of();
    }
  }

  /** The record's answer, or null when it became a {@link Mutation} (added to {@code pending}). */
  private HandlerResult route(
      int index,
      DecodeResult decoded,
      Map<UUID, UnitResult.Replayed> seen,
      List<Mutation> pending,
      BatchUsage usage) {
    return switch (decoded) {
      case DecodeResult.Invalid invalid ->
          CommandContext.within(invalid.error(), () -> deadLetter(invalid.error()));
      case DecodeResult.Decoded ok ->
          CommandContext.within(
              ok.command(), () -> route(index, ok.command(), seen, pending, usage));
    };
  }

  private HandlerResult route(
      int index,
      Command command,
      Map<UUID, UnitResult.Replayed> seen,
      List<Mutation> pending,
      BatchUsage usage) {
    try {
      Instant now = clock.instant();
      return switch (command) {
        case FaceVerify verify -> verify(verify, now, usage);
        case FaceCommand face ->
            admit(index, face, now, Optional.ofNullable(seen.get(face.commandId())), pending);
        case TenantCommand tenant -> {
          pending.add(new Mutation(index, tenant, Optional.empty(), now));
          yield null;
        }
      };
    } catch (RuntimeException e) {
      log.warn("command failed before the store: {}", e.getMessage());
      metrics.outcome(command.type(), CommandMetrics.RETRY);
      return new HandlerResult.Retry(e);
    }
  }

  /** Ledger first, then the tenant checks; the mutation (or its rejection) joins the batch. */
  private HandlerResult admit(
      int index,
      FaceCommand command,
      Instant now,
      Optional<UnitResult.Replayed> seen,
      List<Mutation> pending) {
    if (seen.isPresent()) {
      relay.publishOrStore(command.tenantId(), seen.get().event());
      metrics.outcome(command.type(), CommandMetrics.REPLAYED);
      log.debug("already {}: re-emitting its event", seen.get().outcome().code().code());
      return HandlerResult.done();
    }
    Optional<Refusal> refusal =
        switch (gate.admit(command)) {
          case Admission.Refused refused -> Optional.of(refused.refusal());
          case Admission.Admitted admitted ->
              command instanceof FaceRegister register
                  ? FaceRules.register(register, admitted.tenant())
                  : Optional.empty();
        };
    pending.add(new Mutation(index, command, refusal, now));
    return null;
  }

  private HandlerResult verify(FaceVerify command, Instant now, BatchUsage usage) {
    Timer.Sample started = Timer.start();
    Verifier.Verdict verdict =
        switch (gate.admit(command)) {
          case Admission.Refused refused -> new Verifier.Verdict.Refused(refused.refusal());
          case Admission.Admitted admitted -> verifier.verify(command, admitted.tenant());
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
    relay.publishOrStore(command.tenantId(), event);
    usage.request(command.tenantId());
    started.stop(metrics.verifyLatency());
    return HandlerResult.done();
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
