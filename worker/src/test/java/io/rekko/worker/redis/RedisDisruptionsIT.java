package io.rekko.worker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rekko.testkit.DisposableRedis;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The disruption count that tells the invalidation watch whether this worker's view of Redis was
 * continuous: it stays put while commands succeed, and has moved by the time anything runs after a
 * failed command or a lost connection.
 */
class RedisDisruptionsIT {
  private final DisposableRedis server = DisposableRedis.start();
  private final RedisConnections redis =
      RedisConnections.open(RedisSettings.standalone(server.uri()), Clock.systemUTC());

  @AfterEach
  void stop() {
    redis.close();
    server.close();
  }

  @Test
  void theCountStaysPutWhileCommandsSucceed() {
    assertTrue(redis.ping());
    long before = redis.disruptions();

    for (int i = 0; i < 100; i++) {
      assertTrue(redis.ping());
    }

    assertEquals(before, redis.disruptions());
  }

  @Test
  void aFailedCommandIsADisruption() {
    assertTrue(redis.ping());
    long before = redis.disruptions();
    server.stop();

    assertFalse(redis.ping());

    assertTrue(redis.disruptions() > before);
    server.restart();
    await().atMost(Duration.ofSeconds(10)).until(redis::ping);
  }

  @Test
  void aConnectionClosedByTheServerIsADisruptionSeenBeforeTheReconnectedLinkAnswers() {
    assertTrue(redis.ping());
    long before = redis.disruptions();

    killEveryClientConnection();
    // No command is sent until the count moved: a failed command would move it too.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> redis.disruptions() >= before + 4); // two connections lost, two re-established

    assertTrue(redis.ping(), "the reconnected link answers");
  }

  private void killEveryClientConnection() {
    RedisClient admin = RedisClient.create(server.uri());
    try (StatefulRedisConnection<String, String> connection = admin.connect()) {
      // The worker's two connections: commands, and publishing (never subscribed, so "normal").
      assertEquals(2L, connection.sync().clientKill(KillArgs.Builder.typeNormal().skipme()));
    } finally {
      admin.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
