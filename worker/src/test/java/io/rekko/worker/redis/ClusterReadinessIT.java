package io.rekko.worker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.testkit.DisposableRedisCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * One {@code PING} on a Cluster reaches one node: readiness must not report Redis up while a master
 * that owns a third of the slots does not answer, and must name the slots it leaves unserved.
 */
class ClusterReadinessIT {
  @Test
  void aMasterThatDoesNotAnswerIsReportedWithTheSlotsItLeavesUnserved() {
    try (DisposableRedisCluster cluster = DisposableRedisCluster.start();
        RedisConnections redis =
            RedisConnections.open(RedisSettings.cluster(cluster.nodeUris()), Clock.systemUTC())) {
      assertTrue(redis.ping());
      assertEquals(Optional.empty(), redis.faultDetail());

      cluster.stopNode(1);

      await().atMost(Duration.ofSeconds(30)).until(() -> !redis.ping());
      String detail = redis.faultDetail().orElseThrow();
      assertTrue(
          detail.matches("slots \\d+-\\d+ \\(127\\.0\\.0\\.1:\\d+\\) cannot be served: .*"),
          detail);

      cluster.restartNode(1);

      await().atMost(Duration.ofSeconds(30)).until(redis::ping);
      assertEquals(Optional.empty(), redis.faultDetail());
    }
  }
}
