package io.rekko.worker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.CommandType;
import io.rekko.schema.ExternalId;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

abstract class CacheBehaviour extends RedisBehaviour {
  private final ExecutorService readers = Executors.newCachedThreadPool();
  private RedisCaches caches;

  CacheBehaviour(RedisTarget target) {
    super(target);
  }

  @BeforeAll
  void createCaches() {
    caches = new RedisCaches(redis, registry);
  }

  @AfterAll
  void stopReaders() {
    readers.shutdownNow();
  }

  @Test
  void aMissLoadsAndFillsTheCacheAndTheNextReadSkipsTheLoader() {
    TenantId tenant = uniqueTenant("cache");
    ExternalId face = ExternalId.of("ada");
    CountingLoader<CachedFace> loader = new CountingLoader<>(Optional.of(face(1)));
    assertEquals(Optional.of(face(1)), caches.faces().get(tenant, face, loader));
    assertEquals(Optional.of(face(1)), caches.faces().get(tenant, face, loader));
    assertEquals(1, loader.calls.get());
  }

  @Test
  void aTenantViewReadsTheConfigWithItsGenerationAndTheOtherEntriesInIt() {
    TenantId tenant = uniqueTenant("view");
    ExternalId face = ExternalId.of("ada");
    CountingLoader<CachedTenant> configs = new CountingLoader<>(Optional.of(config(1)));
    CountingLoader<CachedFace> faces = new CountingLoader<>(Optional.of(face(1)));
    AtomicInteger keyLoads = new AtomicInteger();

    TenantView first = caches.view(tenant);
    assertEquals(Optional.of(config(1)), first.config(configs));
    assertEquals(Optional.of(face(1)), first.face(face, faces));
    assertTrue(first.apiKeyValid("key-1", () -> keyLoads.incrementAndGet() > 0));
    TenantView second = caches.view(tenant);
    assertEquals(Optional.of(config(1)), second.config(configs));
    assertEquals(Optional.of(face(1)), second.face(face, faces));
    assertTrue(second.apiKeyValid("key-1", () -> keyLoads.incrementAndGet() > 0));

    assertEquals(1, configs.calls.get(), "the config was filled by the first view");
    assertEquals(1, faces.calls.get(), "the face was filled in the view's generation");
    assertEquals(1, keyLoads.get(), "the key was filled in the view's generation");
    assertEquals(
        Optional.of(face(1)),
        caches.faces().get(tenant, face, new CountingLoader<>(Optional.empty())),
        "the view's generation is the tenant's current one");
  }

  @Test
  void aViewAfterTheTenantWasInvalidatedReadsThroughAgain() {
    TenantId tenant = uniqueTenant("view");
    CountingLoader<CachedTenant> configs = new CountingLoader<>(Optional.of(config(1)));
    caches.view(tenant).config(configs);

    caches.invalidateTenant(tenant);

    assertEquals(Optional.of(config(1)), caches.view(tenant).config(configs));
    assertEquals(2, configs.calls.get());
  }

  @Test
  void aFaceTheLoaderDoesNotFindIsNotCached() {
    TenantId tenant = uniqueTenant("cache");
    CountingLoader<CachedFace> loader = new CountingLoader<>(Optional.empty());
    assertTrue(caches.faces().get(tenant, ExternalId.of("nobody"), loader).isEmpty());
    assertTrue(caches.faces().get(tenant, ExternalId.of("nobody"), loader).isEmpty());
    assertEquals(2, loader.calls.get());
  }

  @Test
  void theLoadersFailurePassesThroughAndNothingIsCached() {
    TenantId tenant = uniqueTenant("cache");
    ExternalId face = ExternalId.of("ada");
    assertThrows(
        IllegalStateException.class,
        () ->
            caches
                .faces()
                .get(
                    tenant,
                    face,
                    () -> {
                      throw new IllegalStateException("store down");
                    }));
    CountingLoader<CachedFace> loader = new CountingLoader<>(Optional.of(face(1)));
    caches.faces().get(tenant, face, loader);
    assertEquals(1, loader.calls.get());
  }

