package io.rekko.worker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rekko.schema.ExternalId;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantId;
import io.rekko.testkit.RedisClusterServer;
import io.rekko.testkit.TestServers;
import io.rekko.worker.support.MetricNames;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The worker's minimal ACL on a Redis Cluster: logged in as that user on every master, the worker
 * reads the topology (CLUSTER NODES, INFO), and every block's calls (locks and fences, the rate
 * limiter, counters and the usage ranking, caches, sharded publication, a tenant's erasure) are
 * answered, none refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerAclClusterIT {
  private final RedisClusterServer cluster = TestServers.redisCluster();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TenantId tenant =
      TenantId.of("acl-" + UUID.randomUUID().toString().substring(0, 8));
  private RedisConnections redis;

  @BeforeAll
  void connectAsTheWorkerUser() {
    cluster.setUser(WorkerAcl.user());
    cluster.nodeUris().forEach(uri -> admin(uri, "RESET"));
    RedisSettings defaults = RedisSettings.cluster(cluster.nodeUris());
    RedisServers servers = defaults.servers();
    redis =
        RedisConnections.open(
            new RedisSettings(
                new RedisServers(servers.topology(), servers.urls(), servers.verifyPeer(), true),
                WorkerAcl.credentials(),
                defaults.timeouts(),
                defaults.ttls(),
                defaults.locks()),
            Clock.systemUTC());
    redis.registerMetrics(registry);
  }

  @AfterAll
  void close() {
    redis.close();
    KeyspaceAssertions.assertEveryKeyHasTtl(cluster.nodeUris());
  }

  @Test
  void everyBlockRunsAsTheAclUserOnEveryMasterWithoutARefusal() throws Exception {
    assertTrue(redis.ping(), "the worker user reaches the Cluster");
    Clock clock = Clock.systemUTC();
    RedisLocks locks = new RedisLocks(redis, registry, clock);
    RedisCaches caches = new RedisCaches(redis, registry);
    UsageCounters counters = new UsageCounters(redis, registry, clock);
    RateLimiter limiter = new RateLimiter(redis, registry, clock);
    EventPublisher publisher = new EventPublisher(redis, registry);
    try {
      LockAttempt attempt = locks.acquire(tenant, ExternalId.of("ada"), Duration.ofSeconds(5));
      try (FencedLock lock = assertInstanceOf(LockAttempt.Granted.class, attempt).lock()) {
        assertTrue(lock.isHeld());
      }
      locks.reseed(tenant, ExternalId.of("ada"), 7);
      assertFalse(
          limiter
              .tryAcquire(
                  tenant,
                  io.rekko.schema.CommandType.FACE_VERIFY,
                  new RateLimit(10, 60_000),
                  UUID.randomUUID())
              .failedOpen(),
          "the limiter decided in Redis");
      assertTrue(counters.countBatch(Map.of(tenant, 2L), Map.of()).get(), "counted in Redis");
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      assertEquals(2, counters.requestsOn(tenant, today));
      assertFalse(counters.usageRanking(today, 10).isEmpty());
      assertEquals(3, counters.faceCount(tenant, () -> 3L));
      assertEquals(Optional.empty(), caches.tenantConfigs().get(tenant, Optional::empty));
      caches.invalidateTenant(tenant);
      assertTrue(caches.apiKeys().isValid(tenant, "key-1", () -> true));
      assertInstanceOf(
          PublishResult.Published.class,
          publisher.publish(tenant, "{}".getBytes(StandardCharsets.UTF_8)));
      RedisErasure erasure = new RedisErasure(redis, caches, clock);
      RedisErasure.Names names = erasure.names(tenant);
      assertTrue(erasure.eraseFaces(tenant, List.of(ExternalId.of("ada")), names) > 0);
      assertTrue(erasure.eraseTenant(tenant, names) > 0, "the tenant's keys erased by name");
    } finally {
      locks.close();
    }

    for (String uri : cluster.nodeUris()) {
      assertEquals(List.of(), admin(uri, null), "the ACL log of " + uri);
    }
    assertEquals(
        0.0,
        registry
            .get(MetricNames.REDIS_REFUSALS.name())
            .tag("reason", "no_permission")
            .functionCounter()
            .count());
  }

  /** {@code ACL LOG} (or {@code ACL LOG RESET}) on one node, as the default user. */
  private static List<Object> admin(String uri, String reset) {
    RedisClient client = RedisClient.create();
    try (StatefulRedisConnection<String, String> connection =
        client.connect(RedisURI.create(uri))) {
      CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("LOG");
      if (reset != null) {
        args.add(reset);
      }
      return connection.sync().dispatch(CommandType.ACL, new ArrayOutput<>(StringCodec.UTF8), args);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
