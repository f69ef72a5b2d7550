package io.rekko.worker.e2e;

import io.rekko.testkit.RedisClusterServer;
import io.rekko.testkit.RedisServer;
import io.rekko.testkit.TestServers;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Redis an end-to-end class runs on, as its workers and its observers reach it: a standalone
 * server, or a Redis Cluster the workers use in {@code redis.mode=cluster}.
 *
 * <p>The suite runs twice (two failsafe executions in {@code worker/pom.xml}): on the shared
 * standalone server, and with {@code -Drekko.e2e.redis=cluster} on the shared 3-master Cluster. On
 * a Cluster, a plain {@code PUBLISH} reaches the subscribers of every node, so the test's
 * subscriber listens on one node; a {@code SCAN} sees only its own node, so the keyspace guard and
 * the flushes go to every master.
 */
final class E2eRedis {
  /**
   * The system property that picks the run: {@code standalone} (the default) or {@code cluster}.
   */
  static final String RUN_PROPERTY = "rekko.e2e.redis";

  private final boolean cluster;
  private final List<String> workerUrls;
  private final String observedUri;
  private final Supplier<List<String>> masters;

  private E2eRedis(
      boolean cluster,
      List<String> workerUrls,
      String observedUri,
      Supplier<List<String>> masters) {
    this.cluster = cluster;
    this.workerUrls = List.copyOf(workerUrls);
    this.observedUri = observedUri;
    this.masters = masters;
  }

  /** Whether this run of the suite is the Cluster run. */
  static boolean clusterRun() {
    String run = System.getProperty(RUN_PROPERTY, "standalone");
    return switch (run) {
      case "standalone" -> false;
      case "cluster" -> true;
      default ->
          throw new IllegalStateException(
              RUN_PROPERTY + " must be standalone or cluster, was '" + run + "'");
    };
  }

  /**
   * Appended to a class's name in the Cluster run, so that its topics, database, group and workers
   * never share a name with the standalone run's.
   */
  static String runSuffix() {
    return clusterRun() ? "-cluster" : "";
  }

  /** The shared server of this run: the standalone one, or the Cluster in the Cluster run. */
  static E2eRedis shared() {
    return clusterRun() ? of(TestServers.redisCluster()) : of(TestServers.redis());
  }

  static E2eRedis of(RedisServer server) {
    return standalone(server.uri(), server.uri());
  }

  /**
   * A standalone server the workers reach at {@code workerUri}, the test at {@code observedUri}.
   */
  static E2eRedis standalone(String workerUri, String observedUri) {
    return new E2eRedis(false, List.of(workerUri), observedUri, () -> List.of(observedUri));
  }

  static E2eRedis of(RedisClusterServer cluster) {
    return cluster(cluster.nodeUris(), cluster);
  }

  /**
   * A Cluster the workers seed from {@code workerUrls}; the test observes {@code cluster}'s masters
   * directly (the first one for its subscriber), asking it again each time since a failover may
   * have changed them.
   */
  static E2eRedis cluster(List<String> workerUrls, RedisClusterServer cluster) {
    return new E2eRedis(true, workerUrls, cluster.nodeUris().getFirst(), cluster::nodeUris);
  }

  boolean isCluster() {
    return cluster;
  }

  /** The workers' {@code redis.mode}. */
  String mode() {
    return cluster ? "cluster" : "standalone";
  }

  /** The workers' {@code redis.url}: one server, or the Cluster's seeds, comma-separated. */
  String workerUrl() {
    return String.join(",", workerUrls);
  }

  /** Where the test's subscribers connect: the server, or one node of the Cluster. */
  String observedUri() {
    return observedUri;
  }

  /** Every node holding keys now: the server, or each master of the Cluster. */
  List<String> masterUris() {
    return masters.get();
  }

  @Override
  public String toString() {
    return mode() + " Redis " + masterUris();
  }
}
