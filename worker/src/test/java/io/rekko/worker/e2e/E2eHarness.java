package io.rekko.worker.e2e;

import static org.awaitility.Awaitility.await;

import io.rekko.schema.Command;
import io.rekko.schema.Event;
import io.rekko.schema.TenantId;
import io.rekko.testkit.KafkaBroker;
import io.rekko.testkit.TestDatabase;
import io.rekko.testkit.TestServers;
import io.rekko.worker.app.ConfiguredSecrets;
import io.rekko.worker.app.MigrateStep;
import io.rekko.worker.app.WorkerApp;
import io.rekko.worker.redis.WorkerAcl;
import io.rekko.worker.store.MigrationReport;
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
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.common.config.SaslConfigs;
import org.awaitility.core.ConditionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one end-to-end test class runs against: its own commands, admin and dead-letter
 * topics, its own database, its own consumer group, a Redis (the run's shared standalone server or
 * Cluster unless the class brings its own), the worker processes it starts, a producer, a
 * subscriber observing every channel, a dead-letter reader and raw SQL on the database.
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
  private final KafkaBroker kafka;
  private final String topic;
  private final String adminTopic;
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
   * @param redis the Redis the workers use and the test observes (its subscriber, its keyspace
   *     scan, as the default user)
   * @param overrides further configuration, by property name
   */
  record Setup(int partitions, E2eRedis redis, Map<String, String> overrides) {
    /**
     * Six partitions, the shared Redis of this run (standalone or Cluster), default settings; the
     * workers log in as the worker's minimal ACL user ({@link WorkerAcl}), created on it here.
     */
    static Setup defaults() {
      if (E2eRedis.clusterRun()) {
        TestServers.redisCluster().setUser(WorkerAcl.user());
      } else {
        WorkerAcl.createOn(TestServers.redis());
      }
      return new Setup(6, E2eRedis.shared(), Map.of()).withWorkerUser();
    }

    /**
     * Another Redis, which the workers use as the default user: call {@link #withWorkerUser} too if
     * that server has the worker's ACL user.
     */
    Setup withRedis(E2eRedis other) {
      Map<String, String> rest = new HashMap<>(overrides);
      rest.remove("redis.username");
      rest.remove("redis.password");
      return new Setup(partitions, other, Map.copyOf(rest));
    }

    /** The workers log in as the worker's ACL user, which their Redis must have. */
    Setup withWorkerUser() {
      return with("redis.username", WorkerAcl.USERNAME)
          .with("redis.password", WorkerAcl.password());
    }

    Setup with(String key, String value) {
      Map<String, String> more = new HashMap<>(overrides);
      more.put(key, value);
      return new Setup(partitions, redis, Map.copyOf(more));
    }

    /** The CA the workers verify Redis against, which the observers then trust too. */
    Optional<Path> redisCaFile() {
      return Optional.ofNullable(overrides.get("redis.tls.ca-file")).map(Path::of);
    }
  }

  private E2eHarness(String name, Setup setup, KafkaBroker kafka) {
    this.name = name;
    this.setup = setup;
    this.kafka = kafka;
    this.topic = kafka.uniqueTopic("e2e-" + name);
    this.adminTopic = topic + ".admin";
    this.deadLetterTopic = topic + ".dlq";
    this.groupId = "e2e-" + name + "-" + UUID.randomUUID();
    kafka.createTopic(topic, setup.partitions());
    kafka.createTopic(adminTopic, 2);
    kafka.createTopic(deadLetterTopic, 1);
    this.database = TestServers.postgres().createDatabase("e2e_" + name.replace('-', '_'));
    migrate(database);
    this.sender = new CommandSender(kafka, topic, adminTopic);
    this.events = EventLog.observingAll(setup.redis().observedUri(), setup.redisCaFile());
    this.deadLetters = new DeadLetterLog(kafka, deadLetterTopic);
    this.rows = new StoreRows(database);
  }

  /** The topics, database and observers of a class; no worker runs yet. */
  static E2eHarness create(String name, Setup setup) {
    return create(name, setup, TestServers.kafka());
  }

  /**
   * {@link #create(String, Setup)} on {@code kafka}: the harness creates the topics and sends and
   * reads records as its {@link KafkaBroker#clientProperties() most privileged client}, as an
   * operator and the upstream APIs would; the workers get only what {@link Setup#overrides} says.
   */
  static E2eHarness create(String name, Setup setup, KafkaBroker kafka) {
    return new E2eHarness(name, setup, kafka);
  }

  /**
   * Runs the migrate step as production does before any worker starts: as the database's owner,
   * granting the worker's privileges to the runtime role the workers log in as.
   */
  private static void migrate(TestDatabase database) {
    MigrationReport report =
        MigrateStep.migrate(
            new WorkerEnvironment()
                .set("store.jdbc-url", database.jdbcUrl())
                .set("store.username", database.username())
                .set("store.password", database.password())
                .set("store.runtime-role", database.runtimeUsername())
                .variables());
    log.info("migrated: {}", report.summary());
  }

  /**
   * The environment of one worker: the class's workers differ only by instance id. They log in as
   * the database's runtime role, so the whole suite proves the grants cover every statement.
   */
  WorkerEnvironment environment(String instanceId) {
    return new WorkerEnvironment()
        .set("kafka.bootstrap-servers", kafka.bootstrapServers())
        .set("kafka.group-id", groupId)
        .set("kafka.commands-topic", topic)
        .set("kafka.admin-topic", adminTopic)
        .set("kafka.dead-letter-topic", deadLetterTopic)
        .set("kafka.create-topics", "false")
        .set("store.jdbc-url", database.jdbcUrl())
        .set("store.username", database.runtimeUsername())
        .set("store.password", database.runtimePassword())
        .set("redis.mode", setup.redis().mode())
        .set("redis.url", setup.redis().workerUrl())
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

  String groupId() {
    return groupId;
  }

  KafkaBroker kafka() {
    return kafka;
  }

  /**
   * Every secret the class configured, by name: its workers' secret settings ({@link
   * ConfiguredSecrets}) and the harness's own Kafka login, if any.
   */
  Map<String, String> secrets() {
    Map<String, String> secrets =
        new TreeMap<>(ConfiguredSecrets.of(environment(name + "-secrets").variables()));
    String login = kafka.clientProperties().get(SaslConfigs.SASL_JAAS_CONFIG);
    if (login != null) {
      secrets.put("the harness's sasl.jaas.config", login);
    }
    return secrets;
  }

  String adminTopic() {
    return adminTopic;
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

  E2eRedis redis() {
    return setup.redis();
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