  @Test
  void aDeleteRacingASlowFillNeverLeavesTheDeletedFaceCached() throws Exception {
    TenantId tenant = uniqueTenant("cache");
    ExternalId face = ExternalId.of("deleted-while-read");
    CountDownLatch loaderStarted = new CountDownLatch(1);
    CountDownLatch deleteDone = new CountDownLatch(1);
    // The reader read the face at version 1 from the store, then stalls before filling the cache.
    Future<Optional<CachedFace>> slowRead =
        readers.submit(
            () ->
                caches
                    .faces()
                    .get(
                        tenant,
                        face,
                        () -> {
                          loaderStarted.countDown();
                          awaitLatch(deleteDone);
                          return Optional.of(face(1));
                        }));
    assertTrue(loaderStarted.await(5, TimeUnit.SECONDS));
    // Meanwhile the delete commits at version 2 and invalidates.
    caches.faces().invalidate(tenant, face, 2);
    deleteDone.countDown();
    assertEquals(Optional.of(face(1)), slowRead.get(5, TimeUnit.SECONDS));

    CountingLoader<CachedFace> afterDelete = new CountingLoader<>(Optional.empty());
    assertEquals(Optional.empty(), caches.faces().get(tenant, face, afterDelete));
    assertEquals(1, afterDelete.calls.get(), "the deleted face was served from the cache");
    assertEquals(Map.of("v", "2"), entry(RedisKeys.face(tenant, face, generation(tenant))));
  }

  @Test
  void aDeleteAfterTheTenantsCachesWereInvalidatedLeavesNoCopyOfTheFaceInAnyGeneration() {
    TenantId tenant = uniqueTenant("cache");
    ExternalId face = ExternalId.of("cached-before-suspension");
    caches.faces().get(tenant, face, new CountingLoader<>(Optional.of(face(1))));
    String cachedIn = generation(tenant);
    // A suspension replaces the generation: the entry above is unreachable, yet still in Redis.
    caches.invalidateTenant(tenant);
    caches.faces().get(tenant, face, new CountingLoader<>(Optional.of(face(1))));
    String refilledIn = generation(tenant);
    caches.invalidateTenant(tenant);

    caches.faces().invalidate(tenant, face, 2);

    assertEquals(Map.of(), entry(RedisKeys.face(tenant, face, cachedIn)), "first generation");
    assertEquals(Map.of(), entry(RedisKeys.face(tenant, face, refilledIn)), "second generation");
    assertEquals(Map.of("v", "2"), entry(RedisKeys.face(tenant, face, generation(tenant))));
  }

  @Test
  void theGenerationLogIsKeptForTwiceTheGenerationTtl() {
    TenantId tenant = uniqueTenant("cache");
    caches.faces().get(tenant, ExternalId.of("ada"), new CountingLoader<>(Optional.of(face(1))));

    caches.invalidateTenant(tenant);

    assertTtlNear(
        RedisKeys.cacheGenerationLog(tenant),
        target.settings().ttls().longestCache().multipliedBy(4));
  }

  @Test
  void aSlowFillNeverOverwritesAFaceReEnrolledMeanwhile() throws Exception {
    TenantId tenant = uniqueTenant("cache");
    ExternalId face = ExternalId.of("re-enrolled-while-read");
    CountDownLatch loaderStarted = new CountDownLatch(1);
    CountDownLatch reEnrolled = new CountDownLatch(1);
    Future<Optional<CachedFace>> slowRead =
        readers.submit(
            () ->
                caches
                    .faces()
                    .get(
                        tenant,
                        face,
                        () -> {
                          loaderStarted.countDown();
                          awaitLatch(reEnrolled);
                          return Optional.of(face(1));
                        }));
    assertTrue(loaderStarted.await(5, TimeUnit.SECONDS));
    caches.faces().invalidate(tenant, face, 3);
    assertEquals(
        Optional.of(face(3)),
        caches.faces().get(tenant, face, new CountingLoader<>(Optional.of(face(3)))));
    reEnrolled.countDown();
    slowRead.get(5, TimeUnit.SECONDS);

    CountingLoader<CachedFace> later = new CountingLoader<>(Optional.of(face(3)));
    assertEquals(Optional.of(face(3)), caches.faces().get(tenant, face, later));
    assertEquals(0, later.calls.get());
  }

