package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void rateLimitsAreWrittenInTheContractsShape() {
    String json =
        Json.rateLimits(
            Map.of(
                "face.verify", new RateLimit(100, Duration.ofSeconds(1)),
                "face.register", new RateLimit(5, Duration.ofMinutes(1))));
    assertEquals(
        "{\"face.register\":{\"limit\":5,\"window_ms\":60000},"
            + "\"face.verify\":{\"limit\":100,\"window_ms\":1000}}",
        json);
  }

  @Test
  void rateLimitsSurviveARoundTrip() {
    Map<String, RateLimit> limits =
        Map.of("face.register", new RateLimit(5, Duration.ofMillis(750)));
    assertEquals(limits, Json.rateLimits(Json.rateLimits(limits)));
  }

  @Test
  void metadataSurvivesARoundTrip() {
    Map<String, String> metadata = Map.of("name", "Ada \"the first\"", "site", "é-lab");
    assertEquals(metadata, Json.metadata(Json.metadata(metadata)));
  }
}
