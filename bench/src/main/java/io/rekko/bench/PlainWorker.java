package io.rekko.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.rekko.bench.Answers.Answer;
import io.rekko.schema.CommandCodec;
import io.rekko.schema.DecodeResult;
import io.rekko.schema.FaceCommand;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * B2, the plain worker: the straightforward design, as Rekko's first worker was, for comparison.
 * One record at a time: decode, take the face's Redis lock, apply the command in one PostgreSQL
 * transaction of the worker's statements ({@link WorkerSql}), publish its event on the tenant's
 * channel, release the lock; once a poll's records are all done, commit their offsets. Nothing
 * overlaps and nothing is batched, but nothing is skipped either (verifications take the lock too,
 * as the first worker's did), and connections and statements are opened once.
 *
 * <p>It writes what the worker writes (faces, counts, fences, the ledger, with the same values), so
 * it can run on a database the worker used: a command already in the ledger gets its stored event
 * again and has no other effect. That includes the sealing: embeddings sealed under the tenant's
 * data key, fence rows keyed by HMACs ({@link WorkerSql}), the data keys read from {@code
 * tenant_keys} (or created there) with the workers' key-encryption key ({@link JdbcTenantKeys}). It
 * writes no outbox rows: it publishes directly. Face commands only (the tenants must exist); any
 * other record, or one that does not decode, is skipped.
 *
 * <p>Run as its own process until SIGTERM: {@code java -cp <bench classpath>
 * io.rekko.bench.PlainWorker bootstrap=<servers> topic=<topic> group=<group> jdbc-url=<url>
 * db-user=<user> [db-password=<password>] redis=redis://<host>:<port>}, with the session's KEK in
 * the environment as a worker gets it ({@link SessionKek#environment}). Exit status 2 for bad
 * arguments or a missing KEK, 1 when it fails.
 */
final class PlainWorker {
  private static final Logger log = LoggerFactory.getLogger(PlainWorker.class);

  private static final Duration POLL = Duration.ofMillis(200);
  private static final long LOCK_TTL_MS = 30_000;

  /** A lock held by someone else is released within milliseconds, or expires with its TTL. */
  private static final long LOCK_RETRY_MS = 1;

  /** Deletes the lock only if it still holds our token: an expired lock may be someone else's. */
  private static final String RELEASE =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1])"
          + " else return 0 end";

  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private final KafkaConsumer<String, byte[]> consumer;
  private final RedisClient redisClient;
  private final StatefulRedisConnection<String, byte[]> redisConnection;
  private final RedisCommands<String, byte[]> redis;
  private final Connection connection;
  private final JdbcTenantKeys keys;
  private final WorkerSql sql;
  private final CommandCodec codec = CommandCodec.withDefaults();

  /** Lock tokens: unique to this process and grant. */
  private final String tokenPrefix = UUID.randomUUID() + "/";

  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile boolean running = true;
  private long grants;
  private long answered;
  private long skipped;

  private PlainWorker(Settings settings, SessionKek kek) throws SQLException {
    this.keys =
        new JdbcTenantKeys(
            settings.jdbcUrl(), settings.dbUser(), settings.dbPassword(), kek.ring());
    this.connection =
        DriverManager.getConnection(settings.jdbcUrl(), settings.dbUser(), settings.dbPassword());
    connection.setAutoCommit(false);
    this.sql = new WorkerSql(connection, true, keys);
    this.redisClient = RedisClient.create(RedisURI.create(settings.redis()));
    this.redisConnection =
        redisClient.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    this.redis = redisConnection.sync();
    this.consumer = new KafkaConsumer<>(consumerProperties(settings));
    consumer.subscribe(List.of(settings.topic()));
  }

  public static void main(String[] args) {
    Settings settings;
    SessionKek kek;
    try {
      settings = Settings.parse(args);
      kek = SessionKek.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    PlainWorker worker;
    try {
      worker = new PlainWorker(settings, kek);
    } catch (SQLException | RuntimeException e) {
      log.error("the plain worker cannot start: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(Thread.ofPlatform().name("plain-worker-stop").unstarted(worker::stop));
    log.info("plain worker started: topic {}, group {}", settings.topic(), settings.group());
    if (!worker.run()) {
      System.exit(1);
    }
  }

  /** Polls and handles records until stopped; false if it failed. Closes everything either way. */
  private boolean run() {
    try {
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        for (ConsumerRecord<String, byte[]> record : records) {
          handle(record);
        }
        if (!records.isEmpty()) {
          commit();
        }
      }
      return true;
    } catch (WakeupException e) {
      return true; // stop() woke the consumer; every record handled is committed
    } catch (SQLException | RuntimeException e) {
      log.error("the plain worker failed: {}", e.getMessage(), e);
      return false;
    } finally {
      close();
    }
  }

  private void handle(ConsumerRecord<String, byte[]> record) throws SQLException {
    if (!(codec.decode(record.key(), record.value()) instanceof DecodeResult.Decoded decoded)
        || !(decoded.command() instanceof FaceCommand command)) {
      skipped++;
      return;
    }
    String lock = "rekko:" + command.tenantId().value() + ":lock:" + command.externalId().value();
    byte[] token = (tokenPrefix + ++grants).getBytes(StandardCharsets.UTF_8);
    acquire(lock, token);
    try {
      Answer answer = decide(command);
      redis.publish(answer.channel(), answer.event());
      answered++;
    } finally {
      redis.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {lock}, token);
    }
  }

  private void acquire(String lock, byte[] token) {
    SetArgs nxPx = SetArgs.Builder.nx().px(LOCK_TTL_MS);
    while (!"OK".equals(redis.set(lock, token, nxPx))) {
      try {
        Thread.sleep(LOCK_RETRY_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for lock " + lock, e);
      }
    }
  }

  /** One transaction: committed, or rolled back for a replay (which only re-publishes). */
  private Answer decide(FaceCommand command) throws SQLException {
    try {
      Answer answer = sql.apply(command, Instant.now());
      if (answer.replayed()) {
        connection.rollback();
      } else {
        connection.commit();
      }
      return answer;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    }
  }

  private void commit() {
    try {
      consumer.commitSync();
    } catch (WakeupException e) {
      consumer.commitSync(); // stopping: this poll's records are all handled, so commit them
      throw e;
    }
  }

  /** From the shutdown hook: wakes the poll and waits for {@link #run} to close everything. */
  private void stop() {
    if (closed.getCount() == 0) {
      return; // run() ended on its own and closed everything
    }
    running = false;
    consumer.wakeup();
    try {
      if (!closed.await(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.error("the plain worker did not close within {}; exiting anyway", CLOSE_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void close() {
    try {
      consumer.close(CloseOptions.timeout(CLOSE_WAIT));
      redisConnection.close();
      redisClient.shutdown();
      sql.close();
      connection.close();
      keys.close();
    } catch (SQLException | RuntimeException e) {
      log.warn("closing the plain worker failed: {}", e.getMessage(), e);
    } finally {
      log.info("plain worker stopped: {} commands answered, {} records skipped", answered, skipped);
      closed.countDown();
    }
  }

  private static Properties consumerProperties(Settings settings) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
    properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "plain-worker");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return properties;
  }

  /**
   * The command line, {@code key=value} arguments.
   *
   * @param redis {@code redis://host:port}
   */
  record Settings(
      String bootstrap,
      String topic,
      String group,
      String jdbcUrl,
      String dbUser,
      String dbPassword,
      String redis) {

    private static final Set<String> KEYS =
        Set.of("bootstrap", "topic", "group", "jdbc-url", "db-user", "db-password", "redis");

    /** Every key but {@code db-password} (default empty) is required; unknown keys are refused. */
    static Settings parse(String[] args) {
      Map<String, String> values = new HashMap<>();
      for (String arg : args) {
        int equals = arg.indexOf('=');
        String key = equals < 0 ? arg : arg.substring(0, equals);
        if (equals < 0 || !KEYS.contains(key)) {
          throw new IllegalArgumentException(
              "arguments are key=value with keys " + KEYS + "; got '" + arg + "'");
        }
        values.put(key, arg.substring(equals + 1));
      }
      return new Settings(
          required(values, "bootstrap"),
          required(values, "topic"),
          required(values, "group"),
          required(values, "jdbc-url"),
          required(values, "db-user"),
          values.getOrDefault("db-password", ""),
          required(values, "redis"));
    }

    private static String required(Map<String, String> values, String key) {
      String value = values.get(key);
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("missing argument " + key + "=<value>");
      }
      return value;
    }
  }
}
