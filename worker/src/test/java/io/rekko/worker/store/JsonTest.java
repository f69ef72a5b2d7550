package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rekko.schema.CommandType;
import io.rekko.schema.RateLimit;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void rateLimitsAreWrittenInTheContractsShape() {
    String json =
        Json.rateLimits(
            Map.of(
                CommandType.FACE_VERIFY,
                new RateLimit(100, 1_000),
                CommandType.FACE_REGISTER,
                new RateLimit(5, 60_000)));
    assertEquals(
        "{\"face.register\":{\"limit\":5,\"window_ms\":60000},"
            + "\"face.verify\":{\"limit\":100,\"window_ms\":1000}}",
        json);
  }

  @Test
  void rateLimitsSurviveARoundTrip() {
    Map<CommandType, RateLimit> limits = Map.of(CommandType.FACE_REGISTER, new RateLimit(5, 750));
    assertEquals(limits, Json.rateLimits(Json.rateLimits(limits)));
  }

  @Test
  void metadataSurvivesARoundTrip() {
    Map<String, String> metadata = Map.of("name", "Ada \"the first\"", "site", "é-lab");
    assertEquals(metadata, Json.metadata(Json.metadata(metadata)));
  }
}
