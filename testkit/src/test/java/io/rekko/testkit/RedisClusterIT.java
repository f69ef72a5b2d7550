package io.rekko.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisClusterIT {

  private static final String PREFIX = "RedisClusterIT:";
  private static final int KEYS = 300;

  private final RedisClusterServer cluster = TestServers.redisCluster();

  @Test
  void clusterHasThreeMasters() {
    assertEquals(3, cluster.nodeUris().size());
  }

  @Test
  void keysWrittenThroughAClusterClientLandOnEveryMaster() {
    List<RedisURI> seeds = cluster.nodeUris().stream().map(RedisURI::create).toList();
    RedisClusterClient client = RedisClusterClient.create(seeds);
    try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
      RedisAdvancedClusterCommands<String, String> redis = connection.sync();
      for (int i = 0; i < KEYS; i++) {
        redis.set(PREFIX + i, Integer.toString(i), SetArgs.Builder.ex(60));
      }
      for (int i = 0; i < KEYS; i++) {
        assertEquals(Integer.toString(i), redis.get(PREFIX + i));
      }
    } finally {
      client.shutdown();
    }

    for (String uri : cluster.nodeUris()) {
      assertTrue(keysWithPrefixOn(uri) > 0, "no key of the workload on " + uri);
    }
  }

  private static long keysWithPrefixOn(String uri) {
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return connection.sync().keys(PREFIX + "*").size();
    } finally {
      client.shutdown();
    }
  }
}
