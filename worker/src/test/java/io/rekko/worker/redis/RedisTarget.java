package io.rekko.worker.redis;

import io.rekko.testkit.RedisClusterServer;
import io.rekko.testkit.RedisServer;
import io.rekko.testkit.TestServers;
import java.util.List;

/**
 * Where a Redis test runs: the shared standalone server or the shared 3-master Cluster of the
 * testkit. The same test classes run against both.
 *
 * @param name for messages
 * @param settings connection settings with every default
 * @param nodeUris every node (every master of a Cluster), for the keyspace guard
 */
record RedisTarget(String name, RedisSettings settings, List<String> nodeUris) {

  static RedisTarget standalone() {
    RedisServer server = TestServers.redis();
    return new RedisTarget(
        "standalone", RedisSettings.standalone(server.uri()), List.of(server.uri()));
  }

  static RedisTarget cluster() {
    RedisClusterServer cluster = TestServers.redisCluster();
    return new RedisTarget(
        "cluster", RedisSettings.cluster(cluster.nodeUris()), cluster.nodeUris());
  }

  static RedisTarget of(RedisServer server) {
    return new RedisTarget(
        server.toString(), RedisSettings.standalone(server.uri()), List.of(server.uri()));
  }

  boolean isCluster() {
    return settings.servers().topology() == RedisServers.Topology.CLUSTER;
  }
}
