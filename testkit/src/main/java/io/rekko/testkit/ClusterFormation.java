package io.rekko.testkit;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins fresh Redis cluster nodes into one cluster of masters, and optionally one replica per
 * master, and waits until every node agrees.
 *
 * <p>It does by hand what {@code redis-cli --cluster create} does, without its one-second sleeps:
 * distinct config epochs (so no epoch collision needs resolving), an even split of the 16384 slots
 * over the masters, a {@code CLUSTER MEET} from the first node to each other one, then {@code
 * CLUSTER REPLICATE} on each replica.
 */
final class ClusterFormation {

  static final int SLOTS = 16384;
  private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(60);

  private ClusterFormation() {}

  static void form(List<RedisProcess> nodes) {
    form(nodes, List.of());
  }

  /**
   * Forms a cluster of {@code masters} in which {@code replicas.get(i)}, if present, replicates
   * {@code masters.get(i)}; returns once every replica is in sync and every node knows its role.
   */
  static void form(List<RedisProcess> masters, List<RedisProcess> replicas) {
    if (replicas.size() > masters.size()) {
      throw new IllegalArgumentException(
          "at most one replica per master: " + replicas.size() + " for " + masters.size());
    }
    List<RedisProcess> nodes = new ArrayList<>(masters);
    nodes.addAll(replicas);
    formMasters(masters, nodes);
    awaitHealthy(nodes);
    try {
      for (int i = 0; i < replicas.size(); i++) {
        replicas.get(i).endpoint().call("CLUSTER", "REPLICATE", nodeId(masters.get(i)));
      }
    } catch (IOException e) {
      throw new TestServerException("could not attach replicas " + replicas, e);
    }
    for (int i = 0; i < replicas.size(); i++) {
      awaitInSync(replicas.get(i));
      awaitEveryNodeSees(nodes, replicas.get(i), "slave", nodeId(masters.get(i)));
    }
  }

  private static void formMasters(List<RedisProcess> masters, List<RedisProcess> nodes) {
    try {
      for (int i = 0; i < masters.size(); i++) {
        RedisEndpoint node = masters.get(i).endpoint();
        node.call("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
        int first = SLOTS * i / masters.size();
        int last = SLOTS * (i + 1) / masters.size() - 1;
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
  }

  /**
   * Waits until {@code replica} has taken over from its failed master: it is a master, every
   * running node sees it as one and the old master as failed, and the cluster is healthy again.
   */
  static void awaitFailover(
      List<RedisProcess> running, int clusterSize, RedisProcess replica, String failedId) {
    Polling.until(
        replica + " to be promoted",
        FAILOVER_TIMEOUT,
        () -> String.valueOf(replica.endpoint().call("ROLE")).startsWith("[master") ? true : null);
    awaitEveryNodeSees(running, replica, "master", "-");
    for (RedisProcess node : running) {
      Polling.until(
          node + " to see the failed master " + failedId + " as failed",
          FAILOVER_TIMEOUT,
          () -> flags(node, failedId).contains("fail") ? true : null);
      Polling.until(
          node + " to report cluster_state:ok after the failover",
          FAILOVER_TIMEOUT,
          () -> isHealthy(node.endpoint(), clusterSize) ? true : null);
    }
  }

  /** Waits until every node lists every node at the client port it announces. */
  static void awaitClientPorts(List<RedisProcess> nodes) {
    for (RedisProcess subject : nodes) {
      String id = nodeId(subject);
      String address = ":" + subject.clientPort() + "@";
      for (RedisProcess node : nodes) {
        Polling.until(
            node + " to list " + subject + " at client port " + subject.clientPort(),
            FORMATION_TIMEOUT,
            () -> line(node, id)[1].contains(address) ? true : null);
      }
    }
  }

  static String nodeId(RedisProcess node) {
    try {
      return String.valueOf(node.endpoint().call("CLUSTER", "MYID"));
    } catch (IOException e) {
      throw new TestServerException("could not ask " + node + " for its cluster node id", e);
    }
  }

  /** Waits until the replica's link to its master is up and its first sync is done. */
  private static void awaitInSync(RedisProcess replica) {
    Polling.until(
        replica + " to be in sync with its master",
        FORMATION_TIMEOUT,
        () -> {
          String info = String.valueOf(replica.endpoint().call("INFO", "replication"));
          return info.contains("master_link_status:up")
                  && info.contains("master_sync_in_progress:0")
              ? true
              : null;
        });
  }

  /**
   * Waits until every node's {@code CLUSTER NODES} gives {@code subject} the {@code role} flag and
   * {@code masterId} in the master column ({@code -} for a master).
   */
  private static void awaitEveryNodeSees(
      List<RedisProcess> nodes, RedisProcess subject, String role, String masterId) {
    String id = nodeId(subject);
    for (RedisProcess node : nodes) {
      Polling.until(
          node + " to see " + subject + " as " + role + " of " + masterId,
          FORMATION_TIMEOUT,
          () -> {
            String[] fields = line(node, id);
            boolean hasRole = List.of(fields[2].split(",")).contains(role);
            return hasRole && fields[3].equals(masterId) ? true : null;
          });
    }
  }

  private static String flags(RedisProcess node, String id) throws IOException {
    return line(node, id)[2];
  }

  /** The fields of {@code id}'s line in {@code node}'s {@code CLUSTER NODES}. */
  private static String[] line(RedisProcess node, String id) throws IOException {
    String nodes = String.valueOf(node.endpoint().call("CLUSTER", "NODES"));
    for (String line : nodes.split("\n")) {
      if (line.startsWith(id + " ")) {
        return line.strip().split(" ");
      }
    }
    throw new IOException(node + " does not know node " + id);
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
