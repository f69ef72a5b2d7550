package io.rekko.worker.redis;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rekko.testkit.DisposableRedis;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.AssertionFailedError;

/** The keyspace guard itself fails when it should: on a server of its own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyspaceAssertionsIT {
  private final DisposableRedis server = DisposableRedis.start();
  private final RedisClient client = RedisClient.create(server.uri());
  private final StatefulRedisConnection<String, String> connection = client.connect();

  @BeforeEach
  void empty() {
    server.flushAll();
  }

  @AfterAll
  void guardAndStop() {
    try {
      server.flushAll();
      KeyspaceAssertions.assertEveryKeyHasTtl(List.of(server.uri()));
    } finally {
      connection.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      server.close();
    }
  }

  @Test
  void passesWhenEveryKeyHasATtlAndATenantPrefix() {
    connection.sync().set("rekko:acme:face-count:{acme}", "1", SetArgs.Builder.px(60_000));
    connection.sync().set("rekko:global:usage:2025-03-14", "1", SetArgs.Builder.px(60_000));
    KeyspaceAssertions.assertEveryKeyHasTtl(List.of(server.uri()));
  }

  @Test
  void failsNamingAKeyWithoutTtl() {
    connection.sync().set("rekko:acme:face-count:{acme}", "1");
    AssertionFailedError failure =
        assertThrows(
            AssertionFailedError.class,
            () -> KeyspaceAssertions.assertEveryKeyHasTtl(List.of(server.uri())));
    assertTrue(failure.getMessage().contains("rekko:acme:face-count:{acme}"), failure.getMessage());
    assertTrue(failure.getMessage().contains("1 key(s) without a TTL"), failure.getMessage());
  }

  @Test
  void failsNamingAKeyOutsideTheTenantLayout() {
    connection.sync().set("face-count:acme", "1", SetArgs.Builder.px(60_000));
    AssertionFailedError failure =
        assertThrows(
            AssertionFailedError.class,
            () -> KeyspaceAssertions.assertEveryKeyHasTtl(List.of(server.uri())));
    assertTrue(failure.getMessage().contains("face-count:acme"), failure.getMessage());
  }
}
