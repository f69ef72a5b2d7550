package io.rekko.worker.e2e;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rekko.testkit.DisposableRedis;
import io.rekko.testkit.DisposableRedisCluster;
import io.rekko.testkit.RedisOptions;
import io.rekko.worker.redis.WorkerAcl;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The Redis that {@link RedisDownOrFlushedIT} flushes, stops, restarts and cuts off: a private
 * server of the run's kind, which the workers reach only through {@link RedisGate}s while the
 * test's observers connect directly.
 *
 * <p>On a Cluster, every node has its own gate and announces the gate's port to clients, so the
 * workers, who follow the cluster's topology, go through the gates, while the nodes still reach
 * each other directly on their bus ports.
 */
abstract sealed class OutageRedis implements AutoCloseable {
  final List<RedisGate> gates = new ArrayList<>();

  /** A standalone server, or in the Cluster run a 3-master Cluster. */
  static OutageRedis forThisRun() {
    return E2eRedis.clusterRun() ? new Clustered() : new Standalone();
  }

  /** The workers' view (through the gates) and the observers' (direct). */
  abstract E2eRedis redis();

  /**
   * Whether the server has the worker's ACL user ({@link WorkerAcl}), through restarts: the
   * standalone server does; the Cluster, whose restarted nodes would forget a user set at run time,
   * lets the workers in as the default user.
   */
  abstract boolean hasWorkerUser();

  /** Removes every key on every master. */
  abstract void flushAll();

  /** Stops every server; the workers see connection refused. */
  abstract void stop();

  /** Starts every server again, empty. */
  abstract void restart();

  /** Cuts every relayed connection and refuses new ones until {@link #openGates}. */
  void shutGates() {
    gates.forEach(RedisGate::shut);
  }

  void openGates() {
    gates.forEach(RedisGate::open);
  }

  /** Connections the gates relay now. */
  int gateConnections() {
    return gates.stream().mapToInt(RedisGate::connections).sum();
  }

  /**
   * Publishes {@code marker} on {@link EventLog#MARKER_CHANNEL} on every master. Whatever a master
   * published before reaches the subscriber before its marker: one node runs commands one at a
   * time, and forwards what it publishes to the other nodes over one bus link, in order.
   */
  void publishMarkers(String marker) {
    for (String uri : redis().masterUris()) {
      withNode(uri, node -> node.sync().publish(EventLog.MARKER_CHANNEL, marker));
    }
  }

  /** Pattern subscriptions on the node the test's subscriber uses. */
  long patternSubscriptions() {
    return withNode(redis().observedUri(), node -> node.sync().pubsubNumpat());
  }

  private static <T> T withNode(
      String uri, Function<StatefulRedisConnection<String, String>, T> use) {
    RedisClient client = RedisClient.create();
    try (StatefulRedisConnection<String, String> connection =
        client.connect(RedisURI.create(uri))) {
      return use.apply(connection);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Override
  public void close() {
    gates.forEach(RedisGate::close);
  }

  static final class Standalone extends OutageRedis {
    private final DisposableRedis server =
        DisposableRedis.start(RedisOptions.plain().withUser(WorkerAcl.user()));
    private final E2eRedis redis;

    Standalone() {
      RedisGate gate = RedisGate.inFrontOf(server.port());
      gates.add(gate);
      redis = E2eRedis.standalone(gate.uri(), server.uri());
    }

    @Override
    boolean hasWorkerUser() {
      return true;
    }

    @Override
    E2eRedis redis() {
      return redis;
    }

    @Override
    void flushAll() {
      server.flushAll();
    }

    @Override
    void stop() {
      server.stop();
    }

    @Override
    void restart() {
      server.restart();
    }

    @Override
    public void close() {
      super.close();
      server.close();
    }
  }

  static final class Clustered extends OutageRedis {
    private final DisposableRedisCluster cluster = DisposableRedisCluster.start();
    private final E2eRedis redis;

    Clustered() {
      List<Integer> gatePorts = new ArrayList<>();
      List<String> gateUris = new ArrayList<>();
      for (String node : cluster.allNodeUris()) {
        RedisGate gate = RedisGate.inFrontOf(URI.create(node).getPort());
        gates.add(gate);
        gateUris.add(gate.uri());
        gatePorts.add(URI.create(gate.uri()).getPort());
      }
      cluster.announceClientPorts(gatePorts);
      redis = E2eRedis.cluster(gateUris, cluster);
    }

    @Override
    boolean hasWorkerUser() {
      return false;
    }

    @Override
    E2eRedis redis() {
      return redis;
    }

    @Override
    void flushAll() {
      cluster.flushAll();
    }

    @Override
    void stop() {
      cluster.stopAll();
    }

    @Override
    void restart() {
      cluster.restartAll();
    }

    @Override
    public void close() {
      super.close();
      cluster.close();
    }
  }
}
