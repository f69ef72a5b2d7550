package io.rekko.bench.faults;

import io.rekko.bench.KafkaProcess;
import io.rekko.testkit.DisposablePostgres;
import io.rekko.testkit.DisposableRedisCluster;
import io.rekko.testkit.PostgresSettings;
import io.rekko.testkit.TcpProxy;
import io.rekko.testkit.TestDatabase;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The servers of a fault run, each with the means to fail it, and each reached by the workers
 * through a TCP proxy ({@link TcpProxy}) that can go silent or slow:
 *
 * <ul>
 *   <li>a Kafka broker in a JVM of its own, behind a proxy in that JVM whose address it advertises,
 *       so that every client stays behind it (the suite's own producer and readers too);
 *   <li>PostgreSQL, {@code fsync} and {@code synchronous_commit} on; the workers reach it through a
 *       proxy, the migrate step and the checker directly;
 *   <li>a Redis Cluster of three masters without replicas, each node behind a proxy whose port it
 *       announces, with {@code cluster-require-full-coverage no} (as {@code config/} advises for a
 *       Cluster without replicas), so a lost master takes only its own slots away. The event
 *       listener subscribes on the nodes directly.
 * </ul>
 */
final class FaultServers implements AutoCloseable {
  /** Seconds the Cluster's nodes wait before declaring a silent peer failed. */
  private static final Duration NODE_TIMEOUT = Duration.ofSeconds(5);

  private final KafkaProcess.Running kafka;
  private final DisposablePostgres postgres;
  private final TcpProxy postgresProxy;
  private final DisposableRedisCluster redis;
  private final List<TcpProxy> redisProxies;

  private FaultServers(
      KafkaProcess.Running kafka,
      DisposablePostgres postgres,
      TcpProxy postgresProxy,
      DisposableRedisCluster redis,
      List<TcpProxy> redisProxies) {
    this.kafka = kafka;
    this.postgres = postgres;
    this.postgresProxy = postgresProxy;
    this.redis = redis;
    this.redisProxies = List.copyOf(redisProxies);
  }

  static FaultServers start(Path runDir) throws InterruptedException {
    List<AutoCloseable> started = new ArrayList<>();
    try {
      KafkaProcess.Running kafka = KafkaProcess.start(runDir, true);
      started.add(kafka);
      DisposablePostgres postgres = DisposablePostgres.start(PostgresSettings.durable());
      started.add(postgres);
      TcpProxy postgresProxy = TcpProxy.start("postgres", "127.0.0.1", postgres.port());
      started.add(postgresProxy);
      DisposableRedisCluster redis = DisposableRedisCluster.start(NODE_TIMEOUT);
      started.add(redis);
      List<TcpProxy> redisProxies = new ArrayList<>();
      for (String node : redis.nodeUris()) {
        TcpProxy proxy =
            TcpProxy.start("redis-" + redisProxies.size(), "127.0.0.1", URI.create(node).getPort());
        started.add(proxy);
        redisProxies.add(proxy);
      }
      redis.announceClientPorts(redisProxies.stream().map(TcpProxy::port).toList());
      redis.serveWithoutFullCoverage();
      return new FaultServers(kafka, postgres, postgresProxy, redis, redisProxies);
    } catch (RuntimeException | InterruptedException e) {
      started.reversed().forEach(FaultServers::quietly);
      throw e;
    }
  }

  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  TestDatabase createDatabase(String prefix) {
    return postgres.createDatabase(prefix);
  }

  /**
   * What tells a worker where the servers are: Kafka, PostgreSQL through its proxy, and the Cluster
   * through its nodes' proxies, events published with {@code SPUBLISH}.
   */
  Map<String, String> workerEnvironment(TestDatabase database) {
    return Map.of(
        "REKKO_KAFKA_BOOTSTRAP_SERVERS",
        bootstrapServers(),
        "REKKO_STORE_JDBC_URL",
        "jdbc:postgresql://127.0.0.1:" + postgresProxy.port() + "/" + database.name(),
        "REKKO_REDIS_MODE",
        "cluster",
        "REKKO_REDIS_URL",
        redisProxies.stream()
            .map(proxy -> "redis://127.0.0.1:" + proxy.port())
            .collect(Collectors.joining(",")),
        "REKKO_REDIS_PUBSUB_SHARDED",
        "true");
  }

  /** The Cluster's masters as a subscriber reaches them directly, by shard. */
  List<String> redisNodeUris() {
    return redis.nodeUris();
  }

  void blackholeKafka() {
    kafka.blackhole();
  }

  void passKafka() {
    kafka.pass();
  }

  /** Fast shutdown: every connection is cut; the data is kept. */
  void stopPostgres() {
    postgres.stop();
  }

  void startPostgres() {
    postgres.startAgain();
  }

  void blackholePostgres() {
    postgresProxy.blackhole();
  }

  void passPostgres() {
    postgresProxy.pass();
  }

  /** Stops every node of the Cluster: Redis is gone. */
  void stopRedis() {
    redis.stopAll();
  }

  /** Starts every node again, empty, and returns once the Cluster is healthy. */
  void startRedisEmpty() {
    redis.restartAll();
  }

  /** SIGKILLs the master of {@code shard} (0 to 2). */
  void killRedisMaster(int shard) {
    redis.killNode(shard);
  }

  /** Starts the master of {@code shard} again, empty, and returns once the Cluster is healthy. */
  void restartRedisMaster(int shard) {
    redis.restartNode(shard);
  }

  /** Holds every chunk between the workers and each Redis node {@code by}, both ways. */
  void slowRedis(Duration by) {
    redisProxies.forEach(proxy -> proxy.delay(by));
  }

  void passRedis() {
    redisProxies.forEach(TcpProxy::pass);
  }

  /** Whether PostgreSQL answers through the workers' proxy within {@code within}. */
  boolean postgresAnswers(Duration within) {
    return Probe.postgres(postgresProxy.port(), within).isPresent();
  }

  /** Whether the broker answers through its proxy within {@code within}. */
  boolean kafkaAnswers(Duration within) {
    return Probe.kafka(bootstrapServers(), within);
  }

  /**
   * How long the master of {@code shard} took to answer {@code PING} through the workers' proxy, or
   * empty if it did not within {@code within}.
   */
  Optional<Duration> redisPing(int shard, Duration within) {
    return Probe.redis(redisProxies.get(shard).port(), within);
  }

  /** The number of masters. */
  int redisShards() {
    return redisProxies.size();
  }

  @Override
  public void close() {
    try (kafka;
        postgres;
        postgresProxy;
        redis) {
      redisProxies.forEach(TcpProxy::close);
    }
  }

  private static void quietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Closing what failed to start; the start's own failure is the one reported.
    }
  }
}
