package io.rekko.testkit;

/**
 * The servers every integration test shares: one of each kind per JVM, started on first use and
 * stopped when the JVM exits.
 *
 * <p>Tests isolate themselves by name, never by owning a shared server: a unique topic ({@link
 * KafkaBroker#uniqueTopic}), a database of their own ({@link PostgresServer#createDatabase}), a
 * key prefix of their own. A test that needs to stop, restart or flush a server starts a {@code
 * Disposable*} one instead.
 *
 * <p>An environment variable points a kind at an existing server instead of starting one:
 * {@code REKKO_TEST_KAFKA_BOOTSTRAP_SERVERS}, {@code REKKO_TEST_POSTGRES_URL}, {@code
 * REKKO_TEST_REDIS_URI}, {@code REKKO_TEST_REDIS_CLUSTER_URIS}. The first use of each kind logs
 * one line naming the server the tests use.
 */
public final class TestServers {

  private static final SharedServer<KafkaBroker> KAFKA = new SharedServer<>("Kafka",
      () -> external("REKKO_TEST_KAFKA_BOOTSTRAP_SERVERS") == null
          ? EmbeddedKafka.start()
          : new ExternalKafka(external("REKKO_TEST_KAFKA_BOOTSTRAP_SERVERS")));

  private static final SharedServer<PostgresServer> POSTGRES = new SharedServer<>("PostgreSQL",
      () -> external("REKKO_TEST_POSTGRES_URL") == null
          ? DisposablePostgres.start()
          : new ExternalPostgres(external("REKKO_TEST_POSTGRES_URL")));

  private static final SharedServer<RedisServer> REDIS = new SharedServer<>("Redis",
      () -> external("REKKO_TEST_REDIS_URI") == null
          ? DisposableRedis.startShared()
          : new ExternalRedis(external("REKKO_TEST_REDIS_URI")));

  private static final SharedServer<RedisClusterServer> REDIS_CLUSTER =
      new SharedServer<>("Redis Cluster",
          () -> external("REKKO_TEST_REDIS_CLUSTER_URIS") == null
              ? DisposableRedisCluster.startShared()
              : new ExternalRedisCluster(external("REKKO_TEST_REDIS_CLUSTER_URIS")));

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

  private static String external(String variable) {
    String value = System.getenv(variable);
    return value == null || value.isBlank() ? null : value;
  }
}
