package io.rekko.worker.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.rekko.schema.Command;
import io.rekko.schema.CommandCodec;
import io.rekko.schema.CommandEnvelope;
import io.rekko.schema.CommandType;
import io.rekko.schema.Embedding;
import io.rekko.schema.Event;
import io.rekko.schema.EventCodec;
import io.rekko.schema.EventType;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantUpsert;
import io.rekko.schema.Topics;
import io.rekko.testkit.KafkaBroker;
import io.rekko.testkit.TestDatabase;
import io.rekko.testkit.TestServers;
import io.rekko.worker.store.TestKeys;
import io.rekko.worker.support.RekkoException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The worker as an operator runs it: configured only through {@code REKKO_*} variables pointing at
 * real servers, started by {@link WorkerApp#start}, watched through its HTTP port, fed through
 * Kafka and heard through Redis pub/sub.
 */
class WorkerAppIT {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void aStartedWorkerBecomesReadyServesItsEndpointsAndStopsWithinItsDeadline() throws Exception {
    String instance = "app-it-ops-" + UUID.randomUUID().toString().substring(0, 8);
    WorkerConfig config = TestConfig.load(environment(instance));
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    WorkerApp app = WorkerApp.start(config, Clock.systemUTC());
    try {
      await().atMost(Duration.ofSeconds(60)).until(app::isReady);
      assertTrue(threadsOf(instance).contains(instance + "-consumer"), "the check sees ours");
      assertEquals(200, get(app, "/health/live").statusCode());
      HttpResponse<String> ready = get(app, "/health/ready");
      assertEquals(200, ready.statusCode(), ready.body());
      assertTrue(ready.body().contains("engine: up (consuming)"), ready.body());
      assertTrue(ready.body().contains("postgres: up"), ready.body());
      assertTrue(ready.body().contains("redis: up"), ready.body());
      assertTrue(ready.body().contains("outbox: up (no event pending)"), ready.body());
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                String metrics = get(app, "/metrics").body();
                assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM memory");
                assertTrue(metrics.contains("jvm_gc_"), "JVM GC");
                assertTrue(metrics.contains("jvm_threads_live_threads"), "JVM threads");
                assertTrue(metrics.contains("process_uptime_seconds"), "uptime");
                assertTrue(metrics.contains("kafka_consumer_"), "Kafka consumer");
                assertTrue(
                    metrics.contains("client_id=\"" + instance + "-consumer\""), "Kafka client id");
                assertTrue(metrics.contains("rekko_engine_"), "engine meters");
                assertTrue(
                    metrics.contains("rekko_outbox_oldest_pending_age_seconds"), "outbox age");
              });
    } finally {
      long start = System.nanoTime();
      app.close();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertTrue(took.compareTo(DEADLINE) <= 0, "close took " + took);
    }
    assertTrue(!app.isReady(), "not ready once closed");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertEquals(Set.of(), threadsOf(instance));
              assertEquals(Set.of(), newNonDaemonThreads(before));
            });
  }

  @Test
  void aTenantAndItsFirstFaceYieldEventsOnTheTenantsChannel() throws Exception {
    String instance = "app-it-events-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> environment = environment(instance);
    TenantId tenant = TenantId.of("app-it-" + UUID.randomUUID().toString().substring(0, 8));
    try (Subscriber events = new Subscriber(Topics.eventsChannel(tenant));
        WorkerApp app = WorkerApp.start(TestConfig.load(environment), Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(60)).until(app::isReady);
      UUID upsertId = UUID.randomUUID();
      UUID registerId = UUID.randomUUID();
      send(environment, new TenantUpsert(envelope(upsertId, tenant), tenantConfig()));
      // Tenant and face commands have different keys, so possibly different partitions: the face
      // command is sent once the tenant exists, as a client would.
      Event updated = events.next();
      assertEquals(EventType.TENANT_UPDATED, updated.type());
      assertEquals(upsertId, updated.commandId());
      send(
          environment,
          new FaceRegister(
              envelope(registerId, tenant),
              ExternalId.of("alice"),
              embedding(),
              0.9,
              true,
              Map.of(),
              false));
      Event registered = events.next();
      assertEquals(EventType.FACE_REGISTERED, registered.type());
      assertEquals(registerId, registered.commandId());
      assertEquals(new FaceRegistered(ExternalId.of("alice"), false), registered.payload());
    }
  }

  @Test
  void aWorkerRefusesToStartOnADatabaseNeverMigratedNamingTheMigrateStep() {
    TestDatabase database = TestServers.postgres().createDatabase("app_it_unmigrated");
    WorkerConfig config = TestConfig.load(environment("app-it-unmigrated", database));

    RekkoException refused =
        assertThrows(RekkoException.class, () -> WorkerApp.start(config, Clock.systemUTC()));

    assertTrue(refused.getMessage().contains("schema is not migrated"), refused.getMessage());
    assertTrue(
        refused.getMessage().contains("io.rekko.worker.app.Main migrate"), refused.getMessage());
  }

  /** A worker's environment on a fresh database that the migrate step brought up to date. */
  private static Map<String, String> environment(String instance) {
    TestDatabase database = TestServers.postgres().createDatabase("app_it");
    MigrateStep.migrate(MigrateStepIT.ownerEnvironment(database));
    return environment(instance, database);
  }

  /** A worker's environment on {@code database}, logging in as its runtime role. */
  private static Map<String, String> environment(String instance, TestDatabase database) {
    KafkaBroker kafka = TestServers.kafka();
    String topic = kafka.uniqueTopic("app-it");
    return TestKeys.with(
        Map.ofEntries(
            Map.entry("REKKO_WORKER_INSTANCE_ID", instance),
            Map.entry("REKKO_WORKER_SHUTDOWN_DEADLINE", DEADLINE.toSeconds() + "s"),
            Map.entry("REKKO_OPS_HTTP_PORT", "0"),
            Map.entry("REKKO_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
            Map.entry("REKKO_KAFKA_GROUP_ID", topic + "-group"),
            Map.entry("REKKO_KAFKA_COMMANDS_TOPIC", topic),
            Map.entry("REKKO_KAFKA_ADMIN_TOPIC", topic + ".admin"),
            Map.entry("REKKO_KAFKA_DEAD_LETTER_TOPIC", topic + ".dlq"),
            Map.entry("REKKO_KAFKA_TOPIC_PARTITIONS", "3"),
            Map.entry("REKKO_STORE_JDBC_URL", database.jdbcUrl()),
            Map.entry("REKKO_STORE_USERNAME", database.runtimeUsername()),
            Map.entry("REKKO_STORE_PASSWORD", database.runtimePassword()),
            Map.entry("REKKO_REDIS_URL", TestServers.redis().uri())));
  }

  private static CommandEnvelope envelope(UUID commandId, TenantId tenant) {
    return CommandEnvelope.of(commandId, tenant, Instant.now());
  }

  private static TenantConfig tenantConfig() {
    return new TenantConfig(
        10, Map.of(CommandType.FACE_REGISTER, new RateLimit(100, 60_000)), 0.8, 64, 0.5, true);
  }

  private static Embedding embedding() {
    float[] values = new float[64];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) Math.sin(i + 1);
    }
    return Embedding.of(values);
  }

  private static void send(Map<String, String> environment, Command command) throws Exception {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            environment.get("REKKO_KAFKA_BOOTSTRAP_SERVERS"),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
      producer
          .send(
              new ProducerRecord<>(
                  environment.get(
                      command.type().isAdmin()
                          ? "REKKO_KAFKA_ADMIN_TOPIC"
                          : "REKKO_KAFKA_COMMANDS_TOPIC"),
                  command.recordKey(),
                  CommandCodec.withDefaults().encode(command)))
          .get();
    }
  }

  private static HttpResponse<String> get(WorkerApp app, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.opsPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** Live threads named after the instance, or by the libraries and parts the worker runs. */
  private static Set<String> threadsOf(String instance) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.contains(instance) || name.startsWith("rekko-ops"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * Non-daemon threads started since {@code before}, but the embedded Kafka broker's, which starts
   * some of its executors only when the first clients arrive.
   */
  private static Set<String> newNonDaemonThreads(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.isAlive() && !thread.isDaemon() && !before.contains(thread))
        .filter(thread -> thread != Thread.currentThread())
        .map(Thread::getName)
        .filter(name -> !name.startsWith("executor-"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** A tenant's event consumer: its own Redis client, subscribed to one channel. */
  private static final class Subscriber implements AutoCloseable {
    private final RedisClient client = RedisClient.create(TestServers.redis().uri());
    private final StatefulRedisPubSubConnection<String, byte[]> connection;
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();

    Subscriber(String channel) {
      connection = client.connectPubSub(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
      connection.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
              received.add(message);
            }
          });
      connection.sync().subscribe(channel);
    }

    Event next() throws InterruptedException {
      byte[] message = received.poll(60, TimeUnit.SECONDS);
      assertTrue(message != null, "no event within 60s");
      return EventCodec.withDefaults().decode(message);
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
