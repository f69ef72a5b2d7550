package io.rekko.localstack;

import io.rekko.schema.Topics;
import io.rekko.testkit.KafkaBroker;
import io.rekko.testkit.RedisServer;
import io.rekko.testkit.TestDatabase;
import io.rekko.testkit.TestServers;
import io.rekko.worker.app.MigrateStep;
import io.rekko.worker.app.WorkerApp;
import io.rekko.worker.app.WorkerConfig;
import io.rekko.worker.crypto.KeyRing;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the whole system on one machine until Ctrl-C: a Kafka broker, PostgreSQL and Redis from the
 * testkit, the migrate step (as the database's owner), two workers in one consumer group (each with
 * its own operations port), a sample producer and printers for events and dead letters.
 *
 * <p>The workers are configured exactly as an operator would configure them, through {@code
 * REKKO_*} variables handed to {@link WorkerConfig#load}; everything else is the documented
 * defaults (topics {@code rekko.commands}, {@code rekko.admin} and {@code rekko.commands.dlq},
 * group {@code rekko-worker}, 12 partitions), as in {@code docker-compose.yml}. As there, creating
 * the topics is an operator's step done before the workers start, and the workers run with {@code
 * kafka.create-topics=false}, as under a Kafka principal that may not create topics.
 */
public final class LocalStack {
  private static final int WORKERS = 2;
  private static final int PARTITIONS = 12;
  private static final Duration READY_WAIT = Duration.ofSeconds(90);
  private static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(10);

  private LocalStack() {}

  /** The stack's own, quieter logging configuration (the worker jar carries the service's). */
  private static final String LOGGING = "logback-local-stack.xml";

  public static void main(String[] args) throws InterruptedException {
    // Before the first logger exists: Logback reads this when it initialises.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", LOGGING);
    }
    PrintStream out = System.out;
    out.println("Starting Kafka (in this JVM), PostgreSQL and Redis from the testkit...");
    KafkaBroker kafka = TestServers.kafka();
    TestDatabase database = TestServers.postgres().createDatabase("rekko_local");
    RedisServer redis = TestServers.redis();
    for (String topic : List.of(Topics.COMMANDS, Topics.ADMIN, Topics.COMMANDS_DLQ)) {
      kafka.createTopic(topic, PARTITIONS);
    }
    // A key-encryption key for this run only: it lives in memory and dies with the database.
    Map<String, String> kek =
        Map.of(
            "REKKO_STORE_KEK_LOCAL", KeyRing.generateBase64(), "REKKO_STORE_KEK_CURRENT", "local");
    // As in production: the migrate step as the owner, then workers as the runtime role.
    out.println("Migrating: " + MigrateStep.migrate(migrateEnvironment(database, kek)).summary());

    EventPrinter events = new EventPrinter(redis.uri(), out);
    List<WorkerApp> workers = new ArrayList<>();
    for (int i = 1; i <= WORKERS; i++) {
      workers.add(
          WorkerApp.start(
              WorkerConfig.load(environment(i, kafka, database, redis, kek)), Clock.systemUTC()));
    }
    awaitReady(workers, out);
    DeadLetterPrinter deadLetters = new DeadLetterPrinter(kafka.bootstrapServers(), out);
    Thread deadLetterThread =
        Thread.ofPlatform().name("local-stack-dead-letters").daemon().start(deadLetters);
    SampleTraffic traffic = new SampleTraffic(kafka.bootstrapServers(), events, out);
    Thread trafficThread =
        Thread.ofPlatform().name("local-stack-sample-producer").daemon().start(traffic);

