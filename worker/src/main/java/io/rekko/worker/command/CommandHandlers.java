package io.rekko.worker.command;

import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.schema.CommandCodec;
import io.rekko.schema.EventCodec;
import io.rekko.worker.crypto.DataKeys;
import io.rekko.worker.engine.DeadLetterHook;
import io.rekko.worker.engine.DeadLetterValues;
import io.rekko.worker.outbox.Outbox;
import io.rekko.worker.redis.EventPublisher;
import io.rekko.worker.redis.RateLimiter;
import io.rekko.worker.redis.RedisCaches;
import io.rekko.worker.redis.RedisConnections;
import io.rekko.worker.redis.RedisErasure;
import io.rekko.worker.redis.RedisLocks;
import io.rekko.worker.redis.UsageCounters;
import io.rekko.worker.store.Store;
import io.rekko.worker.store.TenantStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The command graph, built in this one place for the worker and for the tests: the Redis blocks the
 * handlers use, the outbox and the {@link CommandProcessor}, over a store, Redis connections and
 * data keys the caller owns (and closes after {@link #close()}).
 *
 * @param locks the per-face locks
 * @param caches the face, tenant and API-key caches
 * @param counters the usage counters
 * @param outbox the relay, sweeper and invalidation watch
 * @param processor the engine's record handler
 * @param deadLetterValues what the engine's dead letters keep of a value: never an embedding in the
 *     clear
 * @param deadLetterHook answers the tenant of a command the engine gives up on ({@code
 *     processing_failed})
 */
public record CommandHandlers(
    RedisLocks locks,
    RedisCaches caches,
    UsageCounters counters,
    Outbox outbox,
    CommandProcessor processor,
    DeadLetterValues deadLetterValues,
    DeadLetterHook deadLetterHook)
    implements AutoCloseable {

  /**
   * Builds the graph and starts the outbox's threads, named after the worker {@code instance}.
   *
   * @param dataKeys the tenants' data keys, which open and seal the embeddings commands and dead
   *     letters carry sealed, and of which a tenant's erasure makes this worker forget its copy
   *     (and every worker's invalidation watch, theirs)
   * @param outboxSweepInterval how often the outbox sweeper looks for pending events; 10ms to 10m
   */
  public static CommandHandlers start(
      CommandSettings settings,
      CommandCodec codec,
      Store store,
      DataKeys dataKeys,
      RedisConnections redis,
      Duration outboxSweepInterval,
      Clock clock,
      MeterRegistry registry,
      String instance) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(dataKeys, "dataKeys");
    RedisLocks locks = new RedisLocks(redis, registry, clock);
    RedisCaches caches = new RedisCaches(redis, registry);
    UsageCounters counters = new UsageCounters(redis, registry, clock);
    EventPublisher publisher = new EventPublisher(redis, registry);
    Outbox outbox =
        Outbox.start(
            store,
            publisher,
            caches,
            dataKeys::forget,
            outboxSweepInterval,
            clock,
            registry,
            instance);
    RateLimiter limiter = new RateLimiter(redis, registry, clock);
    CarriedEmbeddings embeddings = new CarriedEmbeddings(dataKeys);
    CommandProcessor processor =
        new CommandProcessor(
            settings,
            codec,
            store,
            embeddings,
            locks,
            limiter,
            caches,
            counters,
            new RedisErasure(redis, caches, clock),
            dataKeys,
            outbox,
            clock,
            registry);
    DeadLetterSealing deadLetters =
        new DeadLetterSealing(
            // A tenant being erased counts as gone: sealing for it would make it a new data key.
            tenant ->
                store.tenant(tenant).filter(t -> t.status() != TenantStatus.ERASING).isPresent(),
            embeddings,
            codec.limits(),
            registry);
    FailedCommands failed =
        new FailedCommands(
            codec,
            outbox.relay(),
            new Events(EventCodec.withDefaults()),
            new CommandMetrics(registry),
            clock);
    return new CommandHandlers(locks, caches, counters, outbox, processor, deadLetters, failed);
  }

  /** Stops the outbox, the processor and the locks' renewals, in that order. */
  @Override
  public void close() {
    outbox.close();
    processor.close();
    locks.close();
  }
}
