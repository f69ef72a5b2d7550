package io.rekko.worker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rekko.schema.CommandType;
import io.rekko.schema.ExternalId;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tenant's Redis keys deleted by name for its erasure ({@link RedisErasure}): every family, in
 * every cache generation the log names, on whichever node of a Cluster each key lives; another
 * tenant's keys stay.
 */
abstract class ErasureBehaviour extends RedisBehaviour {
  private static final List<ExternalId> FACES = List.of(ExternalId.of("ada"), ExternalId.of("bob"));

  private RedisCaches caches;
  private RedisErasure erasure;

  ErasureBehaviour(RedisTarget target) {
    super(target);
  }

  @BeforeAll
  void createBlocks() {
    caches = new RedisCaches(redis, registry);
    erasure = new RedisErasure(redis, caches, Clock.systemUTC());
  }

  @Test
  void everyKeyOfTheTenantGoesInEveryGenerationAndNoKeyOfAnother() throws Exception {
    TenantId tenant = uniqueTenant("erased");
    TenantId other = uniqueTenant("other");
    use(tenant);
    use(other);
    Set<String> othersKeys = keysOf(other);
    assertTrue(keysOf(tenant).size() >= 12, "every family is there first: " + keysOf(tenant));

    RedisErasure.Names names = erasure.names(tenant);
    long erased = erasure.eraseFaces(tenant, FACES, names) + erasure.eraseTenant(tenant, names);

    assertEquals(Set.of(), keysOf(tenant));
    assertEquals(othersKeys, keysOf(other));
    assertTrue(erased >= 12, "counted: " + erased);
    List<String> ranked =
        new UsageCounters(redis, registry, Clock.systemUTC())
            .usageRanking(LocalDate.now(ZoneOffset.UTC), 1_000).stream()
                .map(usage -> usage.tenant().value())
                .toList();
    assertFalse(ranked.contains(tenant.value()), "out of today's ranking");
    assertTrue(ranked.contains(other.value()));
  }

  @Test
  void theGenerationLogNamesEveryGenerationThatMayStillHaveEntries() {
    TenantId tenant = uniqueTenant("generations");
    caches.tenantConfigs().get(tenant, () -> Optional.of(config()));
    String first = caches.generations().current(tenant);
    caches.invalidateTenant(tenant);
    String second = caches.generations().current(tenant);
    caches.invalidateTenant(tenant);
    String third = caches.generations().current(tenant);

    RedisErasure.Names names = erasure.names(tenant);

    assertEquals(Set.of(first, second, third), Set.copyOf(names.generations()));
    erasure.eraseTenant(tenant, names);
    assertEquals(Set.of(), keysOf(tenant));
  }

  @Test
  void theApiKeyLogNamesTheKeysCachedValidAndThoseMarkedRevoked() {
    TenantId tenant = uniqueTenant("api-keys");
    caches.apiKeys().isValid(tenant, "valid-1", () -> true);
    caches.apiKeys().markRevoked(tenant, "revoked-1");

    assertEquals(Set.of("valid-1", "revoked-1"), Set.copyOf(erasure.names(tenant).apiKeyIds()));
    erasure.eraseTenant(tenant, erasure.names(tenant));
    assertEquals(Set.of(), keysOf(tenant));
  }

  /** Something in every family of the tenant's keys, in two cache generations. */
  private void use(TenantId tenant) throws Exception {
    RedisLocks locks = closeAfterAll(new RedisLocks(redis, registry, Clock.systemUTC()));
    for (ExternalId face : FACES) {
      LockAttempt attempt = locks.acquire(tenant, face, Duration.ofSeconds(5));
      assertInstanceOf(LockAttempt.Granted.class, attempt).lock().close();
      caches.faces().get(tenant, face, () -> Optional.of(face(1)));
    }
    caches.tenantConfigs().get(tenant, () -> Optional.of(config()));
    caches.apiKeys().isValid(tenant, "in-use", () -> true);
    caches.invalidateTenant(tenant);
    caches.faces().get(tenant, FACES.getFirst(), () -> Optional.of(face(2)));
    caches.faces().invalidate(tenant, FACES.getLast(), 9);
    caches.tenantConfigs().get(tenant, () -> Optional.of(config()));
    caches.apiKeys().markRevoked(tenant, "stolen");
    new RateLimiter(redis, registry, Clock.systemUTC())
        .tryAcquire(tenant, CommandType.FACE_VERIFY, new RateLimit(10, 60_000), UUID.randomUUID());
    UsageCounters counters = new UsageCounters(redis, registry, Clock.systemUTC());
    assertTrue(counters.countBatch(Map.of(tenant, 3L), Map.of()).get());
    counters.faceCount(tenant, () -> 2L);
  }

  private static CachedFace face(long version) {
    return new CachedFace(version, new byte[] {1, 2, 3, (byte) version}, Map.of());
  }

  private static CachedTenant config() {
    return new CachedTenant(1, false, new TenantConfig(10, Map.of(), 0.8, 64, 0.5, true));
  }

  /** The tenant's keys on every node, as an administrator's SCAN finds them. */
  private Set<String> keysOf(TenantId tenant) {
    Set<String> keys = new TreeSet<>();
    RedisClient client = RedisClient.create();
    try {
      for (String uri : target.nodeUris()) {
        try (StatefulRedisConnection<String, String> connection =
            client.connect(RedisURI.create(uri))) {
          ScanIterator.scan(
                  connection.sync(),
                  ScanArgs.Builder.matches("rekko:" + tenant.value() + ":*").limit(1000))
              .forEachRemaining(keys::add);
        }
      }
      return keys;
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