    banner(out, kafka, database, redis, workers);
    CountDownLatch stopped = new CountDownLatch(1);
    // At exit, before the testkit stops the servers: the workers drain while Kafka, PostgreSQL and
    // Redis still answer.
    TestServers.closeAtExit(
        () -> {
          out.println("Stopping the sample producer and the workers...");
          traffic.stop();
          joinQuietly(trafficThread);
          closeAll(workers);
          deadLetters.close();
          events.close();
          out.println("Workers stopped; the testkit stops Kafka, PostgreSQL and Redis.");
          stopped.countDown();
        });
    stopped.await();
    deadLetterThread.join(Duration.ofSeconds(3));
  }

  /** {@code Main migrate}'s variables: the database's owner, granting its runtime role. */
  private static Map<String, String> migrateEnvironment(
      TestDatabase database, Map<String, String> kek) {
    Map<String, String> environment =
        new HashMap<>(
            Map.of(
                "REKKO_STORE_JDBC_URL", database.jdbcUrl(),
                "REKKO_STORE_USERNAME", database.username(),
                "REKKO_STORE_PASSWORD", database.password(),
                "REKKO_STORE_RUNTIME_ROLE", database.runtimeUsername()));
    environment.putAll(kek);
    return environment;
  }

  private static Map<String, String> environment(
      int index,
      KafkaBroker kafka,
      TestDatabase database,
      RedisServer redis,
      Map<String, String> kek) {
    Map<String, String> environment =
        new HashMap<>(
            Map.of(
                "REKKO_WORKER_INSTANCE_ID", "local-worker-" + index,
                "REKKO_WORKER_SHUTDOWN_DEADLINE", SHUTDOWN_DEADLINE.toSeconds() + "s",
                "REKKO_OPS_HTTP_PORT", "0",
                "REKKO_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "REKKO_KAFKA_CREATE_TOPICS", "false",
                "REKKO_STORE_JDBC_URL", database.jdbcUrl(),
                "REKKO_STORE_USERNAME", database.runtimeUsername(),
                "REKKO_STORE_PASSWORD", database.runtimePassword(),
                "REKKO_REDIS_URL", redis.uri()));
    environment.putAll(kek);
    return environment;
  }

  private static void awaitReady(List<WorkerApp> workers, PrintStream out)
      throws InterruptedException {
    long end = System.nanoTime() + READY_WAIT.toNanos();
    while (!workers.stream().allMatch(WorkerApp::isReady)) {
      if (System.nanoTime() > end) {
        out.println("!!! the workers are not ready after " + READY_WAIT + "; see their logs");
        return;
      }
      Thread.sleep(200);
    }
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join(Duration.ofSeconds(3));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Closes the workers in parallel: each drains within its own deadline. */
  private static void closeAll(List<WorkerApp> workers) {
    List<Thread> closers = new ArrayList<>();
    for (WorkerApp worker : workers) {
      closers.add(
          Thread.ofPlatform()
              .name("local-stack-close-" + worker.config().worker().instanceId())
              .start(worker::close));
    }
    for (Thread closer : closers) {
      try {
        closer.join(SHUTDOWN_DEADLINE.plusSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void banner(
      PrintStream out,
      KafkaBroker kafka,
      TestDatabase database,
      RedisServer redis,
      List<WorkerApp> workers) {
    out.println();
    out.println("=== Rekko local stack is running (Ctrl-C stops everything) ===");
    out.println(
        "Kafka:      "
            + kafka.bootstrapServers()
            + "  (topics "
            + Topics.COMMANDS
            + ", "
            + Topics.ADMIN
            + ", "
            + Topics.COMMANDS_DLQ
            + ")");
    out.println(
        "PostgreSQL: "
            + database.jdbcUrl()
            + "  (owner "
            + database.username()
            + ", workers log in as "
            + database.runtimeUsername()
            + ")");
    out.println(
        "Redis:      "
            + redis.uri()
            + "  (watch: redis-cli -p "
            + redis.port()
            + " PSUBSCRIBE 'rekko:events:*')");
    for (WorkerApp worker : workers) {
      String base = "http://127.0.0.1:" + worker.opsPort();
      out.println(
          "Worker "
              + worker.config().worker().instanceId()
              + ": "
              + base
              + "/health/ready  "
              + base
              + "/health/live  "
              + base
              + "/metrics");
    }
    out.println("--> command sent    <-- event received on Redis    xxx dead letter");
    out.println();
  }
}