  @Test
  void aReEnrolledFaceIsCachedAtTheTombstonesVersion() {
    TenantId tenant = uniqueTenant("cache");
    ExternalId face = ExternalId.of("replaced");
    caches.faces().get(tenant, face, new CountingLoader<>(Optional.of(face(1))));
    caches.faces().invalidate(tenant, face, 2);
    caches.faces().get(tenant, face, new CountingLoader<>(Optional.of(face(2))));
    CountingLoader<CachedFace> later = new CountingLoader<>(Optional.of(face(2)));
    assertEquals(Optional.of(face(2)), caches.faces().get(tenant, face, later));
    assertEquals(0, later.calls.get());
  }

  @Test
  void aLateInvalidationNeverHidesANewerFace() {
    TenantId tenant = uniqueTenant("cache");
    ExternalId face = ExternalId.of("late-invalidation");
    caches.faces().invalidate(tenant, face, 5);
    caches.faces().get(tenant, face, new CountingLoader<>(Optional.of(face(5))));
    caches.faces().invalidate(tenant, face, 4);
    CountingLoader<CachedFace> later = new CountingLoader<>(Optional.of(face(5)));
    assertEquals(Optional.of(face(5)), caches.faces().get(tenant, face, later));
    assertEquals(0, later.calls.get());
  }

  @Test
  void invalidatingATenantHidesAllItsEntriesAndNoOtherTenants() {
    TenantId tenant = uniqueTenant("cache");
    TenantId neighbour = uniqueTenant("cache");
    ExternalId face = ExternalId.of("ada");
    caches.faces().get(tenant, face, new CountingLoader<>(Optional.of(face(1))));
    caches.faces().get(neighbour, face, new CountingLoader<>(Optional.of(face(1))));
    caches.tenantConfigs().get(tenant, new CountingLoader<>(Optional.of(config(1))));
    caches.apiKeys().isValid(tenant, "key-1", () -> true);
    String before = generation(tenant);

    caches.invalidateTenant(tenant);

    assertFalse(before.equals(generation(tenant)));
    CountingLoader<CachedFace> faces = new CountingLoader<>(Optional.of(face(1)));
    caches.faces().get(tenant, face, faces);
    CountingLoader<CachedTenant> configs = new CountingLoader<>(Optional.of(config(1)));
    caches.tenantConfigs().get(tenant, configs);
    AtomicInteger keyLoads = new AtomicInteger();
    caches.apiKeys().isValid(tenant, "key-1", () -> keyLoads.incrementAndGet() > 0);
    assertEquals(1, faces.calls.get());
    assertEquals(1, configs.calls.get());
    assertEquals(1, keyLoads.get());

    CountingLoader<CachedFace> neighbours = new CountingLoader<>(Optional.of(face(1)));
    caches.faces().get(neighbour, face, neighbours);
    assertEquals(0, neighbours.calls.get());
  }

  @Test
  void aRevocationIsNeverUndoneByASlowFillOfTheStillValidKey() throws Exception {
    TenantId tenant = uniqueTenant("cache");
    CountDownLatch loaderStarted = new CountDownLatch(1);
    CountDownLatch revoked = new CountDownLatch(1);
    Future<Boolean> slowRead =
        readers.submit(
            () ->
                caches
                    .apiKeys()
                    .isValid(
                        tenant,
                        "key-2",
                        () -> {
                          loaderStarted.countDown();
                          awaitLatch(revoked);
                          return true;
                        }));
    assertTrue(loaderStarted.await(5, TimeUnit.SECONDS));
    caches.apiKeys().markRevoked(tenant, "key-2");
    revoked.countDown();
    assertTrue(slowRead.get(5, TimeUnit.SECONDS));

    assertFalse(
        caches
            .apiKeys()
            .isValid(
                tenant,
                "key-2",
                () -> {
                  throw new AssertionError("the revocation should be served from the cache");
                }));
  }

