package io.rekko.worker.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rekko.schema.CommandType;
import io.rekko.schema.ExternalId;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantId;
import io.rekko.testkit.DisposableRedis;
import io.rekko.worker.support.Secret;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Logging in as an ACL user restricted to the worker's keys and channels ({@code ~rekko:*}, {@code
 * &rekko:events:*}): every block works within them, and a wrong password leaves Redis unavailable
 * rather than the worker down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisConnectionsIT {
  private final DisposableRedis server = DisposableRedis.start();
  private final TenantId tenant = RedisBehaviour.uniqueTenant("acl");
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeAll
  void createTheWorkersUser() {
    RedisClient admin = RedisClient.create(server.uri());
    try (StatefulRedisConnection<String, String> connection = admin.connect()) {
      connection
          .sync()
          .aclSetuser(
              "rekko-worker",
              AclSetuserArgs.Builder.on()
                  .addPassword("s3cret")
                  .keyPattern("rekko:*")
                  .channelPattern("rekko:events:*")
                  .allCommands());
    } finally {
      admin.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @AfterAll
  void guardAndStop() {
    try {
      KeyspaceAssertions.assertEveryKeyHasTtl(List.of(server.uri()));
    } finally {
      server.close();
    }
  }

  @Test
  void anAclUserConfinedToTheWorkersKeysCanUseEveryBlock() {
    RedisSettings settings =
        loggingInAs(new RedisCredentials("rekko-worker", new Secret("s3cret")));
    try (RedisConnections redis = RedisConnections.open(settings, Clock.systemUTC());
        RedisLocks locks = new RedisLocks(redis, registry, Clock.systemUTC())) {
      assertTrue(redis.ping());
      try (FencedLock lock =
          assertInstanceOf(
                  LockAttempt.Granted.class,
                  locks.acquire(tenant, ExternalId.of("ada"), Duration.ZERO))
              .lock()) {
        assertTrue(lock.isHeld());
      }
      RateLimiter limiter = new RateLimiter(redis, registry, Clock.systemUTC());
      RateDecision decision =
          limiter.tryAcquire(
              tenant, CommandType.FACE_VERIFY, new RateLimit(5, 1_000), UUID.randomUUID());
      assertFalse(decision.failedOpen());
      RedisCaches caches = new RedisCaches(redis, registry);
      assertTrue(caches.apiKeys().isValid(tenant, "key-1", () -> true));
      assertTrue(caches.apiKeys().isValid(tenant, "key-1", () -> false), "served from the cache");
      assertInstanceOf(
          PublishResult.Published.class,
          new EventPublisher(redis, registry).publish(tenant, new byte[] {'{', '}'}));
      assertTrue(
          new UsageCounters(redis, registry, Clock.systemUTC())
              .countBatch(Map.of(tenant, 1L), Map.of())
              .join());
    }
  }

  @Test
  void aWrongPasswordLeavesRedisUnavailableAndTheBlocksOnTheirFallbacks() {
    RedisSettings settings = loggingInAs(new RedisCredentials("rekko-worker", new Secret("wrong")));
    try (RedisConnections redis = RedisConnections.open(settings, Clock.systemUTC());
        RedisLocks locks = new RedisLocks(redis, registry, Clock.systemUTC())) {
      assertFalse(redis.ping());
      assertInstanceOf(
          LockAttempt.Unavailable.class,
          locks.acquire(tenant, ExternalId.of("ada"), Duration.ZERO));
      assertTrue(
          new RedisCaches(redis, registry)
              .faces()
              .get(tenant, ExternalId.of("ada"), Optional::empty)
              .isEmpty());
      assertThrows(
          RedisUnavailableException.class,
          () -> new RedisCaches(redis, registry).invalidateTenant(tenant));
    }
  }

  /** The test server, logged in to as {@code credentials}; every other setting the default. */
  private RedisSettings loggingInAs(RedisCredentials credentials) {
    return new RedisSettings(
        RedisServers.standalone(server.uri()),
        credentials,
        RedisTimeouts.DEFAULTS,
        RedisTtls.DEFAULTS,
        LockSettings.DEFAULTS);
  }
}
