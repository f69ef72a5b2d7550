package io.rekko.worker.command;

import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.schema.CommandCodec;
import io.rekko.worker.crypto.DataKeys;
import io.rekko.worker.outbox.Outbox;
import io.rekko.worker.redis.EventPublisher;
import io.rekko.worker.redis.RateLimiter;
import io.rekko.worker.redis.RedisCaches;
import io.rekko.worker.redis.RedisConnections;
import io.rekko.worker.redis.RedisErasure;
import io.rekko.worker.redis.RedisLocks;
import io.rekko.worker.redis.UsageCounters;
import io.rekko.worker.store.Store;
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
 */
public record CommandHandlers(
    RedisLocks locks,
    RedisCaches caches,
    UsageCounters counters,
    Outbox outbox,
    CommandProcessor processor)
    implements AutoCloseable {

  /**
   * Builds the graph and starts the outbox's threads, named after the worker {@code instance}.
   *
   * @param dataKeys the tenants' data keys, of which a tenant's erasure makes this worker forget
   *     its copy (and every worker's invalidation watch, theirs)
   * @param outboxSweepInterval how often the outbox sweeper looks for pending events; 10ms to 10m
   */
  public static CommandHandlers start(
      CommandSettings settings,
      CommandCodec codec,
      Store store,
      RedisConnections redis,
      DataKeys dataKeys,
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
    CommandProcessor processor =
        new CommandProcessor(
            settings,
            codec,
            store,
            locks,
            limiter,
            caches,
            counters,
            new RedisErasure(redis, caches, clock),
            dataKeys,
            outbox,
            clock,
            registry);
    return new CommandHandlers(locks, caches, counters, outbox, processor);
  }

  /** Stops the outbox, the processor and the locks' renewals, in that order. */
  @Override
  public void close() {
    outbox.close();
    processor.close();
    locks.close();
  }
}