  @Test
  void aTenantConfigurationIsCachedAndAnOlderOneNeverReplacesItsSuccessor() {
    TenantId tenant = uniqueTenant("cache");
    caches.tenantConfigs().get(tenant, new CountingLoader<>(Optional.of(config(1))));
    caches.tenantConfigs().invalidate(tenant, 2);
    assertEquals(
        Optional.of(config(1)),
        caches.tenantConfigs().get(tenant, new CountingLoader<>(Optional.of(config(1)))));
    CountingLoader<CachedTenant> current = new CountingLoader<>(Optional.of(config(2)));
    assertEquals(Optional.of(config(2)), caches.tenantConfigs().get(tenant, current));
    assertEquals(Optional.of(config(2)), caches.tenantConfigs().get(tenant, current));
    assertEquals(1, current.calls.get(), "the stale fill was refused, version 2 filled once");
  }

  @Test
  void everyEntryLivesForItsConfiguredTtl() {
    TenantId tenant = uniqueTenant("cache");
    ExternalId face = ExternalId.of("ada");
    caches.faces().get(tenant, face, new CountingLoader<>(Optional.of(face(1))));
    caches.tenantConfigs().get(tenant, new CountingLoader<>(Optional.of(config(1))));
    caches.apiKeys().isValid(tenant, "key-3", () -> true);
    String generation = generation(tenant);
    RedisTtls ttls = target.settings().ttls();
    assertTtlNear(RedisKeys.face(tenant, face, generation), ttls.face());
    assertTtlNear(RedisKeys.tenantConfig(tenant, generation), ttls.tenantConfig());
    assertTtlNear(RedisKeys.apiKey(tenant, generation, "key-3"), ttls.apiKey());
    assertTtlNear(RedisKeys.cacheGeneration(tenant), ttls.longestCache().multipliedBy(2));
  }

  private void assertTtlNear(String key, Duration ttl) {
    long remaining = redis.call("pttl", c -> c.pttl(key));
    assertTrue(
        remaining > ttl.toMillis() - 10_000 && remaining <= ttl.toMillis(),
        key + " has " + remaining + "ms left, expected about " + ttl);
  }

  private String generation(TenantId tenant) {
    return Args.string(redis.call("get", c -> c.get(RedisKeys.cacheGeneration(tenant))));
  }

  private Map<String, String> entry(String key) {
    Map<String, byte[]> fields = redis.call("hgetall", c -> c.hgetall(key));
    Map<String, String> text = new TreeMap<>();
    fields.forEach((field, value) -> text.put(field, Args.string(value)));
    return text;
  }

  private static CachedFace face(long version) {
    return new CachedFace(version, new byte[] {1, 2, 3, (byte) version}, Map.of("v", "" + version));
  }

  private static CachedTenant config(long version) {
    return new CachedTenant(
        version,
        false,
        new TenantConfig(
            1000,
            Map.of(CommandType.FACE_VERIFY, new RateLimit(50, 1_000)),
            0.8 + version / 100.0,
            3,
            0.5,
            true));
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the loader");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A loader that counts its calls. */
  private static final class CountingLoader<T> implements Supplier<Optional<T>> {
    final AtomicInteger calls = new AtomicInteger();
    private final Optional<T> value;

    CountingLoader(Optional<T> value) {
      this.value = value;
    }

    @Override
    public Optional<T> get() {
      calls.incrementAndGet();
      return value;
    }
  }
}
