package io.rekko.worker.app;

import static io.rekko.worker.store.StoreSettings.CONNECTION_TIMEOUT;
import static io.rekko.worker.store.StoreSettings.JDBC_URL;
import static io.rekko.worker.store.StoreSettings.PASSWORD;
import static io.rekko.worker.store.StoreSettings.POOL_SIZE;
import static io.rekko.worker.store.StoreSettings.RETENTION;
import static io.rekko.worker.store.StoreSettings.RETENTION_BATCH_SIZE;
import static io.rekko.worker.store.StoreSettings.STATEMENT_TIMEOUT;
import static io.rekko.worker.store.StoreSettings.USERNAME;

import io.rekko.worker.engine.EngineSettings;
import io.rekko.worker.store.StoreSettings;
import io.rekko.worker.support.Secret;
import java.time.Duration;

/**
 * Reads the store's settings ({@code store.*}; the key names are constants on {@link
 * StoreSettings}, whose messages name them too) and the rule that ties its retention to Kafka's.
 */
final class StoreConfig {
  /** Connections the outbox sweeper and the invalidation watch hold besides the batches. */
  static final int BACKGROUND_CONNECTIONS = 2;

  private StoreConfig() {}

  static StoreSettings read(ConfigSource source) {
    int mark = source.mark();
    String url = source.required(JDBC_URL);
    String username = source.required(USERNAME);
    Secret password = source.secret(PASSWORD);
    int poolSize =
        source.integer(POOL_SIZE, StoreSettings.MIN_POOL_SIZE, StoreSettings.MAX_POOL_SIZE);
    Duration connection =
        source.duration(
            CONNECTION_TIMEOUT,
            StoreSettings.MIN_CONNECTION_TIMEOUT,
            StoreSettings.MAX_CONNECTION_TIMEOUT);
    Duration statement =
        source.duration(
            STATEMENT_TIMEOUT,
            StoreSettings.MIN_STATEMENT_TIMEOUT,
            StoreSettings.MAX_STATEMENT_TIMEOUT);
    Duration retention =
        source.duration(RETENTION, StoreSettings.MIN_RETENTION, StoreSettings.MAX_RETENTION);
    int batch = source.integer(RETENTION_BATCH_SIZE, 1, StoreSettings.MAX_RETENTION_BATCH_SIZE);
    return source.buildIfClean(
        "store",
        mark,
        () ->
            new StoreSettings(
                url, username, password, poolSize, connection, statement, retention, batch));
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
      ConfigSource source, StoreSettings store, EngineSettings engine, Duration topicRetention) {
    if (store == null || engine == null || !engine.topics().create()) {
      return;
    }
    if (store.retention().compareTo(topicRetention) < 0) {
      source.problem(
          RETENTION,
          "must be at least "
              + EngineConfig.TOPIC_RETENTION
              + " ("
              + ConfigSource.show(topicRetention)
              + ") while "
              + EngineConfig.CREATE_TOPICS
              + "=true: a command redelivered after its ledger row was purged would be applied"
              + " twice, was '"
              + source.string(RETENTION)
              + "'");
    }
  }
}
