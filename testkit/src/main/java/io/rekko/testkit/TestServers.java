package io.rekko.testkit;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The servers every integration test shares: one of each kind per JVM, started on first use and
 * stopped when the JVM exits.
 *
 * <p>Tests isolate themselves by name, never by owning a shared server: a unique topic ({@link
 * KafkaBroker#uniqueTopic}), a database of their own ({@link PostgresServer#createDatabase}), a key
 * prefix of their own. A test that needs to stop, restart or flush a server starts a {@code
 * Disposable*} one instead.
 *
 * <p>An environment variable points a kind at an existing server instead of starting one: {@code
 * REKKO_TEST_KAFKA_BOOTSTRAP_SERVERS}, {@code REKKO_TEST_POSTGRES_URL}, {@code
 * REKKO_TEST_REDIS_URI}, {@code REKKO_TEST_REDIS_CLUSTER_URIS}. The first use of each kind logs one
 * line naming the server the tests use.
 */
public final class TestServers {

  private static final SharedServer<KafkaBroker> KAFKA =
      shared(
          "Kafka", "REKKO_TEST_KAFKA_BOOTSTRAP_SERVERS", ExternalKafka::new, EmbeddedKafka::start);

  private static final SharedServer<PostgresServer> POSTGRES =
      shared(
          "PostgreSQL",
          "REKKO_TEST_POSTGRES_URL",
          ExternalPostgres::new,
          DisposablePostgres::start);

  private static final SharedServer<RedisServer> REDIS =
      shared("Redis", "REKKO_TEST_REDIS_URI", ExternalRedis::new, DisposableRedis::startShared);

  private static final SharedServer<RedisClusterServer> REDIS_CLUSTER =
      shared(
          "Redis Cluster",
          "REKKO_TEST_REDIS_CLUSTER_URIS",
          ExternalRedisCluster::new,
          DisposableRedisCluster::startShared);

  private TestServers() {}

  public static KafkaBroker kafka() {
    return KAFKA.get();
  }

  public static PostgresServer postgres() {
    return POSTGRES.get();
  }

  /** A standalone {@code redis-server}. */
  public static RedisServer redis() {
    return REDIS.get();
  }

  /** Three masters, no replicas. */
  public static RedisClusterServer redisCluster() {
    return REDIS_CLUSTER.get();
  }

  /**
   * Closes {@code user} when the JVM exits, before every server started so far (servers and users
   * are closed in the reverse order of their start): for something that uses the servers, such as
   * the local stack's workers, so that it stops while they still answer. The JVM's own shutdown
   * hooks would race the servers' shutdown instead.
   */
  public static void closeAtExit(AutoCloseable user) {
    JvmExit.closeAtExit(user);
  }

  private static <T> SharedServer<T> shared(
      String kind, String variable, Function<String, T> external, Supplier<T> embedded) {
    return new SharedServer<>(
        kind,
        () -> {
          String value = System.getenv(variable);
          return value == null || value.isBlank() ? embedded.get() : external.apply(value);
        });
  }
}
