package io.rekko.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DisposableRedisClusterIT {

  private final DisposableRedisCluster cluster = DisposableRedisCluster.start();

  @AfterEach
  void close() {
    cluster.close();
  }

  @Test
  void stoppedNodeRefusesConnections() {
    cluster.stopNode(1);

    assertFalse(cluster.isNodeRunning(1));
    assertThrows(IOException.class, () -> node(1).call("PING"));
  }

  @Test
  void restartedNodeRejoinsEmptyWhileTheOthersKeepTheirKeys() throws IOException {
    List<String> keys = List.of(keyOn(0), keyOn(1), keyOn(2));
    for (int i = 0; i < keys.size(); i++) {
      node(i).call("SET", keys.get(i), "v", "EX", "60");
    }

    cluster.stopNode(1);
    cluster.restartNode(1);

    assertTrue(cluster.isNodeRunning(1));
    assertEquals(0L, node(1).call("DBSIZE"));
    assertEquals("v", node(0).call("GET", keys.get(0)));
    assertEquals("v", node(2).call("GET", keys.get(2)));
    assertTrue(String.valueOf(node(1).call("CLUSTER", "INFO")).contains("cluster_state:ok"));
  }

  @Test
  void withoutFullCoverageAKilledMasterTakesOnlyItsOwnSlotsAwayAndComesBackEmpty()
      throws IOException {
    cluster.serveWithoutFullCoverage();
    List<String> keys = List.of(keyOn(0), keyOn(1), keyOn(2));
    for (int i = 0; i < keys.size(); i++) {
      node(i).call("SET", keys.get(i), "v", "EX", "60");
    }

    cluster.killNode(1);
    Polling.until(
        "node 0 to declare node 1 failed",
        Duration.ofSeconds(20),
        () -> String.valueOf(node(0).call("CLUSTER", "NODES")).contains(",fail ") ? true : null);

    assertFalse(cluster.isNodeRunning(1));
    assertEquals("v", node(0).call("GET", keys.get(0)));
    assertEquals("v", node(2).call("GET", keys.get(2)));
    cluster.restartNode(1);
    assertEquals(0L, node(1).call("DBSIZE"));
    assertEquals("v", node(0).call("GET", keys.get(0)));
  }

  @Test
  void flushAllEmptiesEveryNode() throws IOException {
    for (int i = 0; i < 3; i++) {
      node(i).call("SET", keyOn(i), "v", "EX", "60");
    }

    cluster.flushAll();

    for (int i = 0; i < 3; i++) {
      assertEquals(0L, node(i).call("DBSIZE"), "node " + i);
    }
  }

  @Test
  void clientsAreToldTheAnnouncedPortsEvenAfterARestart() throws IOException {
    List<Integer> relays = List.of(FreePorts.next(), FreePorts.next(), FreePorts.next());

    cluster.announceClientPorts(relays);
    cluster.stopAll();
    cluster.restartAll();

    String slots = String.valueOf(node(0).call("CLUSTER", "SLOTS"));
    for (int i = 0; i < 3; i++) {
      assertTrue(
          slots.contains(relays.get(i).toString()), "port " + relays.get(i) + " in " + slots);
      assertFalse(slots.contains(", " + node(i).port() + ","), "own port of node " + i);
    }
  }

  /** A key whose slot the given node serves, found by asking that node. */
  private String keyOn(int index) throws IOException {
    for (int candidate = 0; ; candidate++) {
      String key = "DisposableRedisClusterIT:" + candidate;
      long slot = (Long) node(index).call("CLUSTER", "KEYSLOT", key);
      if (slot * 3 / ClusterFormation.SLOTS == index) {
        return key;
      }
    }
  }

  private RedisEndpoint node(int index) {
    return RedisEndpoint.parse(cluster.nodeUris().get(index));
  }
}
