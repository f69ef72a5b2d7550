package io.rekko.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A private Redis Cluster of three masters and no replicas, whose nodes a fault test may stop and
 * restart.
 *
 * <p>A restarted node keeps its ports, identity and slots but no keys, like a master that crashed
 * without persistence; the cluster is healthy again when {@link #restartNode} returns. While a node
 * is down, the cluster reports {@code CLUSTERDOWN} once the others agree it failed (full coverage
 * is required, as by default).
 */
public final class DisposableRedisCluster implements RedisClusterServer, AutoCloseable {

  private static final int MASTERS = 3;
  private static final Duration SHARED_NODE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration DISPOSABLE_NODE_TIMEOUT = Duration.ofSeconds(1);

  private final List<RedisProcess> nodes;

  private DisposableRedisCluster(List<RedisProcess> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /**
   * Starts three nodes on free ports and forms the cluster. Nodes time out after one second, so a
   * stopped node is declared failed quickly.
   */
  public static DisposableRedisCluster start() {
    return start("disposable-redis-cluster", DISPOSABLE_NODE_TIMEOUT);
  }

  /** The shared cluster: a longer node timeout, so a busy machine never fails a node by mistake. */
  static DisposableRedisCluster startShared() {
    return start("shared-redis-cluster", SHARED_NODE_TIMEOUT);
  }

  private static DisposableRedisCluster start(String name, Duration nodeTimeout) {
    List<RedisProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < MASTERS; i++) {
        nodes.add(RedisProcess.startClusterNode(name + "-" + i, nodeTimeout));
      }
      ClusterFormation.form(nodes);
    } catch (RuntimeException e) {
      nodes.forEach(RedisProcess::destroy);
      throw e;
    }
    DisposableRedisCluster cluster = new DisposableRedisCluster(nodes);
    JvmExit.closeAtExit(cluster);
    return cluster;
  }

  @Override
  public List<String> nodeUris() {
    return nodes.stream().map(node -> node.endpoint().uri()).toList();
  }

  @Override
  public void flushAll() {
    nodes.forEach(node -> node.endpoint().flushAll());
  }

  @Override
  public void setUser(RedisUser user) {
    nodes.forEach(node -> node.endpoint().setUser(user));
  }

  /** Stops one master (0, 1 or 2); its slots become unavailable. */
  public void stopNode(int index) {
    node(index).stop();
  }

  /** Starts one master again, empty, and waits until the whole cluster is healthy. */
  public void restartNode(int index) {
    RedisProcess node = node(index);
    node.stop();
    node.start();
    ClusterFormation.awaitHealthy(nodes);
  }

  public boolean isNodeRunning(int index) {
    return node(index).isRunning();
  }

  private RedisProcess node(int index) {
    if (index < 0 || index >= nodes.size()) {
      throw new IllegalArgumentException(
          "Redis cluster node index must be 0-" + (nodes.size() - 1) + ", was " + index);
    }
    return nodes.get(index);
  }

  @Override
  public void close() {
    JvmExit.forget(this);
    nodes.forEach(RedisProcess::destroy);
  }

  @Override
  public String toString() {
    return "Redis Cluster of " + MASTERS + " redis-server masters " + nodeUris();
  }
}
