package io.rekko.worker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.cluster.SlotHash;
import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedisKeysTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final ExternalId ALICE = ExternalId.of("alice@example.com");
  private static final String GEN = "0123456789abcdef";
  private static final LocalDate DAY = LocalDate.of(2025, 3, 14);

  @Test
  void keysFollowTheDocumentedLayout() {
    assertEquals("rekko:acme:lock:{acme/alice@example.com}", RedisKeys.lock(ACME, ALICE));
    assertEquals("rekko:acme:fence:{acme/alice@example.com}", RedisKeys.fence(ACME, ALICE));
    assertEquals(
        "rekko:acme:face:{acme/alice@example.com}:0123456789abcdef",
        RedisKeys.face(ACME, ALICE, GEN));
    assertEquals("rekko:acme:cache-gen:{acme}", RedisKeys.cacheGeneration(ACME));
    assertEquals("rekko:acme:config:{acme}:0123456789abcdef", RedisKeys.tenantConfig(ACME, GEN));
    assertEquals(
        "rekko:acme:api-key:{acme}:0123456789abcdef:key-1", RedisKeys.apiKey(ACME, GEN, "key-1"));
    assertEquals("rekko:acme:rate:{acme}:face.verify", RedisKeys.rateWindow(ACME, "face.verify"));
    assertEquals("rekko:acme:face-count:{acme}", RedisKeys.faceCount(ACME));
    assertEquals("rekko:acme:requests:{acme}:2025-03-14", RedisKeys.dailyRequests(ACME, DAY));
    assertEquals("rekko:global:usage:2025-03-14", RedisKeys.globalUsage(DAY));
  }

  @Test
  void theLogsAnErasureReadsShareTheSlotOfTheEntriesTheyName() {
    assertEquals("rekko:acme:cache-gens:{acme}", RedisKeys.cacheGenerationLog(ACME));
    assertEquals("rekko:acme:api-key-ids:{acme}", RedisKeys.apiKeyLog(ACME));
    assertEquals(
        SlotHash.getSlot(RedisKeys.cacheGeneration(ACME)),
        SlotHash.getSlot(RedisKeys.cacheGenerationLog(ACME)));
    String entry = RedisKeys.apiKey(ACME, GEN, "key-1");
    VersionedCache.Log log = RedisKeys.apiKeyLogRecord(entry, Duration.ofHours(4));
    assertEquals(RedisKeys.apiKeyLog(ACME), log.key());
    assertEquals("key-1", log.member());
    assertEquals(SlotHash.getSlot(entry), SlotHash.getSlot(log.key()));
  }

  @Test
  void aFacesEntriesInEveryGenerationShareASlotSoOneScriptMayInvalidateThemAll() {
    assertEquals(
        SlotHash.getSlot(RedisKeys.face(ACME, ALICE, GEN)),
        SlotHash.getSlot(RedisKeys.face(ACME, ALICE, "fedcba9876543210")));
  }

  @Test
  void aLockAndItsFenceShareASlotSoOneScriptMayTouchBoth() {
    assertEquals(
        SlotHash.getSlot(RedisKeys.lock(ACME, ALICE)),
        SlotHash.getSlot(RedisKeys.fence(ACME, ALICE)));
  }

  @Test
  void theFacesOfOneTenantSpreadOverTheCluster() {
    Set<Integer> slots = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      slots.add(SlotHash.getSlot(RedisKeys.lock(ACME, ExternalId.of("face-" + i))));
    }
    assertTrue(slots.size() > 150, "only " + slots.size() + " distinct slots");
  }

  @Test
  void everyKeyTheWorkerBuildsIsWellFormed() {
    List<String> keys =
        List.of(
            RedisKeys.lock(ACME, ALICE),
            RedisKeys.fence(ACME, ALICE),
            RedisKeys.face(ACME, ALICE, GEN),
            RedisKeys.cacheGeneration(ACME),
            RedisKeys.tenantConfig(ACME, GEN),
            RedisKeys.apiKey(ACME, GEN, "key-1"),
            RedisKeys.rateWindow(ACME, "face.register"),
            RedisKeys.faceCount(ACME),
            RedisKeys.dailyRequests(ACME, DAY),
            RedisKeys.globalUsage(DAY),
            RedisKeys.cacheGenerationLog(ACME),
            RedisKeys.apiKeyLog(ACME),
            RedisKeys.eventStream(ACME));
    for (String key : keys) {
      assertTrue(RedisKeys.isWellFormed(key), key);
    }
  }

  @Test
  void keysOutsideTheLayoutAreNotWellFormed() {
    for (String key :
        List.of(
            "counter",
            "rekko:acme",
            "rekko:ACME:lock:{ACME/x}",
            "rekko:acme:lock:x",
            "rekko:acme:lock:{other/x}",
            "rekko:acme:lock:{acmex/x}",
            "rekko:global:usage:today",
            "rekko:acme:usage:{acme}:2025-03-14",
            "rekko:acme:events:{rekko:events:other}",
            "rekko:acme:events:{acme}",
            "rekko:acme:events:{rekko:events:acme}:more",
            "other:acme:lock:{acme/x}")) {
      assertFalse(RedisKeys.isWellFormed(key), key);
    }
  }

  @Test
  void aTenantCalledGlobalCannotReachTheGlobalFamily() {
    TenantId global = TenantId.of("global");
    assertTrue(RedisKeys.isWellFormed(RedisKeys.faceCount(global)));
    assertFalse(RedisKeys.RESOURCES.contains(RedisKeys.RESERVED));
    assertFalse(RedisKeys.dailyRequests(global, DAY).startsWith(RedisKeys.GLOBAL_USAGE_PREFIX));
  }

  @Test
  void commandTypesAndApiKeyIdsAreValidatedBeforeTheyBecomeKeys() {
    assertThrows(IllegalArgumentException.class, () -> RedisKeys.rateWindow(ACME, "face:verify"));
    assertThrows(IllegalArgumentException.class, () -> RedisKeys.rateWindow(ACME, "{face}"));
    assertThrows(IllegalArgumentException.class, () -> RedisKeys.apiKey(ACME, GEN, "key}1"));
    assertThrows(IllegalArgumentException.class, () -> RedisKeys.apiKey(ACME, GEN, "a:b"));
    assertThrows(IllegalArgumentException.class, () -> RedisKeys.face(ACME, ALICE, "*"));
  }
}
