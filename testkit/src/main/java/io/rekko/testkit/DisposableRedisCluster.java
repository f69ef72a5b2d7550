package io.rekko.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A private Redis Cluster of three masters, with or without one replica each, whose nodes a fault
 * test may stop, restart or kill.
 *
 * <p>Without replicas: a restarted node keeps its ports, identity and slots but no keys, like a
 * master that crashed without persistence; the cluster is healthy again when {@link #restartNode}
 * returns. While a node is down, the cluster reports {@code CLUSTERDOWN} once the others agree it
 * failed (full coverage is required, as by default).
 *
 * <p>With replicas ({@link #startWithReplicas}): {@link #killMaster} crashes a shard's master and
 * returns once its replica has taken over, as a production failover does. Nodes are numbered
 * masters first (0-2), then replicas (3-5, node {@code 3 + i} replicating master {@code i}).
 */
public final class DisposableRedisCluster implements RedisClusterServer, AutoCloseable {

  private static final int MASTERS = 3;
  private static final Duration SHARED_NODE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration DISPOSABLE_NODE_TIMEOUT = Duration.ofSeconds(1);

  private static final Duration REPLICATED_NODE_TIMEOUT = Duration.ofSeconds(2);

  private final String name;
  private final List<RedisProcess> nodes;

  /** Per shard, the node serving its slots now: a replica once it has taken over. */
  private final List<RedisProcess> masters;

  private DisposableRedisCluster(String name, List<RedisProcess> nodes) {
    this.name = name;
    this.nodes = List.copyOf(nodes);
    this.masters = new ArrayList<>(nodes.subList(0, MASTERS));
  }

  /**
   * Starts three nodes on free ports and forms the cluster. Nodes time out after one second, so a
   * stopped node is declared failed quickly.
   */
  public static DisposableRedisCluster start() {
    return start("disposable-redis-cluster", DISPOSABLE_NODE_TIMEOUT);
  }

  /**
   * Starts three nodes whose peers declare one of them failed only after {@code nodeTimeout}: a
   * stopped master leaves the others serving their slots that long.
   */
  public static DisposableRedisCluster start(Duration nodeTimeout) {
    return start("disposable-redis-cluster", nodeTimeout);
  }

  /** The shared cluster: a longer node timeout, so a busy machine never fails a node by mistake. */
  static DisposableRedisCluster startShared() {
    return start("shared-redis-cluster", SHARED_NODE_TIMEOUT);
  }

  /**
   * Starts three masters and one replica for each, and returns once every replica is in sync. Nodes
   * time out after two seconds: a killed master is replaced within seconds, while a busy machine
   * rarely fails a live one.
   */
  public static DisposableRedisCluster startWithReplicas() {
    return start("replicated-redis-cluster", REPLICATED_NODE_TIMEOUT, MASTERS);
  }

  private static DisposableRedisCluster start(String name, Duration nodeTimeout) {
    return start(name, nodeTimeout, 0);
  }

  private static DisposableRedisCluster start(String name, Duration nodeTimeout, int replicas) {
    List<RedisProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < MASTERS + replicas; i++) {
        nodes.add(RedisProcess.startClusterNode(name + "-" + i, nodeTimeout));
      }
      ClusterFormation.form(nodes.subList(0, MASTERS), nodes.subList(MASTERS, nodes.size()));
    } catch (RuntimeException e) {
      nodes.forEach(RedisProcess::destroy);
      throw e;
    }
    DisposableRedisCluster cluster = new DisposableRedisCluster(name, nodes);
    JvmExit.closeAtExit(cluster);
    return cluster;
  }

  /** One URI per shard: the node serving the shard's slots now (its replica after a failover). */
  @Override
  public synchronized List<String> nodeUris() {
    return masters.stream().map(node -> node.endpoint().uri()).toList();
  }

  /** Every node started, masters first, then replicas; killed ones included. */
  public List<String> allNodeUris() {
    return nodes.stream().map(node -> node.endpoint().uri()).toList();
  }

  @Override
  public synchronized void flushAll() {
    masters.forEach(node -> node.endpoint().flushAll());
  }

  /**
   * Kills the master of {@code shard} (0, 1 or 2: the index of its URI in {@link #nodeUris}) with
   * {@code SIGKILL}, then waits until its replica has been promoted and every node still running
   * reports the cluster healthy. Keys the master had not yet sent to its replica are lost.
   */
  public void killMaster(int shard) {
    RedisProcess master;
    RedisProcess replica;
    synchronized (this) {
      master = masters.get(checkedShard(shard));
      replica = replicaOf(shard);
    }
    String masterId = ClusterFormation.nodeId(master);
    master.kill();
    List<RedisProcess> running = nodes.stream().filter(RedisProcess::isRunning).toList();
    ClusterFormation.awaitFailover(running, nodes.size(), replica, masterId);
    synchronized (this) {
      masters.set(shard, replica);
    }
  }

  private RedisProcess replicaOf(int shard) {
    RedisProcess current = masters.get(shard);
    int replicaIndex = nodes.indexOf(current) == shard ? MASTERS + shard : -1;
    if (replicaIndex < 0 || replicaIndex >= nodes.size()) {
      throw new IllegalStateException(
          "shard " + shard + " of " + this + " has no replica left to take over");
    }
    return nodes.get(replicaIndex);
  }

  private int checkedShard(int shard) {
    if (shard < 0 || shard >= MASTERS) {
      throw new IllegalArgumentException(
          "Redis cluster shard must be 0-" + (MASTERS - 1) + ", was " + shard);
    }
    return shard;
  }

  @Override
  public void setUser(RedisUser user) {
    // ACL users are not replicated: every node that may serve as a master needs the user.
    nodes.stream().filter(RedisProcess::isRunning).forEach(node -> node.endpoint().setUser(user));
  }

  /**
   * Stops one node (0-2 a master; 3-5 a replica, if any), gracefully; a master's slots become
   * unavailable in a cluster without replicas.
   */
  public void stopNode(int index) {
    node(index).stop();
  }

  /**
   * Kills one node with {@code SIGKILL}, as a crash would; {@link #restartNode} brings it back
   * empty.
   */
  public void killNode(int index) {
    node(index).kill();
  }

  /** Starts one node again, empty, and waits until the whole cluster is healthy. */
  public void restartNode(int index) {
    RedisProcess node = node(index);
    node.stop();
    node.start();
    ClusterFormation.awaitHealthy(nodes);
  }

  /** Stops every node; clients see connection refused until {@link #restartAll}. */
  public void stopAll() {
    nodes.forEach(RedisProcess::stop);
  }

  /**
   * Starts every node again (stopping it first if it runs), each with its ports, identity and slots
   * but no keys, and waits until the whole cluster is healthy.
   */
  public void restartAll() {
    stopAll();
    nodes.forEach(RedisProcess::start);
    ClusterFormation.awaitHealthy(nodes);
  }

  /**
   * Makes node {@code i} tell clients to connect on {@code ports.get(i)} rather than its own port,
   * now and after restarts, and waits until every node agrees. For a relay in front of each node
   * that a test can cut: clients that follow the cluster's topology then go through the relays,
   * while the nodes still reach each other directly on their bus ports.
   */
  public void announceClientPorts(List<Integer> ports) {
    if (ports.size() != nodes.size()) {
      throw new IllegalArgumentException(
          "one port per node (" + nodes.size() + ") expected, got " + ports.size());
    }
    for (int i = 0; i < nodes.size(); i++) {
      nodes.get(i).announceClientPort(ports.get(i));
    }
    ClusterFormation.awaitClientPorts(nodes);
  }

  /**
   * Makes every node serve its own slots while another master is down ({@code
   * cluster-require-full-coverage no}), now and after restarts: a lost master then takes only its
   * own slots away, as on a production Cluster configured so.
   */
  public void serveWithoutFullCoverage() {
    nodes.forEach(node -> node.requireFullCoverage(false));
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
    int replicas = nodes.size() - MASTERS;
    return name + " of " + MASTERS + " masters and " + replicas + " replicas " + allNodeUris();
  }
}
