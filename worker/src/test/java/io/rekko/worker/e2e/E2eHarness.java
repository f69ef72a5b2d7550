package io.rekko.worker.e2e;

import static org.awaitility.Awaitility.await;

import io.rekko.schema.Command;
import io.rekko.schema.Event;
import io.rekko.schema.TenantId;
import io.rekko.testkit.KafkaBroker;
import io.rekko.testkit.RedisServer;
import io.rekko.testkit.TestDatabase;
import io.rekko.testkit.TestServers;
import io.rekko.worker.app.WorkerApp;
import io.rekko.worker.redis.WorkerAcl;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.core.ConditionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one end-to-end test class runs against: its own input and dead-letter topics, its own
 * database, its own consumer group, a Redis (the shared one unless the class brings its own), the
 * worker processes it starts, a producer, a subscriber observing every channel, a dead-letter
 * reader and raw SQL on the database.
 *
 * <p>Workers are real {@link WorkerApp}s configured from {@code REKKO_*} variables, as in
 * production; they all join the class's group, so several of them share the topic's partitions.
 */
final class E2eHarness implements AutoCloseable {
  /** How long any outcome may take: generous, since the machine has 2 shared cores. */
  static final Duration PATIENCE = Duration.ofSeconds(60);

  /**
   * An Awaitility wait of at most {@link #PATIENCE}, polling every 50 ms from the start: outcomes
   * are often there already, and a test checks hundreds of them.
   */
  static ConditionFactory patiently(String alias) {
    return await(alias)
        .atMost(PATIENCE)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(50));
  }

  private static final Logger log = LoggerFactory.getLogger(E2eHarness.class);

  private final String name;
  private final Setup setup;
  private final String topic;
  private final String deadLetterTopic;
  private final String groupId;
  private final TestDatabase database;
  private final List<WorkerApp> workers = new CopyOnWriteArrayList<>();
  private final CommandSender sender;
  private final EventLog events;
  private final DeadLetterLog deadLetters;
  private final StoreRows rows;
  private int workersStarted;

  /**
   * How a class wants its stack.
   *
   * @param partitions of the input topic
   * @param workerRedisUri the Redis URL the workers are given
   * @param redisUri the Redis the test observes (its subscriber, its keyspace scan) as the default
   *     user; usually the same server as the workers'
   * @param overrides further configuration, by property name
   */
  record Setup(
      int partitions, String workerRedisUri, String redisUri, Map<String, String> overrides) {
    /**
     * Six partitions, the shared Redis, default settings; the workers log in as the worker's
     * minimal ACL user ({@link WorkerAcl}), created on the shared Redis here.
     */
    static Setup defaults() {
      RedisServer shared = TestServers.redis();
      WorkerAcl.createOn(shared);
      return new Setup(6, shared.uri(), shared.uri(), Map.of()).withWorkerUser();
    }

    /**
     * Another Redis, which the workers use as the default user: call {@link #withWorkerUser} too if
     * that server has the worker's ACL user.
     */
    Setup withRedis(String workerUri, String observedUri) {
      Map<String, String> rest = new HashMap<>(overrides);
      rest.remove("redis.username");
      rest.remove("redis.password");
      return new Setup(partitions, workerUri, observedUri, Map.copyOf(rest));
    }

    /** The workers log in as the worker's ACL user, which their Redis must have. */
    Setup withWorkerUser() {
      return with("redis.username", WorkerAcl.USERNAME)
          .with("redis.password", WorkerAcl.password());
    }

    Setup with(String key, String value) {
      Map<String, String> more = new HashMap<>(overrides);
      more.put(key, value);
      return new Setup(partitions, workerRedisUri, redisUri, Map.copyOf(more));
    }

    /** The CA the workers verify Redis against, which the observers then trust too. */
    Optional<Path> redisCaFile() {
      return Optional.ofNullable(overrides.get("redis.tls.ca-file")).map(Path::of);
    }
  }

  private E2eHarness(String name, Setup setup) {
    this.name = name;
    this.setup = setup;
    KafkaBroker kafka = TestServers.kafka();
    this.topic = kafka.uniqueTopic("e2e-" + name);
    this.deadLetterTopic = topic + ".dlq";
    this.groupId = "e2e-" + name + "-" + UUID.randomUUID();
    kafka.createTopic(topic, setup.partitions());
    kafka.createTopic(deadLetterTopic, 1);
    this.database = TestServers.postgres().createDatabase("e2e_" + name.replace('-', '_'));
    this.sender = new CommandSender(kafka.bootstrapServers(), topic);
    this.events = EventLog.observingAll(setup.redisUri(), setup.redisCaFile());
    this.deadLetters = new DeadLetterLog(kafka.bootstrapServers(), deadLetterTopic);
    this.rows = new StoreRows(database);
  }

  /** The topics, database and observers of a class; no worker runs yet. */
  static E2eHarness create(String name, Setup setup) {
    return new E2eHarness(name, setup);
  }

  /** The environment of one worker: the class's workers differ only by instance id. */
  WorkerEnvironment environment(String instanceId) {
    return new WorkerEnvironment()
        .set("kafka.bootstrap-servers", TestServers.kafka().bootstrapServers())
        .set("kafka.group-id", groupId)
        .set("kafka.commands-topic", topic)
        .set("kafka.dead-letter-topic", deadLetterTopic)
        .set("kafka.create-topics", "false")
        .set("store.jdbc-url", database.jdbcUrl())
        .set("store.username", database.username())
        .set("store.password", database.password())
        .set("redis.mode", "standalone")
        .set("redis.url", setup.workerRedisUri())
        .set("ops.http-port", "0")
        .set("worker.instance-id", instanceId)
        .set("worker.shutdown-deadline", "10s")
        // A worker that stops is noticed within seconds, and leftovers are swept quickly.
        .set("engine.session-timeout", "6s")
        .set("engine.commit-interval", "200ms")
        .set("outbox.sweep-interval", "1s")
        // A key blocked by an infrastructure failure (Redis or PostgreSQL away) retries within a
        // second of its return, not after the production cap of 30s.
        .set("engine.retry-max", "1s")
        .setAll(setup.overrides());
  }

  /** Starts one more worker in the class's group and waits until it reports ready. */
  WorkerApp startWorker() {
    String instanceId = name + "-w" + (++workersStarted);
    WorkerApp worker = WorkerApp.start(environment(instanceId).load(), Clock.systemUTC());
    workers.add(worker);
    log.info("started worker {} (ops port {})", instanceId, worker.opsPort());
    patiently("worker " + instanceId + " ready").until(worker::isReady);
    return worker;
  }

  /**
   * Starts {@code count} workers and waits until each owns partitions, so that a test's commands
   * really are spread over all of them.
   */
  List<WorkerApp> startWorkers(int count) {
    List<WorkerApp> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      started.add(startWorker());
    }
    for (WorkerApp worker : started) {
      patiently("a worker owns partitions").until(() -> OpsEndpoint.partitionsAssigned(worker) > 0);
    }
    return started;
  }

  /** Stops one worker gracefully: its partitions move to the others. */
  void stopWorker(WorkerApp worker) {
    workers.remove(worker);
    worker.close();
  }

  List<WorkerApp> workers() {
    return List.copyOf(workers);
  }

  /** A tenant id no other test or class uses: {@code e2e-<label>-<random>}. */
  static TenantId newTenant(String label) {
    byte[] suffix = new byte[5];
    ThreadLocalRandom.current().nextBytes(suffix);
    return TenantId.of("e2e-" + label + "-" + HexFormat.of().formatHex(suffix));
  }

  String topic() {
    return topic;
  }

  String deadLetterTopic() {
    return deadLetterTopic;
  }

  TestDatabase database() {
    return database;
  }

  CommandSender sender() {
    return sender;
  }

  EventLog events() {
    return events;
  }

  DeadLetterLog deadLetters() {
    return deadLetters;
  }

  StoreRows rows() {
    return rows;
  }

  String redisUri() {
    return setup.redisUri();
  }

  /** The CA a TLS Redis is verified against, if the workers were given one. */
  Optional<Path> redisCaFile() {
    return setup.redisCaFile();
  }

  /** Waits for the first event answering {@code command}. */
  Event awaitEvent(Command command) {
    UUID id = command.commandId();
    patiently("an event for " + describe(command))
        .untilAsserted(
            () -> {
              if (!events.hasEventFor(id)) {
                throw new AssertionError(
                    "no event for "
                        + describe(command)
                        + " among "
                        + events.received().size()
                        + " received; undecodable: "
                        + events.undecodable());
              }
            });
    return events.forCommand(id).getFirst();
  }

  /** Waits until every command has at least one event; a failure names some that have none. */
  void awaitEvents(Collection<? extends Command> commands) {
    Map<UUID, Command> byId = new HashMap<>();
    commands.forEach(c -> byId.put(c.commandId(), c));
    patiently("an event for each of " + byId.size() + " commands")
        .untilAsserted(
            () -> {
              Set<UUID> missing = events.missing(byId.keySet());
              if (!missing.isEmpty()) {
                throw new AssertionError(
                    missing.size()
                        + " commands without an event, e.g. "
                        + missing.stream()
                            .limit(5)
                            .map(byId::get)
                            .map(E2eHarness::describe)
                            .toList());
              }
            });
  }

  static String describe(Command command) {
    return command.type() + " " + command.recordKey() + " " + command.commandId();
  }

  /** Stops every worker, then the observers. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (WorkerApp worker : workers) {
      try {
        worker.close();
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    workers.clear();
    events.close();
    deadLetters.close();
    sender.close();
    if (failure != null) {
      throw failure;
    }
  }
}
