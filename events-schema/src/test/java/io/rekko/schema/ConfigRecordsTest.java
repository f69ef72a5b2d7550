package io.rekko.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ConfigRecordsTest {

  @Test
  void decodeLimitsRejectImpossibleValuesNamingTheSetting() {
    assertRefused("maxMessageBytes", () -> new DecodeLimits(100, 64, 2048, 16, 64, 256));
    assertRefused("maxMessageBytes", () -> new DecodeLimits(64 << 20, 64, 2048, 16, 64, 256));
    assertRefused("minDimension", () -> new DecodeLimits(65536, 0, 2048, 16, 64, 256));
    assertRefused("maxDimension", () -> new DecodeLimits(65536, 64, 63, 16, 64, 256));
    assertRefused("maxMetadataEntries", () -> new DecodeLimits(65536, 64, 2048, -1, 64, 256));
    assertRefused("maxMetadataKeyLength", () -> new DecodeLimits(65536, 64, 2048, 16, 0, 256));
    assertRefused("maxMetadataValueLength", () -> new DecodeLimits(65536, 64, 2048, 16, 64, -1));
  }

  @Test
  void defaultDecodeLimitsAreThePublishedOnes() {
    assertEquals(new DecodeLimits(65536, 64, 2048, 16, 64, 256), DecodeLimits.DEFAULTS);
  }

  @Test
  void tenantConfigRejectsImpossibleValuesNamingTheSetting() {
    Map<CommandType, RateLimit> none = Map.of();
    assertRefused("max_faces", () -> new TenantConfig(-1, none, 0.8, 512, 0.5, true));
    assertRefused("verify_threshold", () -> new TenantConfig(10, none, 1.1, 512, 0.5, true));
    assertRefused("verify_threshold", () -> new TenantConfig(10, none, Double.NaN, 512, 0.5, true));
    assertRefused("min_quality", () -> new TenantConfig(10, none, 0.8, 512, -0.1, true));
    assertRefused("embedding_dimension", () -> new TenantConfig(10, none, 0.8, 0, 0.5, true));
    assertRefused("limit", () -> new RateLimit(0, 1000));
    assertRefused("window_ms", () -> new RateLimit(10, 86_400_001));
  }

  @Test
  void tenantConfigHoldsAnUnmodifiableCopyOfItsRateLimitsInTypeOrder() {
    Map<CommandType, RateLimit> limits = new HashMap<>();
    limits.put(CommandType.FACE_VERIFY, new RateLimit(100, 1000));
    limits.put(CommandType.FACE_REGISTER, new RateLimit(10, 1000));
    TenantConfig config = new TenantConfig(10, limits, 0.8, 512, 0.5, true);
    limits.clear();
    assertEquals(
        List.of(CommandType.FACE_REGISTER, CommandType.FACE_VERIFY),
        List.copyOf(config.rateLimits().keySet()));
    assertThrows(UnsupportedOperationException.class, () -> config.rateLimits().clear());
    assertEquals(new RateLimit(100, 1000), config.rateLimit(CommandType.FACE_VERIFY));
    assertEquals(null, config.rateLimit(CommandType.FACE_DELETE));
    assertEquals(
        config, new TenantConfig(10, new EnumMap<>(config.rateLimits()), 0.8, 512, 0.5, true));
  }

  private static void assertRefused(String setting, Executable construction) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction);
    assertTrue(
        e.getMessage().startsWith(setting) || e.getMessage().contains("'" + setting + "'"),
        () -> "message should name " + setting + ": " + e.getMessage());
  }
}
