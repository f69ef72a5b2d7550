package io.rekko.worker.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.CommandType;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import io.rekko.worker.redis.CachedTenant;
import io.rekko.worker.store.StoredTenant;
import io.rekko.worker.store.TenantStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConversionsTest {

  @Test
  void aTenantsSettingsSurviveTheStoreAndTheCache() {
    TenantConfig config =
        new TenantConfig(
            12, Map.of(CommandType.FACE_VERIFY, new RateLimit(5, 1_500)), 0.7, 128, 0.3, false);

    io.rekko.worker.store.TenantConfig stored = Conversions.toStore(config);
    CachedTenant cached =
        Conversions.toCache(
            new StoredTenant(
                TenantId.of("t"), stored, TenantStatus.SUSPENDED, "why", 4, Instant.EPOCH));

    assertEquals(4, cached.version());
    assertTrue(cached.suspended());
    assertEquals(12, cached.maxFaces());
    assertEquals(0.7, cached.verifyThreshold());
    assertEquals(128, cached.embeddingDimension());
    assertEquals(0.3, cached.minQuality());
    assertFalse(cached.requireLiveness());
    io.rekko.worker.redis.RateLimit limit = Conversions.rateLimit(cached, CommandType.FACE_VERIFY);
    assertEquals(5, limit.limit());
    assertEquals(Duration.ofMillis(1_500), limit.window());
    assertNull(Conversions.rateLimit(cached, CommandType.FACE_REGISTER));
  }
}
