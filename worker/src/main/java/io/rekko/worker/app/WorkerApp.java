package io.rekko.worker.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rekko.schema.CommandCodec;
import io.rekko.worker.command.CommandHandlers;
import io.rekko.worker.engine.ClientSettings;
import io.rekko.worker.engine.Engine;
import io.rekko.worker.engine.EngineSettings;
import io.rekko.worker.engine.EngineState;
import io.rekko.worker.ops.HealthCheck;
import io.rekko.worker.ops.OpsServer;
import io.rekko.worker.outbox.Outbox;
import io.rekko.worker.redis.RedisConnections;
import io.rekko.worker.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running worker: the composition root. It builds every part by hand from a {@link
 * WorkerConfig} and a {@link Clock}, starts consuming, and {@link #close() stops} everything in
 * order within {@code worker.shutdown-deadline}.
 *
 * <p>Start order: metrics; store (migrations), Redis and topics side by side; Redis's blocks,
 * outbox relay, command processor, engine, background tasks, operations endpoint. A failure
 * part-way closes what was started and rethrows. Close order: engine (stops taking records, drains,
 * commits, leaves the group), background tasks, relay, processor, Redis, store, operations endpoint
 * (last, so probes see the worker not ready while it drains).
 *
 * <p>Readiness is the engine (consuming, not degraded) and PostgreSQL (reachable). Redis is
 * reported in the readiness body but is not a condition of it: the design promises that the worker
 * keeps processing while Redis is down (caches read PostgreSQL, locks fall back to advisory locks,
 * events wait in the outbox), so a Redis outage must not make every worker look unhealthy to an
 * orchestrator that would then restart them all, stopping exactly the processing that was still
 * going on. The outbox is reported the same way: how many events wait and how old the oldest is;
 * and so are face deletes pending after a failure.
 */
public final class WorkerApp implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerApp.class);

  /** Runs start-up steps side by side with the main thread; they never hold the JVM open. */
  private static final Executor STARTUP =
      task -> Thread.ofPlatform().daemon().name("rekko-startup").start(task);

  /** The part of the shutdown deadline kept for the parts closed after the engine. */
  private static final Duration MAX_RESERVE = Duration.ofSeconds(5);

  private final WorkerConfig config;
  private final Parts parts;
  private final List<HealthCheck> readiness;
  private final AtomicBoolean closed = new AtomicBoolean();

  private WorkerApp(WorkerConfig config, Parts parts, List<HealthCheck> readiness) {
    this.config = config;
    this.parts = parts;
    this.readiness = readiness;
  }

  /**
   * Builds everything and starts consuming; returns once the engine's consumer runs (joining the
   * group, and so {@link #isReady()}, comes shortly after).
   *
   * @throws io.rekko.worker.support.RekkoException when a part cannot start (PostgreSQL
   *     unreachable, Kafka unreachable or a topic missing, the ops port taken); what was started is
   *     closed again
   */
  public static WorkerApp start(WorkerConfig config, Clock clock) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    Parts parts = new Parts();
    try {
      return build(config, clock, parts);
    } catch (RuntimeException | Error e) {
      parts.close(config.worker().shutdownDeadline());
      throw e;
    }
  }

  private static WorkerApp build(WorkerConfig config, Clock clock, Parts parts) {
    String instance = config.worker().instanceId();
    parts.metrics = new WorkerMetrics();
    PrometheusMeterRegistry registry = parts.metrics.registry();
    // The three connections that take seconds to set up, side by side.
    CompletableFuture<RedisConnections> redisOpening =
        CompletableFuture.supplyAsync(() -> RedisConnections.open(config.redis(), clock), STARTUP);
    CompletableFuture<Void> topicsEnsured =
        CompletableFuture.runAsync(() -> Engine.ensureTopics(config.engine()), STARTUP);
    try {
      parts.store = Store.open(config.store(), clock);
    } finally {
      // Kept for closing even when the store failed; a failure of Redis's own is rethrown below.
      parts.redis = redisOpening.exceptionally(failure -> null).join();
    }
    awaitStartupStep(redisOpening);
    parts.store.registerMetrics(registry);
    parts.redis.registerMetrics(registry);
    parts.handlers =
        CommandHandlers.start(
            config.command(),
            new CommandCodec(config.decode()),
            parts.store,
            parts.store.dataKeys(),
            parts.redis,
            config.background().outboxSweepInterval(),
            clock,
            registry,
            instance);
    parts.kafkaMeters = KafkaClientMeters.register(registry);
    parts.engine =
        new Engine(
            withClientProperties(config.engine(), parts.kafkaMeters.clientProperties()),
            parts.handlers.processor(),
            parts.handlers.deadLetterValues(),
            parts.handlers.deadLetterHook(),
            registry,
            clock);
    awaitStartupStep(topicsEnsured);
    parts.engine.startOnEnsuredTopics();
    TopicRetentionCheck.warnIfTooLong(
        config.engine(), config.store().retention().age(), config.topicRetention().deadLetters());
    Store store = parts.store;
    RedisConnections redis = parts.redis;
    Reachability postgres =
        new Reachability(
            "postgres",
            () -> {
              store.pendingOutbox(1);
              return true;
            },
            clock);
    Reachability redisReachability = new Reachability("redis", redis::ping, clock);
    parts.tasks =
        BackgroundTasks.start(
            instance,
            parts.store,
            config.background().purgeInterval(),
            List.of(postgres, redisReachability),
            registry);
    Engine engine = parts.engine;
    Outbox outbox = parts.handlers.outbox();
    List<HealthCheck> readiness =
        List.of(
            HealthCheck.of("engine", () -> engineStatus(engine)),
            HealthCheck.of("postgres", postgres::status),
            HealthCheck.of("redis", () -> reportedOnly(redisReachability, redis)),
            HealthCheck.of("outbox", () -> HealthCheck.Status.up(outbox.backlogDetail())),
            HealthCheck.of("deletes", () -> pendingDeletes(engine)));
    try {
      parts.ops =
          OpsServer.start(
              config.ops().address(),
              () -> engine.state() != EngineState.FAILED,
              readiness,
              registry);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serve the operations endpoint on " + config.ops().address(), e);
    }
    return new WorkerApp(config, parts, readiness);
  }

  /** The bound port of {@code /health/live}, {@code /health/ready} and {@code /metrics}. */
  public int opsPort() {
    return parts.ops.port();
  }

  /** True while every readiness condition holds: what {@code /health/ready} answers 200 for. */
  public boolean isReady() {
    if (closed.get()) {
      return false;
    }
    for (HealthCheck check : readiness) {
      if (!check.check().up()) {
        return false;
      }
    }
    return true;
  }

  /** False once the engine failed for good: the process should exit and be restarted. */
  public boolean isLive() {
    return parts.engine.state() != EngineState.FAILED;
  }

  /** The configuration this worker runs with. */
  public WorkerConfig config() {
    return config;
  }

  /**
   * Stops everything in order within {@code worker.shutdown-deadline}: the engine gets the deadline
   * less a reserve for the parts after it (a quarter of the deadline, at most 5s), finishes or
   * abandons its in-flight records (abandoned ones are redelivered) and commits what is done.
   * Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      parts.close(config.worker().shutdownDeadline());
    }
  }

  /** Waits for a start-up step, rethrowing its failure as it was thrown. */
  private static void awaitStartupStep(CompletableFuture<?> step) {
    try {
      step.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw e;
    }
  }

  private static EngineSettings withClientProperties(
      EngineSettings engine, Map<String, String> properties) {
    ClientSettings client = engine.client();
    Map<String, String> consumer = new HashMap<>(client.consumerProperties());
    consumer.putAll(properties);
    Map<String, String> producer = new HashMap<>(client.producerProperties());
    producer.putAll(properties);
    return new EngineSettings(
        new ClientSettings(
            client.bootstrapServers(), client.groupId(), client.clientId(), consumer, producer),
        engine.topics(),
        engine.group(),
        engine.flow(),
        engine.buffer(),
        engine.retry(),
        engine.shutdownDeadline());
  }

  private static HealthCheck.Status engineStatus(Engine engine) {
    if (engine.isReady()) {
      return HealthCheck.Status.up("consuming");
    }
    if (engine.isDegraded()) {
      return HealthCheck.Status.down("degraded: retrying after an infrastructure failure");
    }
    return HealthCheck.Status.down(engine.state().name().toLowerCase(Locale.ROOT));
  }

  /**
   * Always up: Redis is reported, not required (see the class comment). The detail adds what
   * reachability alone hides: why connecting fails (a certificate not trusted, a wrong password),
   * and refusals of a Redis that answers {@code PING} but is out of memory or lacks an ACL grant.
   */
  private static HealthCheck.Status reportedOnly(
      Reachability reachability, RedisConnections redis) {
    HealthCheck.Status status = reachability.status();
    String detail =
        redis.faultDetail().map(faults -> status.detail() + "; " + faults).orElse(status.detail());
    return status.up()
        ? HealthCheck.Status.up(detail)
        : HealthCheck.Status.up(
            detail + "; not required: events wait in the outbox until it is back");
  }

  /**
   * Always up: face deletes that failed and wait to be retried (the command layer asks the engine
   * never to give one up) are reported, not a condition of readiness. A delete failing over and
   * over is a fault an operator must fix; restarting the worker, which an orchestrator does to one
   * that stays unready, would not fix it and would stop the other keys' processing. A delete held
   * back by an outage makes the engine degraded already.
   */
  private static HealthCheck.Status pendingDeletes(Engine engine) {
    long pending = engine.retryingUntilDone();
    return HealthCheck.Status.up(
        pending == 0
            ? "none pending"
            : pending
                + " pending: failed, and retried with backoff until they take effect (never"
                + " dead-lettered); the worker's log names the failure");
  }

  /** The started parts, closed in order; a part not started is null. */
  private static final class Parts {
    WorkerMetrics metrics;
    Store store;
    RedisConnections redis;
    CommandHandlers handlers;
    KafkaClientMeters.Registration kafkaMeters;
    Engine engine;
    BackgroundTasks tasks;
    OpsServer ops;

    void close(Duration deadline) {
      long start = System.nanoTime();
      long end = start + deadline.toNanos();
      Duration reserve = min(deadline.dividedBy(4), MAX_RESERVE);
      if (engine != null) {
        Duration budget = deadline.minus(reserve);
        run("engine", () -> engine.close(budget));
      }
      if (tasks != null) {
        run("background tasks", () -> tasks.close(remaining(end)));
      }
      step("command handlers", handlers);
      step("redis", redis);
      step("store", store);
      step("kafka client meters", kafkaMeters);
      step("operations endpoint", ops);
      step("metrics", metrics);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      if (took.compareTo(deadline) > 0) {
        log.warn("shutdown took {} ms, beyond its deadline of {}", took.toMillis(), deadline);
      } else {
        log.info("worker stopped in {} ms", took.toMillis());
      }
    }

    private static void step(String name, AutoCloseable part) {
      if (part != null) {
        run(name, () -> closeChecked(part));
      }
    }

    private static void run(String name, Runnable close) {
      try {
        close.run();
      } catch (RuntimeException e) {
        log.warn("closing the {} failed: {}", name, e.toString());
      }
    }

    private static void closeChecked(AutoCloseable part) {
      try {
        part.close();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    private static Duration remaining(long end) {
      return Duration.ofNanos(Math.max(0, end - System.nanoTime()));
    }

    private static Duration min(Duration a, Duration b) {
      return a.compareTo(b) <= 0 ? a : b;
    }
  }
}
