package io.rekko.worker.app;

import io.rekko.worker.crypto.KeyRing;
import io.rekko.worker.engine.EngineSettings;
import io.rekko.worker.store.MigrationSettings;
import io.rekko.worker.store.StoreLogin;
import io.rekko.worker.store.StoreRetention;
import io.rekko.worker.store.StoreSettings;
import io.rekko.worker.store.StoreTimeouts;
import io.rekko.worker.support.Secret;
import java.time.Duration;
import java.util.Map;

/**
 * Reads the store's settings ({@code store.*}) and the rules that tie them to the engine's: the
 * pool must serve every batch in flight, and the ledger must outlive the topic's records. The
 * {@code migrate} step reads the login, {@code store.runtime-role} and the key-encryption keys
 * ({@link #readMigration}).
 */
final class StoreConfig {
  static final String JDBC_URL = "store.jdbc-url";
  static final String USERNAME = "store.username";
  static final String PASSWORD = "store.password";
  static final String POOL_SIZE = "store.pool-size";
  static final String CONNECTION_TIMEOUT = "store.connection-timeout";
  static final String STATEMENT_TIMEOUT = "store.statement-timeout";
  static final String RETENTION = "store.retention";
  static final String RETENTION_BATCH_SIZE = "store.retention-batch-size";
  static final String RUNTIME_ROLE = "store.runtime-role";

  /** The key family of the key-encryption keys: {@code store.kek.<id>}. */
  static final String KEK_PREFIX = "store.kek.";

  static final String KEK_CURRENT = KEK_PREFIX + "current";

  /** Connections the outbox sweeper and the invalidation watch hold besides the batches. */
  static final int BACKGROUND_CONNECTIONS = 2;

  private StoreConfig() {}

  static StoreSettings read(ConfigSource source) {
    int mark = source.mark();
    String url = url(source);
    String username = source.required(USERNAME);
    Secret password = source.secret(PASSWORD);
    int poolSize = source.integer(POOL_SIZE, 1, 200);
    Duration connection = connectionTimeout(source);
    Duration statement =
        source.duration(STATEMENT_TIMEOUT, Duration.ofMillis(100), Duration.ofMinutes(10));
    Duration retention = source.duration(RETENTION, Duration.ofHours(1), Duration.ofDays(365));
    int batch = source.integer(RETENTION_BATCH_SIZE, 1, 100_000);
    KeyRing keys = keyRing(source);
    return source.buildIfClean(
        "store",
        mark,
        () ->
            new StoreSettings(
                new StoreLogin(url, username, password),
                poolSize,
                new StoreTimeouts(connection, statement),
                new StoreRetention(retention, batch),
                keys));
  }

  /**
   * The key-encryption keys ({@code store.kek.<id>}, {@code store.kek.current}), or null after
   * recording why they are unusable. Required: there is no way to run without encryption at rest.
   */
  static KeyRing keyRing(ConfigSource source) {
    Map<String, Secret> keks = source.secretFamily(KEK_PREFIX);
    String current = source.string(KEK_CURRENT);
    // KeyRing's messages name the setting and the rule, never a key's value.
    return source.build("key-encryption keys", () -> KeyRing.of(keks, current));
  }

  /**
   * What the {@code migrate} step needs: the login (the owner's, when an operator runs it), the
   * connection timeout, the runtime role to grant the worker's privileges to, and the
   * key-encryption keys (it seals what older releases stored in plaintext, and re-wraps data keys
   * under the current KEK).
   */
  static MigrationSettings readMigration(ConfigSource source) {
    int mark = source.mark();
    String url = url(source);
    String username = source.required(USERNAME);
    Secret password = source.secret(PASSWORD);
    Duration connection = connectionTimeout(source);
    String role = source.string(RUNTIME_ROLE);
    source.expect(
        role.matches(MigrationSettings.ROLE_PATTERN),
        RUNTIME_ROLE,
        "must be a role name of 1 to 63 lower-case letters, digits or '_', not starting with a"
            + " digit");
    source.expect(
        !role.equals(username),
        RUNTIME_ROLE,
        "must not be store.username: migrate runs as the owner and grants the worker's privileges"
            + " to another role");
    KeyRing keys = keyRing(source);
    return source.buildIfClean(
        "store",
        mark,
        () ->
            new MigrationSettings(new StoreLogin(url, username, password), role, connection, keys));
  }

  private static String url(ConfigSource source) {
    String url = source.required(JDBC_URL);
    if (!url.isEmpty() && !url.startsWith(StoreLogin.URL_PREFIX)) {
      // Not through expect(): the URL is not echoed, it may carry a password as a parameter.
      source.problem(JDBC_URL, "must start with " + StoreLogin.URL_PREFIX);
    }
    return url;
  }

  private static Duration connectionTimeout(ConfigSource source) {
    return source.duration(CONNECTION_TIMEOUT, StoreTimeouts.MIN_CONNECTION, Duration.ofMinutes(5));
  }

  /**
   * Refuses a pool smaller than the work that holds connections at once: every batch in flight
   * holds one for its transaction, and the outbox sweeper and the invalidation watch one each.
   */
  static void checkPoolSize(ConfigSource source, StoreSettings store, EngineSettings engine) {
    if (store == null || engine == null) {
      return;
    }
    int maxInFlight = engine.flow().maxInFlight();
    int batchSize = engine.flow().batchSize();
    int batches = (maxInFlight + batchSize - 1) / batchSize;
    int needed = batches + BACKGROUND_CONNECTIONS;
    if (store.poolSize() < needed) {
      source.problem(
          POOL_SIZE,
          "must be at least "
              + needed
              + " (the "
              + batches
              + " batches that "
              + EngineConfig.MAX_IN_FLIGHT
              + "="
              + maxInFlight
              + " and "
              + EngineConfig.BATCH_SIZE
              + "="
              + batchSize
              + " allow at once, plus "
              + BACKGROUND_CONNECTIONS
              + " for the outbox sweeper and the invalidation watch), was '"
              + source.string(POOL_SIZE)
              + "'");
    }
  }

  /**
   * A ledger row must outlive every copy of its command in the input topic, or a redelivery of an
   * old record (a consumer group reset, a lagging group) would find no ledger row and apply the
   * command a second time. The worker knows the topic's retention only when it creates the topic.
   */
  static void checkRetention(
      ConfigSource source,
      StoreSettings store,
      EngineSettings engine,
      TopicRetention topicRetention) {
    if (store == null || engine == null || topicRetention == null || !engine.topics().create()) {
      return;
    }
    if (store.retention().age().compareTo(topicRetention.longest()) < 0) {
      String longest =
          topicRetention.longest().equals(topicRetention.commands())
              ? EngineConfig.TOPIC_RETENTION
              : EngineConfig.ADMIN_TOPIC_RETENTION;
      source.problem(
          RETENTION,
          "must be at least "
              + longest
              + " ("
              + ConfigSource.show(topicRetention.longest())
              + ") while "
              + EngineConfig.CREATE_TOPICS
              + "=true: a command redelivered after its ledger row was purged would be applied"
              + " twice, was '"
              + source.string(RETENTION)
              + "'");
    }
  }
}
