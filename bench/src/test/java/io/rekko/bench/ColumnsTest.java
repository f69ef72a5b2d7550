package io.rekko.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rekko.schema.CommandType;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantConfig;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ColumnsTest {

  @Test
  void metadataIsAJsonObjectWithEscapedStrings() {
    Map<String, String> metadata = new TreeMap<>(Map.of("a", "plain", "b\"q", "back\\slash\n"));
    assertEquals(
        "{\"a\":\"plain\",\"b\\\"q\":\"back\\\\slash\\u000a\"}", Columns.metadata(metadata));
    assertEquals("{}", Columns.metadata(Map.of()));
  }

  @Test
  void rateLimitsAreKeyedByCommandType() {
    TenantConfig config =
        new TenantConfig(
            10, Map.of(CommandType.FACE_VERIFY, new RateLimit(5, 1000)), 0.8, 512, 0.5, true);
    assertEquals("{\"face.verify\":{\"limit\":5,\"window_ms\":1000}}", Columns.rateLimits(config));
  }
}
