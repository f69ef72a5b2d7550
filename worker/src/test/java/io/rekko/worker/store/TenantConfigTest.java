package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantConfigTest {

  @Test
  void aNegativeQuotaIsRefused() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TenantConfig(-1, Map.of(), 0.8, 128, 0.5, false));
    assertEquals("max_faces must not be negative, was -1", e.getMessage());
  }

  @Test
  void aThresholdOutsideTheCosineRangeIsRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> new TenantConfig(1, Map.of(), 1.5, 128, 0.5, false));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TenantConfig(1, Map.of(), Double.NaN, 128, 0.5, false));
  }

  @Test
  void aDimensionBelowOneIsRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> new TenantConfig(1, Map.of(), 0.8, 0, 0.5, false));
  }

  @Test
  void rateLimitsNeedAPositiveLimitAndWindow() {
    assertThrows(IllegalArgumentException.class, () -> new RateLimit(0, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new RateLimit(1, Duration.ZERO));
  }
}
