package io.rekko.worker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisTtlsTest {

  @Test
  void defaultsAreTheOnesTheDesignFixes() {
    RedisTtls ttls = RedisTtls.DEFAULTS;
    assertEquals(Duration.ofHours(1), ttls.face());
    assertEquals(Duration.ofMinutes(5), ttls.tenantConfig());
    assertEquals(Duration.ofMinutes(1), ttls.apiKey());
    assertEquals(Duration.ofHours(48), ttls.dailyCounters());
  }

  @Test
  void theLockDefaultsAreTheDesigns() {
    assertEquals(Duration.ofSeconds(30), LockSettings.DEFAULTS.ttl());
    assertEquals(Duration.ofHours(1), LockSettings.DEFAULTS.fenceTtl());
  }

  @Test
  void everyTtlMustBePositiveAndTheMessageNamesTheSetting() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> caches(Duration.ofHours(1), Duration.ZERO, Duration.ofMinutes(1)));
    assertEquals("tenantConfig must be positive, was PT0S", e.getMessage());
  }

  @Test
  void subMillisecondTtlsAreRefusedBecauseRedisCountsMilliseconds() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> caches(Duration.ofNanos(10), Duration.ofMinutes(5), Duration.ofMinutes(1)));
    assertEquals(
        "face must be at least 1ms (Redis expiries are in milliseconds), was PT0.00000001S",
        e.getMessage());
  }

  @Test
  void aLockTtlTooShortToRenewIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new LockSettings(
                    Duration.ofMillis(50),
                    LockSettings.DEFAULTS.fenceTtl(),
                    LockSettings.DEFAULTS.retry()));
    assertEquals(
        "lock ttl must be at least 100ms (it is renewed every third of it), was 50ms",
        e.getMessage());
  }

  @Test
  void dailyCountersMustOutliveTheirDay() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new RedisTtls(
                    Duration.ofHours(1),
                    Duration.ofMinutes(5),
                    Duration.ofMinutes(1),
                    Duration.ofHours(12),
                    Duration.ofMinutes(5)));
    assertEquals(
        "dailyCounters must be at least 1 day so a day's counters outlive the day, was PT12H",
        e.getMessage());
  }

  @Test
  void theLongestCacheTtlBoundsTheGenerationKey() {
    assertEquals(
        Duration.ofHours(2),
        caches(Duration.ofMinutes(10), Duration.ofHours(2), Duration.ofMinutes(1)).longestCache());
  }

  /** The default TTLs with these cache TTLs. */
  private static RedisTtls caches(Duration face, Duration tenantConfig, Duration apiKey) {
    return new RedisTtls(
        face,
        tenantConfig,
        apiKey,
        RedisTtls.DEFAULTS.dailyCounters(),
        RedisTtls.DEFAULTS.faceCount());
  }
}
