package io.rekko.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One cluster with replicas for the class, since starting it takes longer than a test; the failover
 * runs last, as it leaves a shard without a replica.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicatedRedisClusterIT {

  private final DisposableRedisCluster cluster = DisposableRedisCluster.startWithReplicas();

  @AfterAll
  void close() {
    cluster.close();
  }

  @Test
  @Order(1)
  void everyMasterHasAReplicaInSync() throws IOException {
    assertEquals(6, cluster.allNodeUris().size());
    for (int shard = 0; shard < 3; shard++) {
      String key = keyOn(shard, "sync");
      assertEquals(1L, setAndWaitForTheReplica(shard, key), "replicas that acknowledged");
      assertEquals("v", readFromReplica(shard, key), "read from the replica");
    }
  }

  @Test
  @Order(2)
  void aKilledMasterIsReplacedByItsReplicaWithItsKeys() throws IOException {
    String before = cluster.nodeUris().get(2);
    String key = keyOn(2, "failover");
    assertEquals(1L, setAndWaitForTheReplica(2, key), "replicas that acknowledged");

    cluster.killMaster(2);

    assertNotEquals(before, cluster.nodeUris().get(2), "the shard's master changed");
    assertEquals(cluster.allNodeUris().get(5), cluster.nodeUris().get(2));
    assertFalse(cluster.isNodeRunning(2));
    assertEquals("v", master(2).call("GET", key), "the replica kept the key");
    for (String uri : cluster.nodeUris()) {
      String info = String.valueOf(RedisEndpoint.parse(uri).call("CLUSTER", "INFO"));
      assertTrue(info.contains("cluster_state:ok"), uri + ": " + info);
    }
  }

  private RedisEndpoint master(int shard) {
    return RedisEndpoint.parse(cluster.nodeUris().get(shard));
  }

  /**
   * Sets {@code key} on the shard's master and waits until its replica has applied the write;
   * returns how many replicas acknowledged. One connection for both: {@code WAIT} waits for the
   * writes of its own connection only, and on a fresh one returns at once.
   */
  private Object setAndWaitForTheReplica(int shard, String key) throws IOException {
    try (RespClient connection = master(shard).connect()) {
      connection.call("SET", key, "v", "EX", "60");
      return connection.call("WAIT", "1", "5000");
    }
  }

  /** Reads {@code key} from the shard's replica. */
  private Object readFromReplica(int shard, String key) throws IOException {
    RedisEndpoint replica = RedisEndpoint.parse(cluster.allNodeUris().get(3 + shard));
    try (RespClient connection = replica.connect()) {
      // A replica answers reads for its master's slots once the connection asks for that.
      connection.call("READONLY");
      return connection.call("GET", key);
    }
  }

  /** A key whose slot the given shard serves. */
  private String keyOn(int shard, String label) throws IOException {
    for (int candidate = 0; ; candidate++) {
      String key = "ReplicatedRedisClusterIT:" + label + ":" + candidate;
      long slot = (Long) master(0).call("CLUSTER", "KEYSLOT", key);
      if (slot * 3 / ClusterFormation.SLOTS == shard) {
        return key;
      }
    }
  }
}
