package io.rekko.worker.command;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rekko.schema.Command;
import io.rekko.testkit.RedisServer;
import io.rekko.testkit.TestServers;
import io.rekko.worker.crypto.DataKeys;
import io.rekko.worker.engine.HandlerResult;
import io.rekko.worker.outbox.Outbox;
import io.rekko.worker.redis.RedisCaches;
import io.rekko.worker.redis.RedisConnections;
import io.rekko.worker.redis.RedisLocks;
import io.rekko.worker.redis.RedisSettings;
import io.rekko.worker.redis.UsageCounters;
import io.rekko.worker.redis.WorkerAcl;
import io.rekko.worker.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One worker's handler graph, built as the composition root builds it (its own Redis connections,
 * Redis blocks, outbox and processor, by {@link CommandHandlers}) around a shared store; two of
 * them act as two workers.
 */
final class TestWorker implements AutoCloseable {
  static final Duration SWEEP = Duration.ofMillis(100);
  private static final AtomicInteger STARTED = new AtomicInteger();

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final RedisConnections redis;
  final CommandHandlers handlers;
  final RedisLocks locks;
  final RedisCaches caches;
  final UsageCounters counters;
  final Outbox outbox;
  final CommandProcessor processor;

  private TestWorker(
      Store store,
      String redisUri,
      CommandSettings settings,
      DataKeys dataKeys,
      Duration sweep,
      Clock clock) {
    this(store, redisSettings(redisUri), settings, dataKeys, sweep, clock);
  }

  private TestWorker(
      Store store,
      RedisSettings redisSettings,
      CommandSettings settings,
      DataKeys dataKeys,
      Duration sweep,
      Clock clock) {
    this.redis = RedisConnections.open(redisSettings, clock);
    this.handlers =
        CommandHandlers.start(
            settings,
            Commands.CODEC,
            store,
            dataKeys,
            redis,
            sweep,
            clock,
            registry,
            "test-worker-" + STARTED.incrementAndGet());
    this.locks = handlers.locks();
    this.caches = handlers.caches();
    this.counters = handlers.counters();
    this.outbox = handlers.outbox();
    this.processor = handlers.processor();
  }

  /**
   * On the shared Redis, the worker logs in as the minimal ACL user, as in production; a Redis of
   * the test's own has only the default user.
   */
  private static RedisSettings redisSettings(String redisUri) {
    RedisSettings settings = RedisSettings.standalone(redisUri);
    RedisServer shared = TestServers.redis();
    if (!redisUri.equals(shared.uri())) {
      return settings;
    }
    WorkerAcl.createOn(shared);
    return new RedisSettings(
        settings.servers(),
        WorkerAcl.credentials(),
        settings.timeouts(),
        settings.ttls(),
        settings.locks());
  }

  static TestWorker start(Store store, String redisUri) {
    return start(store, redisUri, CommandSettings.DEFAULTS);
  }

  static TestWorker start(Store store, String redisUri, CommandSettings settings) {
    return new TestWorker(store, redisUri, settings, store.dataKeys(), SWEEP, Clock.systemUTC());
  }

  /** A worker on the Redis (a server or a Cluster) {@code redisSettings} name. */
  static TestWorker on(Store store, RedisSettings redisSettings) {
    return new TestWorker(
        store, redisSettings, CommandSettings.DEFAULTS, store.dataKeys(), SWEEP, Clock.systemUTC());
  }

  /** A worker whose data keys are {@code dataKeys} (a test's, that may fail on purpose). */
  static TestWorker withDataKeys(Store store, String redisUri, DataKeys dataKeys) {
    return new TestWorker(
        store, redisUri, CommandSettings.DEFAULTS, dataKeys, SWEEP, Clock.systemUTC());
  }

  /** A worker whose sweeper runs only at start and when a publish fails or is deferred. */
  static TestWorker withoutPeriodicSweeps(Store store, String redisUri) {
    return new TestWorker(
        store,
        redisUri,
        CommandSettings.DEFAULTS,
        store.dataKeys(),
        Duration.ofMinutes(10),
        Clock.systemUTC());
  }

  HandlerResult handle(Command command) {
    return handle(Commands.record(command));
  }

  HandlerResult handle(ConsumerRecord<byte[], byte[]> record) {
    return processor.handle(List.of(record)).getFirst();
  }

  /** One batch (the records' keys must differ, as the engine guarantees). */
  List<HandlerResult> handleBatch(List<? extends Command> commands) {
    return processor.handle(commands.stream().map(Commands::record).toList());
  }

  /** The value of a counter or the count of a timer, summed over all its tags that match. */
  double count(String name, String... tags) {
    var search = registry.find(name).tags(tags);
    return search.counters().stream().mapToDouble(c -> c.count()).sum()
        + search.timers().stream().mapToDouble(t -> t.count()).sum();
  }

  @Override
  public void close() {
    handlers.close();
    redis.close();
  }
}
