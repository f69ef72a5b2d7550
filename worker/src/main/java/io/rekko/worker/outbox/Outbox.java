package io.rekko.worker.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.schema.TenantId;
import io.rekko.worker.redis.EventPublisher;
import io.rekko.worker.redis.RedisCaches;
import io.rekko.worker.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's three parts, started together and stopped together: the {@link OutboxRelay} (the
 * direct path, used by the handlers), the {@link Sweeper} (a thread that publishes what the direct
 * path left) and the {@link InvalidationWatch} (a thread that applies pending invalidations and
 * tells the handlers whether a tenant may be read from the caches).
 *
 * <p>Threads are named after the worker instance: {@code <instance>}{@value #SWEEPER_SUFFIX} and
 * {@code <instance>}{@value #WATCH_SUFFIX}. {@link #close()} stops the watch, then the sweeper
 * (letting a running sweep finish), then the relay's deliveries; pending events stay in the outbox
 * for the next start.
 */
public final class Outbox implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

  static final String SWEEPER_SUFFIX = "-outbox-sweeper";
  static final String WATCH_SUFFIX = "-invalidation-watch";

  static final Duration MIN_SWEEP_INTERVAL = Duration.ofMillis(10);
  static final Duration MAX_SWEEP_INTERVAL = Duration.ofMinutes(10);

  private final OutboxRelay relay;
  private final Sweeper sweeper;
  private final InvalidationWatch watch;

  private Outbox(OutboxRelay relay, Sweeper sweeper, InvalidationWatch watch) {
    this.relay = relay;
    this.sweeper = sweeper;
    this.watch = watch;
  }

  /**
   * Starts the outbox for the worker {@code instance}: the watch checks once on the caller, then
   * every {@link InvalidationWatch#CHECK_INTERVAL}; the sweeper sweeps now, then every {@code
   * sweepInterval} (10ms to 10m) and whenever a publish fails.
   *
   * @param forget drops what this worker holds in memory of a tenant whose erasure began (its data
   *     key), called by the watch
   */
  public static Outbox start(
      Store store,
      EventPublisher publisher,
      RedisCaches caches,
      Consumer<TenantId> forget,
      Duration sweepInterval,
      Clock clock,
      MeterRegistry registry,
      String instance) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(publisher, "publisher");
    Objects.requireNonNull(caches, "caches");
    Objects.requireNonNull(forget, "forget");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(sweepInterval, "sweepInterval");
    if (sweepInterval.compareTo(MIN_SWEEP_INTERVAL) < 0
        || sweepInterval.compareTo(MAX_SWEEP_INTERVAL) > 0) {
      throw new IllegalArgumentException(
          "the sweep interval must be between 10ms and 10m, was " + sweepInterval);
    }
    Invalidations invalidations = new Invalidations(caches);
    Delivery delivery = new Delivery(publisher, invalidations);
    Backlog backlog = new Backlog();
    Sweeper sweeper =
        new Sweeper(store, delivery, backlog, clock, registry, instance + SWEEPER_SUFFIX);
    OutboxRelay relay = new OutboxRelay(store, delivery, backlog, sweeper, registry);
    InvalidationWatch watch =
        InvalidationWatch.start(
            store, caches, invalidations, forget, registry, instance + WATCH_SUFFIX);
    sweeper.start(sweepInterval);
    return new Outbox(relay, sweeper, watch);
  }

  /** The direct path, for the handlers. */
  public OutboxRelay relay() {
    return relay;
  }

  /** The watch that decides whether the handlers may read a tenant's cache entries. */
  public InvalidationWatch invalidationWatch() {
    return watch;
  }

  /**
   * For readiness, reported only: how many events wait in the outbox and how old the oldest is, as
   * the last sweep saw them. Restarting the worker would not publish them sooner.
   */
  public String backlogDetail() {
    return sweeper.detail();
  }

  /** True when no sweep runs and none is queued: for tests that must know the outbox is quiet. */
  public boolean isIdle() {
    return sweeper.isIdle();
  }

  /** Stops the watch, the sweeper and the relay, in that order. Idempotent. */
  @Override
  public void close() {
    watch.close();
    sweeper.close();
    relay.close();
    log.info("outbox stopped");
  }
}
