package io.rekko.testkit;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Joins fresh Redis cluster nodes into one cluster of masters and waits until every node agrees.
 *
 * <p>It does by hand what {@code redis-cli --cluster create} does, without its one-second sleeps:
 * distinct config epochs (so no epoch collision needs resolving), an even split of the 16384 slots,
 * and a {@code CLUSTER MEET} from the first node to each other one.
 */
final class ClusterFormation {

  static final int SLOTS = 16384;
  private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(30);

  private ClusterFormation() {}

  static void form(List<RedisProcess> nodes) {
    try {
      for (int i = 0; i < nodes.size(); i++) {
        RedisEndpoint node = nodes.get(i).endpoint();
        node.call("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
        int first = SLOTS * i / nodes.size();
        int last = SLOTS * (i + 1) / nodes.size() - 1;
        node.call("CLUSTER", "ADDSLOTSRANGE", Integer.toString(first), Integer.toString(last));
      }
      RedisEndpoint seed = nodes.getFirst().endpoint();
      for (RedisProcess other : nodes.subList(1, nodes.size())) {
        seed.call(
            "CLUSTER",
            "MEET",
            "127.0.0.1",
            Integer.toString(other.port()),
            Integer.toString(other.clusterBusPort()));
      }
    } catch (IOException e) {
      throw new TestServerException("could not form a Redis cluster of " + nodes, e);
    }
    awaitHealthy(nodes);
  }

  /** Waits until every node sees all nodes, all slots assigned and {@code cluster_state:ok}. */
  static void awaitHealthy(List<RedisProcess> nodes) {
    for (RedisProcess node : nodes) {
      Polling.until(
          "Redis cluster node " + node + " to report cluster_state:ok",
          FORMATION_TIMEOUT,
          () -> isHealthy(node.endpoint(), nodes.size()) ? Boolean.TRUE : null);
    }
  }

  private static boolean isHealthy(RedisEndpoint node, int clusterSize) throws IOException {
    String info = String.valueOf(node.call("CLUSTER", "INFO"));
    return info.contains("cluster_state:ok")
        && info.contains("cluster_known_nodes:" + clusterSize + "\r")
        && info.contains("cluster_slots_ok:" + SLOTS + "\r");
  }
}
