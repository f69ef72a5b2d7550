package io.rekko.client.testing;

import static org.awaitility.Awaitility.await;

import io.rekko.client.RedisEndpoint;
import io.rekko.schema.TenantId;
import io.rekko.testkit.KafkaBroker;
import io.rekko.testkit.TestDatabase;
import io.rekko.testkit.TestServers;
import io.rekko.worker.app.MigrateStep;
import io.rekko.worker.app.WorkerApp;
import io.rekko.worker.app.WorkerConfig;
import io.rekko.worker.crypto.KeyRing;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.core.ConditionFactory;

/**
 * A real worker on the testkit's servers, configured from {@code REKKO_*} variables as an operator
 * would: its own commands, admin and dead-letter topics, its own database (migrated as its owner,
 * the worker logging in as the runtime role) and consumer group, the run's shared Redis. A client
 * test sends to {@link #commandsTopic()} and {@link #adminTopic()} and watches the tenant's channel
 * on {@link #redis()}: the run's single Redis server, or its three-master Cluster.
 */
public final class WorkerStack implements AutoCloseable {
  /** How long any outcome may take: generous, since the machine's cores are shared. */
  public static final Duration PATIENCE = Duration.ofSeconds(60);

  private final KafkaBroker kafka;
  private final List<String> redisUrls;
  private final RedisEndpoint redis;
  private final String commandsTopic;
  private final String adminTopic;
  private final String deadLetterTopic;
  private final WorkerApp worker;

  private WorkerStack(String name, boolean cluster) {
    this.kafka = TestServers.kafka();
    this.redisUrls =
        cluster ? TestServers.redisCluster().nodeUris() : List.of(TestServers.redis().uri());
    this.redis =
        cluster
            ? RedisEndpoint.cluster(redisUrls, true)
            : RedisEndpoint.standalone(redisUrls.getFirst());
    this.commandsTopic = kafka.uniqueTopic("client-" + name);
    this.adminTopic = commandsTopic + ".admin";
    this.deadLetterTopic = commandsTopic + ".dlq";
    kafka.createTopic(commandsTopic, 3);
    kafka.createTopic(adminTopic, 1);
    kafka.createTopic(deadLetterTopic, 1);
    TestDatabase database =
        TestServers.postgres().createDatabase("client_" + name.replace('-', '_'));
    Map<String, String> kek =
        Map.of(
            "REKKO_STORE_KEK_LOCAL", KeyRing.generateBase64(), "REKKO_STORE_KEK_CURRENT", "local");
    Map<String, String> migrate = new HashMap<>(kek);
    migrate.put("REKKO_STORE_JDBC_URL", database.jdbcUrl());
    migrate.put("REKKO_STORE_USERNAME", database.username());
    migrate.put("REKKO_STORE_PASSWORD", database.password());
    migrate.put("REKKO_STORE_RUNTIME_ROLE", database.runtimeUsername());
    MigrateStep.migrate(migrate);
    Map<String, String> environment = new HashMap<>(kek);
    environment.put("REKKO_WORKER_INSTANCE_ID", "client-" + name);
    environment.put("REKKO_WORKER_SHUTDOWN_DEADLINE", "10s");
    environment.put("REKKO_OPS_HTTP_PORT", "0");
    environment.put("REKKO_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    environment.put("REKKO_KAFKA_GROUP_ID", "client-" + name + "-" + UUID.randomUUID());
    environment.put("REKKO_KAFKA_COMMANDS_TOPIC", commandsTopic);
    environment.put("REKKO_KAFKA_ADMIN_TOPIC", adminTopic);
    environment.put("REKKO_KAFKA_DEAD_LETTER_TOPIC", deadLetterTopic);
    environment.put("REKKO_KAFKA_CREATE_TOPICS", "false");
    environment.put("REKKO_ENGINE_SESSION_TIMEOUT", "6s");
    environment.put("REKKO_ENGINE_COMMIT_INTERVAL", "200ms");
    environment.put("REKKO_STORE_JDBC_URL", database.jdbcUrl());
    environment.put("REKKO_STORE_USERNAME", database.runtimeUsername());
    environment.put("REKKO_STORE_PASSWORD", database.runtimePassword());
    environment.put("REKKO_REDIS_URL", String.join(",", redisUrls));
    if (cluster) {
      environment.put("REKKO_REDIS_MODE", "cluster");
      environment.put("REKKO_REDIS_PUBSUB_SHARDED", "true");
    }
    this.worker = WorkerApp.start(WorkerConfig.load(environment), Clock.systemUTC());
    patiently("the worker ready").until(worker::isReady);
  }

  /** Starts a worker for one test class; {@code name} labels its topics, database and group. */
  public static WorkerStack start(String name) {
    return new WorkerStack(name, false);
  }

  /**
   * Starts a worker on the testkit's three-master Redis Cluster ({@code redis.mode=cluster}),
   * publishing with sharded pub/sub.
   */
  public static WorkerStack startOnCluster(String name) {
    return new WorkerStack(name, true);
  }

  /** An Awaitility wait of at most {@link #PATIENCE}, polling every 50 ms. */
  public static ConditionFactory patiently(String alias) {
    return await(alias).atMost(PATIENCE).pollInterval(Duration.ofMillis(50));
  }

  /** A tenant id no other test uses: {@code <label>-<random>}. */
  public static TenantId newTenant(String label) {
    byte[] suffix = new byte[5];
    ThreadLocalRandom.current().nextBytes(suffix);
    return TenantId.of(label + "-" + HexFormat.of().formatHex(suffix));
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public String commandsTopic() {
    return commandsTopic;
  }

  public String adminTopic() {
    return adminTopic;
  }

  public String deadLetterTopic() {
    return deadLetterTopic;
  }

  /** The single server's URI; the stack must not be on the Cluster. */
  public String redisUri() {
    if (redis.cluster()) {
      throw new IllegalStateException("this stack runs on the Cluster: use redis()");
    }
    return redisUrls.getFirst();
  }

  /** Where the worker publishes its events. */
  public RedisEndpoint redis() {
    return redis;
  }

  /** Deletes every key of the stack's Redis, as a Redis that lost its data. */
  public void flushRedis() {
    if (redis.cluster()) {
      TestServers.redisCluster().flushAll();
    } else {
      TestServers.redis().flushAll();
    }
  }

  public WorkerApp worker() {
    return worker;
  }

  @Override
  public void close() {
    worker.close();
  }
}
