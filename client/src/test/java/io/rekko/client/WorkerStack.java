package io.rekko.client;

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
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * A real worker for the client's tests, on the testkit's real Kafka, PostgreSQL and Redis (a single
 * server, or the three-master Cluster with sharded pub/sub): topics and a database of its own.
 */
final class WorkerStack implements AutoCloseable {
  private final KafkaBroker kafka = TestServers.kafka();
  private final String commandsTopic;
  private final String adminTopic;
  private final String deadLetterTopic;
  private final RedisEndpoint redis;
  private final WorkerApp worker;

  private WorkerStack(boolean cluster) {
    commandsTopic = kafka.uniqueTopic("client-commands");
    adminTopic = kafka.uniqueTopic("client-admin");
    deadLetterTopic = kafka.uniqueTopic("client-dlq");
    for (String topic : List.of(commandsTopic, adminTopic, deadLetterTopic)) {
      kafka.createTopic(topic, 4);
    }
    TestDatabase database = TestServers.postgres().createDatabase("client");
    redis =
        cluster
            ? RedisEndpoint.cluster(TestServers.redisCluster().nodeUris(), true)
            : RedisEndpoint.standalone(TestServers.redis().uri());
    Map<String, String> kek =
        Map.of("REKKO_STORE_KEK_TEST", KeyRing.generateBase64(), "REKKO_STORE_KEK_CURRENT", "test");
    Map<String, String> migrate =
        new HashMap<>(
            Map.of(
                "REKKO_STORE_JDBC_URL", database.jdbcUrl(),
                "REKKO_STORE_USERNAME", database.username(),
                "REKKO_STORE_PASSWORD", database.password(),
                "REKKO_STORE_RUNTIME_ROLE", database.runtimeUsername()));
    migrate.putAll(kek);
    MigrateStep.migrate(migrate);
    Map<String, String> environment = new HashMap<>(kek);
    environment.putAll(
        Map.of(
            "REKKO_OPS_HTTP_PORT",
            "0",
            "REKKO_KAFKA_BOOTSTRAP_SERVERS",
            kafka.bootstrapServers(),
            "REKKO_KAFKA_COMMANDS_TOPIC",
            commandsTopic,
            "REKKO_KAFKA_ADMIN_TOPIC",
            adminTopic,
            "REKKO_KAFKA_DEAD_LETTER_TOPIC",
            deadLetterTopic,
            "REKKO_KAFKA_CREATE_TOPICS",
            "false",
            "REKKO_KAFKA_GROUP_ID",
            kafka.uniqueTopic("client-worker"),
            "REKKO_STORE_JDBC_URL",
            database.jdbcUrl(),
            "REKKO_STORE_USERNAME",
            database.runtimeUsername(),
            "REKKO_STORE_PASSWORD",
            database.runtimePassword()));
    environment.put("REKKO_REDIS_URL", String.join(",", redis.uris()));
    if (cluster) {
      environment.put("REKKO_REDIS_MODE", "cluster");
      environment.put("REKKO_REDIS_PUBSUB_SHARDED", "true");
    }
    worker = WorkerApp.start(WorkerConfig.load(environment), Clock.systemUTC());
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(worker::isReady);
  }

  static WorkerStack standalone() {
    return new WorkerStack(false);
  }

  static WorkerStack cluster() {
    return new WorkerStack(true);
  }

  RedisEndpoint redis() {
    return redis;
  }

  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  String commandsTopic() {
    return commandsTopic;
  }

  String adminTopic() {
    return adminTopic;
  }

  String deadLetterTopic() {
    return deadLetterTopic;
  }

  /** Deletes every key of the stack's Redis, as a Redis that lost its data. */
  void flushRedis() {
    if (redis.cluster()) {
      TestServers.redisCluster().flushAll();
    } else {
      TestServers.redis().flushAll();
    }
  }

  @Override
  public void close() {
    worker.close();
  }
}
